from collections import defaultdict

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen import jobs
from dongnguyen.db_router import read_from_replica
from dongnguyen.errors import ServiceError, StaleVersionError
from dongnguyen.forms import add_service_errors
from dongnguyen.paging import choice_labels, page_of_values
from dongnguyen.permissions import may, permission_required
from dongnguyen.roles import Role, in_ward, role_of, ward_of
from dongnguyen.services import access_log
from dongnguyen.text import file_slug, query_text
from households.models import ResidentialGroup
from outreach.coverage import materials_by_kind
from outreach.models import MaterialDistribution, OutreachSession

from . import catalogue, freshness, kpis, selectors, services
from .forms import InputsRequestForm, PeriodForm, ReportCreateForm, ReportTextForm
from .models import KpiSnapshot, Report
from .periods import PeriodError, current_periods, parse_period
from .templatetags import humanize_vn


def _period_from(request):
    code = request.GET.get("period") or current_periods()[0].code
    try:
        return parse_period(code)
    except PeriodError as exc:
        messages.error(request, str(exc))
        return current_periods()[0]


def _scope(request):
    """The residential group the viewer looks at: collaborators only their own group(s)."""
    groups = ResidentialGroup.objects.for_user(request.user).filter(active=True)
    code = query_text(request, "group")
    if role_of(request.user) == Role.COLLABORATOR:
        allowed = list(groups)
        if not allowed:
            raise PermissionDenied
        chosen = next((g for g in allowed if g.code == code), allowed[0])
        return chosen, allowed
    if code:
        return get_object_or_404(groups, code=code), list(groups)
    return None, list(groups)


def _reports(request):
    """The reports of the viewer's ward (another ward's report is a 404)."""
    return in_ward(Report.objects.all(), request.user)


def _values_from_snapshots(rows, group):
    """KpiValue-like rows from stored snapshots of one scope, in catalogue order."""
    mine = {r.code: r for r in rows if r.group_id == (group.pk if group else None)}
    out = []
    for kpi in catalogue.entries():
        r = mine.get(kpi.code)
        if r is None:
            continue
        previous = r.extra.get("previous") if r.extra else None
        out.append(
            kpis.KpiValue(
                code=kpi.code,
                name=kpi.name,
                unit=kpi.unit,
                comparator=kpi.comparator,
                numerator=int(r.numerator) if r.numerator is not None else None,
                denominator=int(r.denominator) if r.denominator is not None else None,
                value=r.value,
                target=kpi.target,
                met=r.met,
                previous=kpis.Decimal(previous) if previous is not None else None,
                extra=r.extra or {},
            )
        )
    return out


@permission_required("dashboard.view")
def dashboard(request):
    period = _period_from(request)
    group, groups = _scope(request)
    if period in current_periods():
        freshness.refresh_if_due()
    with read_from_replica():  # snapshots tolerate a few seconds' lag
        return _dashboard_page(request, period, group, groups)


# Groups per page of the heat table: at province scale a ward's page must not render (and read
# the snapshots of) every group at once.
HEAT_PAGE = 30


def _dashboard_page(request, period, group, groups):
    ward = ward_of(request.user)
    # Collaborators see their own group only: no heat table.
    heat_groups = [] if role_of(request.user) == Role.COLLABORATOR else groups
    heat_page = Paginator(heat_groups, HEAT_PAGE).get_page(request.GET.get("heat_page"))
    shown = list(heat_page.object_list)
    can_drill = may(request.user, "dashboard.view")
    # The parts drawn from the snapshots (tiles, trend, heat table), cached under what the
    # ward's snapshots of the period and its trend are now: one indexed query on a hit.
    token = freshness.snapshot_token(_trend_snapshots(period, ward))
    key = freshness.part_key(
        "ward",
        ward.pk,
        period.code,
        group.pk if group else None,
        heat_page.number,
        heat_page.paginator.count,
        [(g.pk, g.code, g.name) for g in shown],
        can_drill,
        token,
    )
    parts = freshness.cached_part(
        key,
        lambda: _snapshot_parts(period, group, ward, shown, heat_page, can_drill),
        keep=lambda built: not built["live"],
    )
    # Materials given out in the period (plan II.1), in the viewer's scope and the group.
    distributions = MaterialDistribution.objects.for_user(request.user)
    sessions = OutreachSession.objects.for_user(request.user)
    if group is not None:
        distributions, sessions = distributions.filter(group=group), sessions.filter(group=group)
    materials = materials_by_kind(period.start, period.end, distributions, sessions)
    return render(
        request,
        "reports/dashboard.html",
        {
            "period": period,
            "group": group,
            "groups": groups,
            "parts": parts,
            "materials": materials,
            "computed_at": parts["computed_at"],
            "live": parts["live"],
            "period_form": PeriodForm(initial={"period": period.code}),
            "can_recompute": may(request.user, "kpi.recompute"),
            "breadcrumbs": [(_("Chỉ tiêu"), None)],
        },
    )


