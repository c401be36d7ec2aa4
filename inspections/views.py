from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from children.catalogue import load_catalogue
from children.models import Child, JobType, WorkRecord
from dongnguyen.forms import add_service_errors
from dongnguyen.paging import choice_labels, page_of_values, row_url
from dongnguyen.pdf import render_pdf
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log
from dongnguyen.text import as_id, query_text
from households.models import Household
from households.screening import screen_post, screening_group, screening_tabs, year_start

from . import services
from .catalogue import CATALOGUE, fine_range
from .filters import BusinessFilter
from .forms import (
    BusinessForm,
    CommitmentForm,
    HouseholdCommitmentForm,
    InspectionPlanForm,
    InspectionRecordForm,
    MinorFoundForm,
    ViolationForm,
    ViolationHandleForm,
)
from .models import Business, Commitment, Inspection, MinorFound, Violation


def _query(request) -> str:
    """The list's filters without the page number, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# -- businesses ------------------------------------------------------------------------------


@permission_required("business.view")
def business_list(request):
    flt = BusinessFilter(
        request.GET, queryset=Business.objects.for_user(request.user), request=request
    )
    page = page_of_values(flt.qs, _LIST_COLUMNS, 50, request.GET.get("page"))
    page.object_list = rows = _business_rows(page.object_list)
    return render(
        request,
        "inspections/business_list.html",
        {
            "filter": flt,
            "page": page,
            "rows": rows,
            "query": _query(request),
            "can_edit": may(request.user, "business.edit"),
            "breadcrumbs": [(_("Cơ sở sản xuất, kinh doanh"), None)],
        },
    )


# What a row of the list shows, read as tuples (dongnguyen.paging.page_of_values).
_LIST_COLUMNS = (
    "pk",
    "name",
    "high_risk",
    "owner_name",
    "group__code",
    "group__name",
    "sector",
    "employee_count",
    "minor_employee_count",
    "has_minor_register",
    "active",
)


def _business_rows(rows) -> list[dict]:
    """What each row shows, computed once per page rather than per row in the template (a
    {% url %} and a get_sector_display() per row were a fifth of the page). Plain dicts: the
    template reads a dict's key at once, a model's attribute only after a failed key lookup."""
    url = row_url("inspections:business_detail")
    sector = choice_labels(Business, "sector")
    names = ("pk", *(column.replace("__", "_") for column in _LIST_COLUMNS[1:]))
    shown = [dict(zip(names, row, strict=True)) for row in rows]
    for row in shown:
        row["url"] = url(row["pk"])
        row["sector_label"] = sector.get(row["sector"], row["sector"])
    return shown


@permission_required("business.view")
def business_detail(request, pk):
    business = get_object_or_404(
        Business.objects.for_user(request.user).select_related("group"), pk=pk
    )
    can_inspections = may(request.user, "inspection.view")
    inspections = violations = []
    if can_inspections:
        inspections = business.inspections.annotate(n_violations=Count("violations"))
        violations = Violation.objects.filter(inspection__business=business).select_related(
            "inspection"
        )
    # The minors who worked here, among the children the viewer may see.
    work_records = list(
        WorkRecord.objects.filter(business=business, child__in=Child.objects.for_user(request.user))
        .select_related("child")
        .order_by("-started_on", "pk")
    )
    if work_records:
        jobs = load_catalogue().jobs
        for record in work_records:
            job = jobs.get(record.job_code)
            record.job_name = job.name if job else record.job_code
        shown = dict.fromkeys(r.child_id for r in work_records)
        access_log(request, None, "view", _("trẻ làm việc tại cơ sở"), shown=shown, model=Child)
    return render(
        request,
        "inspections/business_detail.html",
        {
            "business": business,
            "work_records": work_records,
            "inspections": inspections,
            "violations": violations,
            "can_inspections": can_inspections,
            "commitments": business.commitments.all(),
            "history": business.history.select_related("history_user")[:20],
            "can_edit": may(request.user, "business.edit"),
            "breadcrumbs": [
                (_("Cơ sở sản xuất, kinh doanh"), reverse("inspections:business_list")),
                (business.name, None),
            ],
        },
    )


@permission_required("business.edit")
def business_edit(request, pk=None):
    business = None
    if pk is not None:
        business = get_object_or_404(Business.objects.for_user(request.user), pk=pk)
    form = BusinessForm(request.POST or None, instance=business, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_save(business=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cơ sở %(name)s.") % {"name": business.name})
            return redirect("inspections:business_detail", pk=business.pk)
    title = business.name if business else _("Thêm cơ sở")
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": title,
            "breadcrumbs": [
                (_("Cơ sở sản xuất, kinh doanh"), reverse("inspections:business_list")),
                (title, None),
            ],
        },
    )


@permission_required("business.edit")
def business_commitment(request, pk):
    business = get_object_or_404(Business.objects.for_user(request.user), pk=pk)
    form = CommitmentForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_sign(by=request.user, business=business, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận bản cam kết."))
            return redirect("inspections:business_detail", pk=business.pk)
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": _("Cam kết của %(name)s") % {"name": business.name},
            "breadcrumbs": [
                (_("Cơ sở sản xuất, kinh doanh"), reverse("inspections:business_list")),
                (business.name, reverse("inspections:business_detail", args=[business.pk])),
                (_("Bản cam kết"), None),
            ],
        },
    )


# -- commitments -----------------------------------------------------------------------------


@permission_required("business.view")
def commitment_list(request):
    qs = Commitment.objects.for_user(request.user).select_related(
        "business__group", "household__group"
    )
    kind = request.GET.get("kind")
    if kind == "business":
        qs = qs.filter(business__isnull=False)
    elif kind == "household":
        qs = qs.filter(household__isnull=False)
    page = Paginator(qs.order_by("-signed_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/commitment_list.html",
        {
            "page": page,
            "kind": kind,
            "query": f"kind={kind}" if kind in ("business", "household") else "",
            "can_household": may(request.user, "commitment.household"),
            "breadcrumbs": [(_("Bản cam kết"), None)],
        },
    )


@permission_required("commitment.household")
def household_commitment(request):
    form = HouseholdCommitmentForm(
        request.POST or None, user=request.user, initial={"signed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.commitment_sign(by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận bản cam kết của hộ gia đình."))
            return redirect("inspections:commitment_list")
    chosen = form["household"].value()
    chosen_household = (
        Household.objects.for_user(request.user).filter(pk=as_id(chosen)).first()
        if as_id(chosen)
        else None
    )
    return render(
        request,
        "inspections/household_commitment.html",
        {
            "form": form,
            "chosen": chosen_household,
            "breadcrumbs": [
                (_("Bản cam kết"), reverse("inspections:commitment_list")),
                (_("Cam kết của hộ gia đình"), None),
            ],
        },
    )


@permission_required("commitment.household")
def household_search(request):
    """htmx: up to 20 households of the viewer's scope matching a name or code."""
    q = query_text(request)
    results = []
    if len(q) >= 2:
        results = list(
            Household.objects.for_user(request.user).search(q).select_related("group")[:20]
        )
        access_log(request, None, "view", _("tìm hộ gia đình"), shown=results, model=Household)
    return render(request, "inspections/_household_results.html", {"results": results, "q": q})


