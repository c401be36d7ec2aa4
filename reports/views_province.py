"""The province's pages (issue 12.3–12.4): the province dashboard (wards ranked per KPI), a
KPI's ward values, the consolidated province report and the wards' finalized reports. No page
here shows a child, household or case: aggregates and issued documents only."""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.models import Ward
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log

from . import catalogue, freshness, province, services
from .forms import PeriodForm, ReportCreateForm
from .models import LOCKED_STATUSES, Report
from .views import _period_from

# What the province may open: its own reports, and the wards' reports once issued.
_PROVINCE_READABLE = Q(scope=Report.Scope.PROVINCE) | Q(
    scope=Report.Scope.WARD, status__in=LOCKED_STATUSES
)


def _crumbs(*tail):
    return [(_("Toàn tỉnh"), reverse("reports:province_dashboard")), *tail]


@permission_required("province.dashboard")
def province_dashboard(request):
    period = _period_from(request)
    # The active wards as a subquery for the tokens, and the columns the parts depend on as
    # tuples: the wards themselves are loaded only to build a part missing from the cache.
    active = Ward.objects.active()
    keys = province.active_ward_keys()
    wards = functools.cache(province.active_wards)  # read once, by the first part built
    # The KPI cards, cached under what the wards' snapshots of the period (and the previous
    # one) are now, and the wards' names: one indexed query on a hit.
    token = freshness.snapshot_token(*province.dashboard_snapshots(period, active))
    key = freshness.part_key(
        "province",
        "province",
        period.code,
        [(pk, code, name) for pk, code, name, *_due in keys],
        token,
    )
    part = freshness.cached_part(key, lambda: _kpi_cards(period, wards()))
    # The due reports not finalized (a line per ward and report), cached under the day, the
    # wards' names and due days, and what their finalized reports are now: one query on a hit.
    today = timezone.localdate()
    overdue_key = freshness.part_key(
        "province-overdue",
        "province",
        today.isoformat(),
        [(pk, name, semiannual, annual) for pk, _code, name, semiannual, annual in keys],
        province.finalized_token(active, today),
    )
    overdue = freshness.cached_part(overdue_key, lambda: _overdue(wards(), today))
    return render(
        request,
        "reports/province_dashboard.html",
        {
            "part": part,
            "overdue": overdue,
            "ward_count": len(keys),
            "period": period,
            "period_form": PeriodForm(initial={"period": period.code}),
            "breadcrumbs": [(_("Toàn tỉnh"), None)],
        },
    )


def _overdue(wards, today) -> str:
    return render_to_string(
        "reports/_province_overdue.html",
        {"overdue": province.reports_not_finalized(wards, today)},
    )


def _kpi_cards(period, wards) -> dict:
    data = province.dashboard(period, wards)
    html = render_to_string(
        "reports/_province_kpis.html", {**data, "period": period, "shown": province.SHOWN}
    )
    return {"html": html, "computed_at": data["computed_at"]}


@permission_required("province.dashboard")
def province_kpi(request, code):
    """A KPI's value in each ward and the province (the drill stops at the wards)."""
    if catalogue.get(code) is None:
        raise Http404
    period = _period_from(request)
    item = province.kpi_ranking(period, code)
    return render(
        request,
        "reports/province_kpi.html",
        {
            "item": item,
            "period": period,
            "breadcrumbs": _crumbs(
                (f"{code} · {period.label}", None),
            ),
        },
    )


@permission_required("province.reports")
def province_report_list(request):
    reports = (
        Report.objects.filter(_PROVINCE_READABLE)
        .select_related("ward")
        .defer("data")
        .order_by("-period_start", "scope", "ward__code", "kind")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/province_report_list.html",
        {
            "page": page,
            "form": ReportCreateForm(),
            "can_edit": may(request.user, "province.report_edit"),
            "breadcrumbs": _crumbs((_("Báo cáo"), None)),
        },
    )


@permission_required("province.report_edit")
@require_POST
def province_report_create(request):
    form = ReportCreateForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_request(
                kind=form.cleaned_data["kind"],
                period=form.cleaned_data["period"].code,
                by=request.user,
                scope=Report.Scope.PROVINCE,
            )
        except ServiceError as exc:
            messages.error(request, exc.text)
        else:
            return redirect("reports:province_report_detail", pk=report.pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("reports:province_report_list")


@permission_required("province.reports")
def province_report_detail(request, pk):
    report = get_object_or_404(Report.objects.filter(_PROVINCE_READABLE), pk=pk)
    return render(
        request,
        "reports/province_report_detail.html",
        {
            "report": report,
            "can_edit": report.is_province and may(request.user, "province.report_edit"),
            "breadcrumbs": _crumbs(
                (_("Báo cáo"), reverse("reports:province_report_list")), (str(report), None)
            ),
        },
    )


@permission_required("province.report_edit")
@require_POST
def province_report_regenerate(request, pk):
    report = get_object_or_404(Report, pk=pk, scope=Report.Scope.PROVINCE)
    try:
        services.report_request(
            kind=report.kind, period=report.period, by=request.user, scope=report.scope
        )
    except ServiceError as exc:
        messages.error(request, exc.text)
    return redirect("reports:province_report_detail", pk=pk)


@permission_required("province.report_edit")
@require_POST
def province_report_finalize(request, pk):
    report = get_object_or_404(Report, pk=pk, scope=Report.Scope.PROVINCE)
    try:
        services.report_finalize(report=report, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Đã ban hành báo cáo."))
    return redirect("reports:province_report_detail", pk=pk)


@permission_required("province.reports")
def province_report_download(request, pk):
    report = get_object_or_404(Report.objects.filter(_PROVINCE_READABLE).defer("data"), pk=pk)
    if not report.pdf:
        raise Http404
    try:
        pdf = report.pdf.open("rb")
    except FileNotFoundError:
        messages.error(
            request, _("Không tìm thấy tệp PDF của báo cáo trên máy chủ; hãy tạo lại báo cáo.")
        )
        return redirect("reports:province_report_detail", pk=pk)
    access_log(request, report, "print")
    prefix = "bao-cao-tinh" if report.is_province else f"bao-cao-{report.ward.code}"
    return FileResponse(
        pdf,
        as_attachment=True,
        filename=f"{prefix}-{report.kind}-{report.period}.pdf",
        content_type="application/pdf",
    )