def _snapshot_parts(period, group, ward, shown, heat_page, can_drill) -> dict:
    """The dashboard's tiles and its trend and heat table, rendered, from the snapshots of the
    scope and of the shown groups (one query, and one for the trend); computed live when the
    period was never snapshotted (same constant number of queries)."""
    rows = selectors.snapshots_for(period, ward, scope=group, groups=shown)
    computed_at = max((r.computed_at for r in rows), default=None)
    if rows:
        by_group = defaultdict(list)  # one pass: the heat table has a row per group
        for r in rows:
            by_group[r.group_id].append(r)
        values = _values_from_snapshots(by_group[group.pk if group else None], group)
        heat = [(g, {v.code: v for v in _values_from_snapshots(by_group[g.pk], g)}) for g in shown]
    else:  # never snapshotted: compute live (same constant number of queries)
        ward_values, by_group = kpis.compute_all_groups(period, ward=ward)
        values = ward_values if group is None else by_group.get(group, [])
        heat = [(g, {v.code: v for v in by_group.get(g, [])}) for g in shown]
    heat_codes = [k.code for k in catalogue.entries() if not k.ward_only]
    context = {
        "period": period,
        "group": group,
        "values": values,
        "heat": [(g, _heat_cells(vals, heat_codes)) for g, vals in heat],
        "heat_codes": heat_codes,
        "heat_page": heat_page,
        "trend": _trend(period, group, ward),
        "can_drill": can_drill,
    }
    return {
        "tiles": render_to_string("reports/_dashboard_tiles.html", context),
        "trend_heat": render_to_string("reports/_dashboard_trend_heat.html", context),
        "computed_at": computed_at,
        "live": not rows,
    }


_HEAT_CSS = {"met": "table-success", "near": "table-warning", "missed": "table-danger"}


def _heat_cells(vals: dict, codes: list[str]) -> list[tuple[str, str]]:
    """(css class, text) per cell, built here: the table has a row per residential group (a
    thousand at province scale) and per-cell template tags would dominate the page time."""
    cells = []
    for code in codes:
        v = vals.get(code)
        if v is None:
            cells.append(("", ""))
            continue
        text = humanize_vn.vn(v.numerator) if v.unit == kpis.COUNT else humanize_vn.num1(v.value)
        cells.append((_HEAT_CSS.get(v.status, ""), text))
    return cells


def _trend_quarters(period):
    year = period.end.year
    return [parse_period(f"{y}-Q{q}") for y in (year - 1, year) for q in range(1, 5)]


def _trend_snapshots(period, ward):
    """The ward's snapshots the dashboard of `period` shows: the period's and its trend's
    quarters (the token of its cached parts)."""
    quarters = _trend_quarters(period)
    return KpiSnapshot.objects.filter(ward=ward).filter(
        Q(period_start__gte=quarters[0].start, period_end__lte=quarters[-1].end)
        | Q(period_start=period.start, period_end=period.end)
    )


def _trend(period, group, ward) -> dict:
    """Quarter values of this year and last year, from snapshots (one query), as small
    multiples: one chart per KPI against its target, over the quarters that have data."""
    quarters = _trend_quarters(period)
    snaps = KpiSnapshot.objects.filter(
        ward=ward,
        period_start__in=[q.start for q in quarters],
        period_end__in=[q.end for q in quarters],
        group=group,
    ).values_list("code", "period_start", "value")
    by = {(c, s): float(v) if v is not None else None for c, s, v in snaps}
    kpis_shown = [k for k in catalogue.entries() if k.unit == catalogue.PERCENT]
    with_data = [
        q for q in quarters if any(by.get((k.code, q.start)) is not None for k in kpis_shown)
    ]
    roman = ["I", "II", "III", "IV"]
    return {
        "labels": [f"{roman[(q.start.month - 1) // 3]}/{q.start.year}" for q in with_data],
        "series": [
            {
                "code": k.code,
                "name": str(k.name),
                "target": float(k.target) if k.target is not None else None,
                "data": [by.get((k.code, q.start)) for q in with_data],
            }
            for k in kpis_shown
            if any(by.get((k.code, q.start)) is not None for q in with_data)
        ],
    }