@permission_required("business.view")
def commitment_pdf(request, pk):
    commitment = get_object_or_404(
        Commitment.objects.for_user(request.user).select_related(
            "business__group", "household__group"
        ),
        pk=pk,
    )
    access_log(request, commitment, "print")
    pdf = render_pdf(
        "inspections/pdf/commitment.html",
        {
            "commitment": commitment,
            "doc_date": commitment.signed_on,
            "ward": (commitment.business or commitment.household).ward,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cam-ket-{commitment.pk}.pdf"'
    return response


# -- inspections -----------------------------------------------------------------------------


@permission_required("inspection.view")
def inspection_list(request):
    today = timezone.localdate()
    qs = (
        Inspection.objects.for_user(request.user)
        .select_related("business__group")
        .order_by("-date", "-planned_on", "-pk")
    )
    view = request.GET.get("view") or ("overdue" if request.GET.get("overdue") else "")
    if view == "overdue":
        qs = qs.overdue(today).order_by("planned_on", "pk")
    elif view == "planned":
        qs = qs.filter(status=Inspection.Status.PLANNED, planned_on__gte=today).order_by(
            "planned_on", "pk"
        )
    elif view == "done":
        qs = qs.filter(status=Inspection.Status.DONE).order_by("-date", "-pk")
    kind = request.GET.get("kind")
    if kind in Inspection.Kind.values:
        qs = qs.filter(kind=kind)
    qs = qs.annotate(n_violations=Count("violations"), n_minors=Count("minors", distinct=True))
    counts = Inspection.objects.for_user(request.user).aggregate(
        overdue=Count("pk", filter=Q(status=Inspection.Status.PLANNED, planned_on__lt=today)),
        planned=Count("pk", filter=Q(status=Inspection.Status.PLANNED, planned_on__gte=today)),
        done=Count("pk", filter=Q(status=Inspection.Status.DONE)),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "page": page,
            "view": view,
            "kind": kind,
            "query": _query(request),
            "counts": counts,
            "today": today,
            "kinds": Inspection.Kind.choices,
            "can_edit": may(request.user, "inspection.edit"),
            "breadcrumbs": [(_("Kiểm tra"), None)],
        },
    )


@permission_required("inspection.edit")
def inspection_plan(request):
    initial = {"planned_on": timezone.localdate()}
    if request.GET.get("business"):
        initial["businesses"] = [request.GET["business"]]
    form = InspectionPlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = services.inspection_plan(by=request.user, **form.cleaned_data)
        messages.success(request, _("Đã lập kế hoạch kiểm tra %(n)d cơ sở.") % {"n": len(created)})
        return redirect(reverse("inspections:inspection_list") + "?view=planned")
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": _("Lập kế hoạch kiểm tra"),
            "breadcrumbs": [
                (_("Kiểm tra"), reverse("inspections:inspection_list")),
                (_("Lập kế hoạch"), None),
            ],
        },
    )


