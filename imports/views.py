from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from children.models import Child
from dongnguyen.db_router import replica_view
from dongnguyen.errors import ServiceError
from dongnguyen.forms import add_service_errors
from dongnguyen.permissions import permission_required
from dongnguyen.services import access_log
from dongnguyen.text import as_id, file_slug, query_text
from households.models import Household
from inspections.models import Business

from . import exports, services
from .forms import SchoolAttendanceForm, UploadForm
from .models import ImportJob, Kind
from .readers import FileProblem
from .resources import RESOURCES
from .school_attendance import headers as school_headers
from .school_attendance import read_attendance
from .workbooks import tables_csv, tables_xlsx, template_workbook

# Files up to this size are checked while the officer waits; bigger ones in a task.
SYNC_CHECK_BYTES = getattr(settings, "IMPORT_SYNC_CHECK_BYTES", 256 * 1024)
PREVIEW_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _job(request, pk) -> ImportJob:
    return get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)


def _crumbs(*extra):
    return [(_("Nhập dữ liệu"), reverse("imports:list")), *extra]


@permission_required("import.run")
def job_list(request):
    jobs = (
        ImportJob.objects.for_user(request.user)
        .defer("rows", "errors")
        .select_related("uploaded_by")
    )
    page = Paginator(jobs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/list.html",
        {
            "page": page,
            "form": UploadForm(),
            "kinds": Kind.choices,
            "breadcrumbs": [(_("Nhập dữ liệu"), None)],
        },
    )


@permission_required("import.run")
@require_POST
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        jobs = ImportJob.objects.for_user(request.user).defer("rows", "errors")
        return render(
            request,
            "imports/list.html",
            {
                "page": Paginator(jobs.select_related("uploaded_by"), 30).get_page(1),
                "form": form,
                "kinds": Kind.choices,
                "breadcrumbs": [(_("Nhập dữ liệu"), None)],
            },
            status=400,
        )
    upload = form.cleaned_data["file"]
    job = services.import_job_create(
        kind=form.cleaned_data["kind"], name=upload.name, data=upload.read(), user=request.user
    )
    if upload.size <= SYNC_CHECK_BYTES:
        services.import_job_check(job=job)
    else:
        # Queued once the job's row is committed; outside a transaction that is right now,
        # so a refused hand-over is already on the row below.
        transaction.on_commit(lambda: services.import_job_queue_check(job=job))
        job.refresh_from_db(fields=["status"])
        if job.status == ImportJob.Status.FAILED:
            messages.error(request, services.QUEUE_DOWN_CHECK)
    return redirect("imports:detail", pk=job.pk)


@permission_required("import.run")
def job_detail(request, pk):
    job = _job(request, pk)
    status = request.GET.get("status", "")
    rows = job.rows if not status else [r for r in job.rows if r[1] == status]
    page = Paginator(rows, PREVIEW_PAGE).get_page(request.GET.get("page"))
    # The preview shows the file's rows (names, birth dates, ID numbers): the job is the record.
    access_log(
        request,
        job,
        "view",
        _("xem trước %(kind)s, dòng %(first)d–%(last)d")
        % {"kind": job.get_kind_display(), "first": page.start_index(), "last": page.end_index()},
    )
    return render(
        request,
        "imports/detail.html",
        {
            "job": job,
            "can_retry": job.can_retry(),
            "stale_minutes": getattr(settings, "IMPORT_STALE_MINUTES", 30),
            "page": page,
            "status": status,
            "statuses": [
                ("", _("Tất cả"), job.total_rows),
                ("error", _("Lỗi"), job.count_error),
                ("new", _("Thêm mới"), job.count_new),
                ("update", _("Cập nhật"), job.count_update),
                ("unchanged", _("Không đổi"), job.count_unchanged),
            ],
            "breadcrumbs": _crumbs((job.original_name, None)),
        },
    )


@permission_required("import.run")
def job_progress(request, pk):
    """Polled by htmx while a job is checked or imported; reloads the page when it ends."""
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if not job.in_progress:
        response["HX-Refresh"] = "true"
    return response


@permission_required("import.run")
@require_POST
def confirm(request, pk):
    job = _job(request, pk)
    try:
        services.import_job_confirm(job=job, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.text)
    else:
        job.refresh_from_db(fields=["status"])
        if job.status == ImportJob.Status.PREVIEWED:  # Redis did not take it (see services)
            messages.error(request, services.QUEUE_DOWN_CONFIRM)
    return redirect("imports:detail", pk=job.pk)