@permission_required("kpi.recompute")
@require_POST
def recompute(request):
    """Queue a recompute of the selected period's snapshots; the page polls for the result."""
    period = _period_from(request)
    started = timezone.now()
    from .tasks import snapshot_period

    if not jobs.enqueue(snapshot_period, period.code, ward_of(request.user).pk):
        return render(
            request, "reports/_recompute_status.html", {"period": period, "queue_down": True}
        )
    cache.set(f"kpi-recompute:{period.code}", started.isoformat(), 3600)
    return render(
        request,
        "reports/_recompute_status.html",
        {"period": period, "done": False, "started": started.isoformat()},
    )


@permission_required("kpi.recompute")
def recompute_status(request):
    period = _period_from(request)
    started = request.GET.get("started", "")
    latest = (
        KpiSnapshot.objects.filter(
            ward=ward_of(request.user), period_start=period.start, period_end=period.end
        )
        .order_by("-computed_at")
        .values_list("computed_at", flat=True)
        .first()
    )
    done = latest is not None and latest.isoformat() >= started
    return render(
        request,
        "reports/_recompute_status.html",
        {"period": period, "done": done, "started": started, "computed_at": latest},
    )


# What a drill-down row shows, by its source's kind, read as tuples of these columns
# (paging.page_of_values, as the lists do), not fifty model instances each with its joined
# household and group (templates/reports/drill.html). A row is a dict keyed by the column's
# name with "__" as "_"; a kind not named here (a group, an account) is read as instances.
_DRILL_COLUMNS = {
    "child": ("pk", "full_name", "birth_date", "household__group__name", "school_status"),
    "household": ("pk", "code", "head_name", "group__name"),
    "business": ("pk", "name", "address", "group__name"),
    "violation": ("pk", "code", "inspection__business__name", "detected_on", "status"),
    "intake": ("pk", "receipt_code", "received_at", "channel", "status"),
    "caregiver": (
        "pk",
        "name",
        "relation",
        "household__code",
        "household__head_name",
        "household__group__name",
    ),
}
# The columns shown by their choice's label, each from one dict for the page.
_DRILL_LABELS = {
    "child": ("school_status",),
    "violation": ("status",),
    "intake": ("channel", "status"),
}


def _drill_page(kind, qs, number):
    """The page of a drill-down list, its rows as the template reads them."""
    columns = _DRILL_COLUMNS.get(kind)
    if columns is None:
        page = Paginator(qs, 50).get_page(number)
        page.object_list = list(page.object_list)
        return page
    page = page_of_values(qs, columns, 50, number)
    keys = [column.replace("__", "_") for column in columns]
    rows = [dict(zip(keys, values, strict=True)) for values in page.object_list]
    for field in _DRILL_LABELS.get(kind, ()):
        labels = choice_labels(qs.model, field)
        for row in rows:
            row[f"{field}_label"] = labels.get(row[field], row[field])
    page.object_list = rows
    return page


@permission_required("dashboard.view")
def drill(request, code, part):
    """The records behind a KPI value (numerator) or the missing ones of its denominator."""
    kpi = catalogue.get(code)
    if kpi is None or part not in kpi.drill:
        raise Http404
    period = _period_from(request)
    group, _groups = _scope(request)
    kind, qs = selectors.drill_queryset(code, part, period, request.user, group)
    if kind is None:
        raise Http404
    page = _drill_page(kind, qs, request.GET.get("page"))
    rows = page.object_list
    access_log(
        request,
        None,
        "view",
        f"chỉ tiêu {code} {part} {period.code}",
        shown=[row["pk"] if isinstance(row, dict) else row.pk for row in rows],
        model=qs.model,
    )
    return render(
        request,
        "reports/drill.html",
        {
            "kpi": kpi,
            "part": part,
            "kind": kind,
            "page": page,
            "period": period,
            "group": group,
            "breadcrumbs": [
                (_("Chỉ tiêu"), reverse("reports:dashboard") + f"?period={period.code}"),
                (code, None),
            ],
        },
    )