def _inspection(request, pk):
    return get_object_or_404(
        Inspection.objects.for_user(request.user).select_related("business__group"), pk=pk
    )


@permission_required("inspection.view")
def inspection_detail(request, pk):
    inspection = _inspection(request, pk)
    minors = list(
        MinorFound.objects.filter(inspection=inspection).select_related(
            "child__household", "work_record", "case"
        )
    )
    if minors:
        access_log(request, inspection, "view", "trẻ em phát hiện khi kiểm tra")
        # The record keeps the catalogue code; people read the job's name.
        names = dict(
            JobType.objects.filter(code__in={m.work_record.job_code for m in minors}).values_list(
                "code", "name"
            )
        )
        for m in minors:
            m.job_name = names.get(m.work_record.job_code, m.work_record.job_code)
    violations = list(inspection.violations.select_related("child"))
    recorded = {(v.code, v.child_id) for v in violations}
    suggestions = []
    for m in minors:
        for v in m.work_record.violations or []:
            if (v["code"], m.child_id) not in recorded:
                suggestions.append({"code": v["code"], "message": v["message"], "child": m.child})
    if (
        not inspection.business.has_minor_register
        and (minors or inspection.business.minor_employee_count)
        and not any(v.code == "no_minor_register" for v in violations)
    ):
        suggestions.append(
            {
                "code": "no_minor_register",
                "message": CATALOGUE["no_minor_register"].label,
                "child": None,
            }
        )
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "minors": minors,
            "violations": violations,
            "suggestions": suggestions,
            "team_members": inspection.team_members.select_related("profile"),
            "can_edit": may(request.user, "inspection.edit"),
            "catalogue": CATALOGUE,
            "breadcrumbs": [
                (_("Kiểm tra"), reverse("inspections:inspection_list")),
                (str(inspection), None),
            ],
        },
    )