@permission_required("import.run")
@require_POST
def retry(request, pk):
    job = _job(request, pk)
    try:
        services.import_job_retry(job=job, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Đã xếp lại lần nhập vào hàng đợi."))
    return redirect("imports:detail", pk=job.pk)


@permission_required("import.run")
def template_download(request, kind):
    if kind not in RESOURCES:
        raise Http404
    response = HttpResponse(template_workbook(kind), content_type=XLSX)
    with translation.override("vi"):  # "mau-nhap-ho-gia-dinh.xlsx", whatever the UI language
        name = file_slug(f"Mẫu nhập {Kind(kind).label}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _send(request, tables, stem: str, detail: str, *, shown=None, model=None):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    access_log(
        request,
        None,
        "export",
        detail=f"{detail} ({fmt}) {request.GET.urlencode()}",
        shown=shown,
        model=model,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(tables_csv(tables), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(tables_xlsx(tables), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{fmt}"'
    return response


@permission_required("export.registers")
@replica_view
def export_households(request):
    qs = exports.filtered("households", Household, request)
    return _send(
        request,
        exports.household_table(qs),
        "ho-gia-dinh",
        _("Xuất danh sách hộ"),
        shown=qs.values_list("pk", flat=True),
        model=Household,
    )


@permission_required("export.registers")
@replica_view
def export_children(request):
    qs = exports.filtered("children", Child, request)
    return _send(
        request,
        exports.child_table(qs),
        "tre-em",
        _("Xuất danh sách trẻ em"),
        shown=qs.values_list("pk", flat=True),
        model=Child,
    )


@permission_required("export.businesses")
@replica_view
def export_businesses(request):
    qs = exports.filtered("businesses", Business, request)
    return _send(request, exports.business_table(qs), "co-so", _("Xuất danh sách cơ sở"))


@permission_required("export.aggregates")
@replica_view
def export_aggregates(request):
    tables = exports.aggregate_tables(request.user)
    return _send(request, tables, "so-lieu-tong-hop", _("Xuất số liệu tổng hợp"))


# -- a school's monthly attendance (issue 14.1) ------------------------------------------------


def _school_attendance_form(request):
    from schools.forms import last_month

    initial = {"month": f"{last_month():%Y-%m}"}
    if request.GET.get("school"):
        initial["school"] = request.GET["school"]
    return SchoolAttendanceForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )


@permission_required("attendance.record")
def school_attendance(request):
    """The focal teacher uploads a month of their school's attendance: every row is checked
    (a pupil of that school in the teacher's scope, the record's rules) and then all rows are
    saved, or none; the early-warning rules run on what was saved."""
    from schools.services import attendance_import

    form = _school_attendance_form(request)
    errors = []
    if request.method == "POST" and form.is_valid():
        school, month = form.cleaned_data["school"], form.cleaned_data["month"]
        upload = form.cleaned_data["file"]
        try:
            rows = read_attendance(upload.name, upload.read())
            saved, raised = attendance_import(
                school=school, month=month, rows=rows, by=request.user
            )
        except FileProblem as exc:
            form.add_error("file", str(exc))
        except ServiceError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                errors = exc.messages
        else:
            messages.success(
                request,
                _("Đã nhập chuyên cần tháng %(m)s của %(n)d học sinh. Cảnh báo sớm mới: %(w)d.")
                % {"m": f"{month:%m/%Y}", "n": len(saved), "w": len(raised)},
            )
            return redirect(reverse("imports:school_attendance") + f"?school={school.pk}")
    return render(
        request,
        "imports/school_attendance.html",
        {
            "form": form,
            "errors": errors,
            "headers": school_headers(),
            "breadcrumbs": [
                (_("Trường học"), reverse("schools:list")),
                (_("Nhập chuyên cần từ Excel"), None),
            ],
        },
    )


@permission_required("attendance.record")
def school_attendance_template(request):
    """The sheet to fill in: the school's pupils of the school year (one class with
    `class`), their names and birth dates already written, the days to type."""
    from schools.models import Enrolment, School, current_school_year

    school = get_object_or_404(
        School.objects.for_user(request.user), pk=as_id(request.GET.get("school"))
    )
    enrolments = (
        Enrolment.objects.for_user(request.user)
        .filter(school=school, school_year=current_school_year())
        .select_related("child")
        .order_by("class_name", "child__search_name", "child__birth_date")
    )
    class_name = query_text(request, "class")
    if class_name:
        enrolments = enrolments.filter(class_name=class_name)
    rows = [
        [e.child.full_name, e.child.birth_date.strftime("%d/%m/%Y"), e.class_name, None, None]
        for e in enrolments
    ]
    access_log(
        request,
        None,
        "export",
        detail=_("mẫu nhập chuyên cần %(s)s") % {"s": school.name},
        shown=[e.child_id for e in enrolments],
        model=Child,
    )
    response = HttpResponse(
        tables_xlsx([(str(_("Chuyên cần")), school_headers(), rows)]), content_type=XLSX
    )
    with translation.override("vi"):
        name = file_slug(f"Chuyên cần {school.name} {class_name}".strip())
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