@permission_required("finance.view")
def finance(request):
    """Support spending by kind and funding source: aggregates only, no personal data."""
    period = _period_from(request)
    from dongnguyen.roles import ward_of

    # The user's own ward only (several wards' supports share the table).
    rows = selectors.supports_by_kind_and_source(period, ward_of(request.user))
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("n", "children", "state_budget", "social_mobilization", "other", "total")
    }
    return render(
        request,
        "reports/finance.html",
        {
            "period": period,
            "rows": rows,
            "totals": totals,
            "period_form": PeriodForm(initial={"period": period.code}),
            "breadcrumbs": [(_("Kinh phí hỗ trợ"), None)],
        },
    )


@permission_required("budget.view")
def budget(request):
    """The yearly estimate against what was spent, per activity line and source, month by
    month, with a chart and a warning on over-spent lines (issue 15 point 2)."""
    from dongnguyen.roles import ward_id_of
    from dongnguyen.text import as_id

    from . import mgmt

    today = timezone.localdate()
    year = as_id(request.GET.get("year", ""))
    year = year if year and 2000 <= year <= today.year + 1 else today.year
    data = mgmt.budget(year, ward_id_of(request.user))
    return render(
        request,
        "reports/budget.html",
        {
            "b": data,
            "chart": mgmt.budget_chart(data),
            "year": str(year),
            "breadcrumbs": [(_("Dự toán và thực hiện kinh phí"), None)],
        },
    )


# ---------------------------------------------------------------------------------------------
# Reports


@permission_required("report.view")
def report_list(request):
    show_archived = request.GET.get("archived") == "1"
    reports = _reports(request).select_related("created_by", "finalized_by").defer("data")
    if not show_archived:
        reports = reports.exclude(status=Report.Status.ARCHIVED)
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    form = ReportCreateForm()
    return render(
        request,
        "reports/report_list.html",
        {
            "page": page,
            "form": form,
            "show_archived": show_archived,
            "breadcrumbs": [(_("Báo cáo"), None)],
        },
    )


@permission_required("report.edit")
def report_create(request):
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_request(
                kind=form.cleaned_data["kind"],
                period=form.cleaned_data["period"].code,
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.text)
        else:
            _tell_if_not_queued(request, report)
            return redirect("reports:report_detail", pk=report.pk)
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "breadcrumbs": [(_("Báo cáo"), reverse("reports:report_list")), (_("Tạo mới"), None)],
        },
    )


@permission_required("report.view")
def report_detail(request, pk):
    return _report_page(request, get_object_or_404(_reports(request), pk=pk))


def _report_page(request, report, inputs_form=None, status=200):
    text_form = ReportTextForm(instance=report)
    from coordination.models import AgencyInput

    # The agencies' inputs of this period, live: who has sent, who is late.
    inputs = list(
        AgencyInput.objects.filter(ward_id=report.ward_id)
        .of_period(report.period_start, report.period_end)
        .select_related("agency", "group")
        .order_by("kind", "group__code", "pk")
    )
    can_request = may(request.user, "agency_input.manage") and not report.is_locked
    if can_request and inputs_form is None:
        default_due = report.due_on or report.period_end
        if inputs:
            default_due = inputs[0].due_on
        inputs_form = InputsRequestForm(initial={"due_on": default_due})
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "text_form": text_form,
            "inputs": inputs,
            "inputs_late": [i for i in inputs if i.is_late],
            "inputs_form": inputs_form if can_request else None,
            "can_finalize": may(request.user, "report.finalize"),
            "breadcrumbs": [(_("Báo cáo"), reverse("reports:report_list")), (str(report), None)],
        },
        status=status,
    )


@permission_required("agency_input.manage")
@require_POST
def report_inputs_request(request, pk):
    """Ask the health station, the police and every group for their input to this report."""
    from coordination.services import inputs_request

    report = get_object_or_404(_reports(request), pk=pk)
    if report.is_locked:
        messages.error(request, _("Báo cáo đã ban hành hoặc đã lưu trữ, không thể sửa."))
        return redirect("reports:report_detail", pk=pk)
    form = InputsRequestForm(request.POST)
    if form.is_valid():
        try:
            made = inputs_request(
                by=request.user,
                period=report.period,
                start=report.period_start,
                end=report.period_end,
                due_on=form.cleaned_data["due_on"],
                ward=report.ward,
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã đề nghị %(n)s đơn vị gửi báo cáo, hạn %(due)s.")
                % {"n": len(made), "due": f"{form.cleaned_data['due_on']:%d/%m/%Y}"},
            )
            return redirect("reports:report_detail", pk=pk)
    return _report_page(request, report, inputs_form=form, status=400)


