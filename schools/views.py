from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from children.models import Child
from dongnguyen.errors import ServiceError
from dongnguyen.forms import add_service_errors
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log
from dongnguyen.text import query_text

from . import services
from .forms import AttendanceRowForm, ContactForm, EnrolmentForm, last_month, parse_month
from .models import AttendanceRecord, EarlyWarning, Enrolment, School, current_school_year

MONTHS_SHOWN = 3


def _crumbs(*extra):
    return [(_("Trường học"), reverse("schools:list")), *extra]


@permission_required("school.view")
def school_list(request):
    """The schools in scope and their classes of the school year."""
    year = query_text(request, "year") or current_school_year()
    schools = list(School.objects.for_user(request.user))
    classes = (
        Enrolment.objects.for_user(request.user)
        .filter(school_year=year)
        .order_by()
        .values("school_id", "class_name")
        .annotate(n=Count("pk"))
        .order_by("class_name")
    )
    by_school: dict[int, list] = {}
    for row in classes:
        by_school.setdefault(row["school_id"], []).append(row)
    for school in schools:
        school.classes = by_school.get(school.pk, [])
    context = {
        "schools": schools,
        "year": year,
        "breadcrumbs": [(_("Trường học"), None)],
        "can_enrol": may(request.user, "school.enrol"),
        "can_warnings": may(request.user, "warning.view"),
        "can_import": may(request.user, "attendance.record"),
    }
    if context["can_warnings"]:
        context["open_warnings"] = EarlyWarning.objects.for_user(request.user).open().count()
    return render(request, "schools/school_list.html", context)


@permission_required("school.enrol")
def enrol(request):
    form = EnrolmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_save(enrolment=form.instance, by=request.user)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã thêm học sinh vào lớp %(c)s.") % {"c": enrolment.class_name}
            )
            return redirect(
                "schools:class_attendance", pk=enrolment.school_id, class_name=enrolment.class_name
            )
    return render(
        request,
        "schools/enrol.html",
        {"form": form, "breadcrumbs": _crumbs((_("Thêm học sinh"), None))},
    )


def _previous_months(month, n):
    months = [month]
    for _i in range(n - 1):
        m = months[-1]
        months.append(
            m.replace(year=m.year - 1, month=12) if m.month == 1 else m.replace(month=m.month - 1)
        )
    return list(reversed(months))


@permission_required("school.view")
def class_attendance(request, pk, class_name):
    """A class's pupils (name, class, attendance, the school's note) and the month's
    attendance to enter. No case data: the school sees only what it keeps itself."""
    class_name = class_name.replace("\x00", "")  # a tampered URL is no 500 on PostgreSQL
    school = get_object_or_404(School.objects.for_user(request.user), pk=pk)
    year = query_text(request, "year") or current_school_year()
    enrolments = list(
        Enrolment.objects.for_user(request.user)
        .filter(school=school, class_name=class_name, school_year=year)
        .select_related("child")
        .order_by("child__search_name", "child__birth_date")
    )
    if not enrolments:
        raise Http404
    month = parse_month(request.POST.get("month") or request.GET.get("month")) or last_month()
    months = _previous_months(month, MONTHS_SHOWN)
    records = AttendanceRecord.objects.filter(
        enrolment__in=enrolments, month__gte=months[0], month__lte=month
    )
    by_key = {(r.enrolment_id, r.month): r for r in records}
    can_record = may(request.user, "attendance.record")
    posted = request.method == "POST"
    if posted and not can_record:
        raise PermissionDenied
    rows, errors = [], []
    for e in enrolments:
        current = by_key.get((e.pk, month))
        initial = {
            "days_absent": current.days_absent if current else 0,
            "days_absent_unexcused": current.days_absent_unexcused if current else 0,
        }
        form = AttendanceRowForm(
            request.POST if posted else None, prefix=f"e{e.pk}", initial=initial
        )
        history = [by_key.get((e.pk, m)) for m in months[:-1]]
        rows.append({"enrolment": e, "form": form, "history": history, "current": current})
    if posted and all(r["form"].is_valid() for r in rows):
        try:
            with transaction.atomic():
                for r in rows:
                    services.attendance_record(
                        enrolment=r["enrolment"],
                        month=month,
                        by=request.user,
                        evaluate=False,
                        **r["form"].cleaned_data,
                    )
                raised = services.warnings_evaluate(
                    month=month, children=[e.child_id for e in enrolments]
                )
        except ServiceError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Đã lưu chuyên cần tháng %(m)s. Cảnh báo sớm mới: %(n)d.")
                % {"m": f"{month:%m/%Y}", "n": len(raised)},
            )
            return redirect(
                reverse("schools:class_attendance", args=[school.pk, class_name])
                + f"?month={month:%Y-%m}"
            )
    access_log(
        request,
        None,
        "view",
        _("chuyên cần lớp %(c)s") % {"c": class_name},
        shown=[e.child_id for e in enrolments],
        model=Child,
    )
    return render(
        request,
        "schools/class_attendance.html",
        {
            "school": school,
            "class_name": class_name,
            "year": year,
            "month": month,
            "months": months,
            "rows": rows,
            "errors": errors,
            "can_record": can_record,
            "breadcrumbs": _crumbs((f"{school.name} · {class_name}", None)),
        },
    )


@permission_required("warning.view")
def warning_list(request):
    qs = (
        EarlyWarning.objects.for_user(request.user)
        .select_related("child__household__group", "enrolment__school", "contacted_by")
        .order_by("contacted_on", "-raised_on", "pk")
    )
    state = request.GET.get("state", "open")
    if state == "open":
        qs = qs.filter(contacted_on__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    access_log(
        request,
        None,
        "view",
        _("cảnh báo sớm nguy cơ bỏ học"),
        shown=[w.child_id for w in page],
        model=Child,
    )
    return render(
        request,
        "schools/warning_list.html",
        {
            "page": page,
            "state": state,
            "query": f"state={state}",
            "can_contact": may(request.user, "warning.contact"),
            "breadcrumbs": _crumbs((_("Cảnh báo sớm"), None)),
        },
    )


@permission_required("warning.contact")
def warning_contact(request, pk):
    warning = get_object_or_404(
        EarlyWarning.objects.for_user(request.user).select_related(
            "child__household__group", "enrolment__school"
        ),
        pk=pk,
    )
    initial = {"outcome": warning.outcome}
    if warning.contacted_on:
        initial["contacted_on"] = warning.contacted_on
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.warning_contact(warning=warning, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi kết quả liên hệ."))
            return redirect("schools:warnings")
    access_log(request, warning.child, "view", _("cảnh báo sớm"))
    return render(
        request,
        "schools/warning_contact.html",
        {
            "warning": warning,
            "form": form,
            "breadcrumbs": _crumbs(
                (_("Cảnh báo sớm"), reverse("schools:warnings")), (warning.child.full_name, None)
            ),
        },
    )