@permission_required("inspection.edit")
def inspection_record(request, pk):
    inspection = _inspection(request, pk)
    if inspection.status == Inspection.Status.CANCELLED:
        raise PermissionDenied
    form = InspectionRecordForm(
        request.POST or None,
        initial={
            "date": inspection.date
            or min(inspection.planned_on or timezone.localdate(), timezone.localdate()),
            "findings": inspection.findings,
            "minutes_number": inspection.minutes_number,
            "legal_dissemination": inspection.legal_dissemination,
            "cost_vnd": inspection.cost_vnd,
            "cost_source": inspection.cost_source,
        },
        record=inspection,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_record(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu kết quả kiểm tra."))
            return redirect("inspections:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": _("Kết quả kiểm tra: %(b)s") % {"b": inspection.business.name},
            "breadcrumbs": [
                (_("Kiểm tra"), reverse("inspections:inspection_list")),
                (str(inspection), reverse("inspections:inspection_detail", args=[pk])),
                (_("Kết quả"), None),
            ],
        },
    )


@require_POST
@permission_required("inspection.edit")
def inspection_cancel(request, pk):
    inspection = _inspection(request, pk)
    try:
        services.inspection_cancel(inspection=inspection, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã hủy cuộc kiểm tra."))
    return redirect("inspections:inspection_detail", pk=pk)


@permission_required("inspection.edit")
def minor_add(request, pk):
    inspection = _inspection(request, pk)
    if inspection.status != Inspection.Status.DONE:
        messages.error(request, _("Ghi kết quả kiểm tra (ngày kiểm tra) trước khi thêm trẻ em."))
        return redirect("inspections:inspection_detail", pk=pk)
    children_qs = Child.objects.for_user(request.user)
    form = MinorFoundForm(
        request.POST or None,
        inspection=inspection,
        children_qs=children_qs,
        initial={"started_on": inspection.date, "record_violations": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.inspection_minor_add(
                inspection=inspection,
                by=request.user,
                work=form.work(),
                child=data["child_obj"],
                new_child=None
                if data["child_obj"]
                else {k: data[k] for k in ("full_name", "sex", "birth_date")},
                household=data.get("household"),
                new_household={
                    "head_name": data["household_head"],
                    "address": data["household_address"],
                }
                if data.get("household_head")
                else None,
                record_violations=data["record_violations"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            a = result.assessment
            if a.lawful is False:
                msg = _("Đã ghi nhận %(name)s: làm việc trái quy định (%(n)d vi phạm).") % {
                    "name": result.minor.child.full_name,
                    "n": len(a.violations),
                }
                if result.case:
                    msg += " " + _("Đã mở hồ sơ vụ việc cho trẻ.")
                messages.warning(request, msg)
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận %(name)s: công việc đúng quy định.")
                    % {"name": result.minor.child.full_name},
                )
            return redirect("inspections:inspection_detail", pk=pk)
    chosen = form["child"].value()
    chosen_child = children_qs.filter(pk=as_id(chosen)).first() if as_id(chosen) else None
    return render(
        request,
        "inspections/minor_form.html",
        {
            "form": form,
            "inspection": inspection,
            "chosen": chosen_child,
            "breadcrumbs": [
                (_("Kiểm tra"), reverse("inspections:inspection_list")),
                (str(inspection), reverse("inspections:inspection_detail", args=[pk])),
                (_("Trẻ em phát hiện"), None),
            ],
        },
    )


@permission_required("inspection.edit")
def child_search(request, pk):
    """htmx: children the viewer may see, by name (diacritics-insensitive) or ID number."""
    _inspection(request, pk)
    q = query_text(request)
    results = []
    if len(q) >= 2:
        results = list(
            Child.objects.for_user(request.user)
            .current()
            .search(q)
            .select_related("household")[:20]
        )
        access_log(request, None, "view", _("tìm trẻ em"), shown=results, model=Child)
    return render(request, "inspections/_child_results.html", {"results": results, "q": q})


@permission_required("inspection.edit")
def violation_add(request, pk):
    inspection = _inspection(request, pk)
    initial = {
        "detected_on": inspection.date or timezone.localdate(),
        "code": request.GET.get("code"),
        "child": request.GET.get("child"),
    }
    form = ViolationForm(request.POST or None, inspection=inspection, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.violation_create(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận vi phạm."))
            return redirect("inspections:inspection_detail", pk=pk)
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": _("Ghi nhận vi phạm: %(b)s") % {"b": inspection.business.name},
            "breadcrumbs": [
                (_("Kiểm tra"), reverse("inspections:inspection_list")),
                (str(inspection), reverse("inspections:inspection_detail", args=[pk])),
                (_("Vi phạm"), None),
            ],
        },
    )


@permission_required("inspection.view")
def violation_list(request):
    today = timezone.localdate()
    qs = Violation.objects.for_user(request.user).select_related(
        "inspection__business__group", "child"
    )
    status = request.GET.get("status")
    overdue = request.GET.get("overdue")
    if overdue:
        qs = qs.overdue(today)
    elif status in Violation.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-detected_on", "-pk"), 50).get_page(request.GET.get("page"))
    for v in page:
        v.entry = CATALOGUE.get(v.code)
        v.range = fine_range(v.code, organisation=v.inspection.business.is_organisation)
    return render(
        request,
        "inspections/violation_list.html",
        {
            "page": page,
            "status": status,
            "overdue": overdue,
            "query": _query(request),
            "statuses": Violation.Status.choices,
            "today": today,
            "can_edit": may(request.user, "inspection.edit"),
            "breadcrumbs": [(_("Vi phạm"), None)],
        },
    )


@permission_required("inspection.edit")
def violation_edit(request, pk):
    violation = get_object_or_404(
        Violation.objects.for_user(request.user).select_related("inspection__business"), pk=pk
    )
    form = ViolationHandleForm(
        request.POST or None,
        initial={
            "status": violation.status,
            "handled_on": violation.handled_on,
            "decision_number": violation.decision_number,
            "fine_vnd": violation.fine_vnd,
            "reinspection_due": violation.reinspection_due,
        },
        record=violation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.violation_handle(violation=violation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật vi phạm."))
            return redirect("inspections:inspection_detail", pk=violation.inspection_id)
    entry = CATALOGUE.get(violation.code)
    return render(
        request,
        "inspections/violation_form.html",
        {
            "form": form,
            "violation": violation,
            "entry": entry,
            "range": violation.fine_range(),
            "breadcrumbs": [
                (_("Vi phạm"), reverse("inspections:violation_list")),
                (str(violation.inspection), None),
            ],
        },
    )


# -- the yearly screening of businesses (plan II.2) --------------------------------------------


def unscreened_businesses(user, group, on=None):
    """The group's active businesses (in the user's scope) with no screening in the year."""
    return (
        Business.objects.for_user(user)
        .active()
        .filter(group=group)
        .exclude(screenings__date__gte=year_start(on))
        .order_by("search_name", "pk")
    )


@permission_required("business.screen")
def business_screening(request):
    groups, group = screening_group(request)
    qs = unscreened_businesses(request.user, group) if group else Business.objects.none()
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "households/screening.html",
        {
            **screening_tabs(request, group, "businesses"),
            "kind": "business",
            "groups": groups,
            "group": group,
            "page": page,
            "query": f"group={group.code}" if group else "",
            "year": timezone.localdate().year,
            "breadcrumbs": [(_("Rà soát"), None)],
        },
    )


@permission_required("business.screen")
@require_POST
def business_screen(request, pk):
    business = get_object_or_404(
        Business.objects.for_user(request.user).select_related("group"), pk=pk
    )
    back = reverse("inspections:business_screening")
    return screen_post(
        request,
        business,
        kind="business",
        service=lambda **kw: services.business_screen(business=business, **kw),
        back=back + (f"?group={business.group.code}" if business.group_id else ""),
    )