@permission_required("report.view")
def report_status(request, pk):
    report = get_object_or_404(_reports(request).defer("data"), pk=pk)
    return render(request, "reports/_report_status.html", {"report": report})


@permission_required("report.edit")
@require_POST
def report_regenerate(request, pk):
    report = get_object_or_404(_reports(request), pk=pk)
    try:
        report = services.report_request(
            kind=report.kind, period=report.period, by=request.user, ward=report.ward
        )
    except ServiceError as exc:
        messages.error(request, exc.text)
    else:
        _tell_if_not_queued(request, report)
    return redirect("reports:report_detail", pk=pk)


def _tell_if_not_queued(request, report):
    report.refresh_from_db(fields=["status", "error"])
    if report.error != services.QUEUE_DOWN:
        return
    if report.status == Report.Status.READY:
        messages.error(
            request,
            _(
                "Chưa gửi được yêu cầu tạo lại: hàng đợi công việc không trả lời. Báo cáo đã "
                "tạo vẫn giữ nguyên; hãy thử lại sau ít phút."
            ),
        )
    elif report.status == Report.Status.FAILED:
        messages.error(request, services.QUEUE_DOWN)


@permission_required("report.edit")
@require_POST
def report_edit_text(request, pk):
    report = get_object_or_404(_reports(request), pk=pk)
    form = ReportTextForm(request.POST, instance=report)
    if report.is_locked:  # finalized or archived
        messages.error(request, _("Báo cáo đã ban hành hoặc đã lưu trữ, không thể sửa."))
        return redirect("reports:report_detail", pk=pk)
    if form.is_valid():
        try:
            services.report_update_text(
                report=report,
                difficulties=form.cleaned_data["difficulties"],
                proposals=form.cleaned_data["proposals"],
            )
        except StaleVersionError as exc:
            add_service_errors(form, exc)
        except services.ReportLocked as exc:  # locked between the page's read and the save
            messages.error(request, exc.text)
            return redirect("reports:report_detail", pk=pk)
        else:
            messages.success(request, _("Đã lưu khó khăn, đề xuất."))
            return redirect("reports:report_detail", pk=pk)
    return _detail(request, report, form)


@permission_required("report.finalize")
@require_POST
def report_finalize(request, pk):
    """The "Ban hành" button belongs to the text form: what the issuer typed and did not save
    is saved with the issue, not lost."""
    report = get_object_or_404(_reports(request), pk=pk)
    text = {}
    if "difficulties" in request.POST or "proposals" in request.POST:
        form = ReportTextForm(request.POST, instance=report)
        if not form.is_valid():
            return _detail(request, report, form)
        text = {k: form.cleaned_data[k] for k in ("difficulties", "proposals")}
    try:
        services.report_finalize(report=report, by=request.user, **text)
    except StaleVersionError as exc:
        add_service_errors(form, exc)
        return _detail(request, report, form)
    except ServiceError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Đã ban hành báo cáo."))
    return redirect("reports:report_detail", pk=pk)


def _detail(request, report, form):
    """The report page again with the form as typed (and its errors)."""
    report.refresh_from_db()
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "text_form": form,
            "can_finalize": may(request.user, "report.finalize"),
            "breadcrumbs": [(_("Báo cáo"), reverse("reports:report_list")), (str(report), None)],
        },
    )


@permission_required("report.finalize")
@require_POST
def report_archive(request, pk):
    report = get_object_or_404(_reports(request), pk=pk)
    try:
        services.report_archive(report=report, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Đã chuyển báo cáo vào lưu trữ."))
    return redirect("reports:report_detail", pk=pk)


@permission_required("report.view")
def report_download(request, pk):
    report = get_object_or_404(_reports(request).defer("data"), pk=pk)
    if not report.pdf:
        raise Http404
    try:
        pdf = report.pdf.open("rb")
    except FileNotFoundError:
        messages.error(
            request, _("Không tìm thấy tệp PDF của báo cáo trên máy chủ; hãy tạo lại báo cáo.")
        )
        return redirect("reports:report_detail", pk=pk)
    access_log(request, report, "print")
    return FileResponse(
        pdf,
        as_attachment=True,
        filename=f"{file_slug(report.title)}.pdf",
        content_type="application/pdf",
    )


@permission_required("report.view")
def report_excel(request, pk):
    report = get_object_or_404(_reports(request), pk=pk)
    if not report.data:
        raise Http404
    access_log(request, report, "export")
    response = HttpResponse(
        services.report_workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{file_slug(report.title)}.xlsx"'
    return response
