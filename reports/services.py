"""Writes of the reports app: KPI snapshots and periodic reports. Views, tasks and management
commands all go through these."""

import io
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dongnguyen import jobs
from dongnguyen.db_router import read_from_replica
from dongnguyen.errors import ServiceError
from dongnguyen.pdf import render_pdf
from dongnguyen.text import file_slug
from dongnguyen.versioning import claim_version
from households.models import ResidentialGroup

from . import catalogue, kpis, province, selectors
from .models import LOCKED_STATUSES, KpiSnapshot, Report
from .periods import Period, parse_period

# A report still "generating" after this long lost its worker: asking again re-queues it.
STALE_GENERATION = timedelta(minutes=10)


# What the report row (and the page) says when Redis could not take the job: the row is left
# "failed" so the retry button shows.
QUEUE_DOWN = (
    "Chưa gửi được yêu cầu xử lý: hàng đợi công việc không trả lời. Hệ thống chưa tạo báo "
    "cáo; hãy bấm “Thử lại” sau ít phút."
)


class ReportLocked(ServiceError):
    """The report is finalized: it can no longer be edited or regenerated."""


# ---------------------------------------------------------------------------------------------
# KPI snapshots


def snapshot_store(*, period: Period, as_of=None, ward=None) -> int:
    """Compute the KPIs of a ward and each of its groups for `period` and store them as
    KpiSnapshot rows, replacing the previous ones (safe to run twice). Without a ward: every
    active ward, each counting only its own rows, computed together (kpis.compute_all_wards:
    the same queries for 3 wards or 99). The computation may read from the replica; each
    ward's rows are replaced on the primary in one transaction."""
    now = as_of or timezone.now()
    with read_from_replica():
        computed = kpis.compute_all_wards(
            period, as_of=now, wards=[ward] if ward is not None else None
        )
    total = 0
    for w, (ward_values, groups) in computed.items():
        rows = [_snapshot_row(v, period, None, now, w) for v in ward_values]
        for group, values in groups.items():
            rows.extend(_snapshot_row(v, period, group, now, w) for v in values)
        with transaction.atomic():
            KpiSnapshot.objects.filter(
                ward=w, period_start=period.start, period_end=period.end
            ).delete()
            KpiSnapshot.objects.bulk_create(rows)
        total += len(rows)
    return total


def _snapshot_row(v: kpis.KpiValue, p: Period, group, now, ward) -> KpiSnapshot:
    return KpiSnapshot(
        ward=ward,
        code=v.code,
        period_start=p.start,
        period_end=p.end,
        group=group,
        numerator=v.numerator,
        denominator=v.denominator,
        value=v.value,
        target=v.target_text()[:40],
        met=v.met,
        extra=v.extra,
        computed_at=now,
    )


# ---------------------------------------------------------------------------------------------
# Periodic reports


@transaction.atomic
def report_request(
    *,
    kind: str,
    period: str,
    by=None,
    due_on=None,
    enqueue: bool = True,
    scope: str = Report.Scope.WARD,
    ward=None,
) -> Report:
    """Create (or reuse) the report of `kind` for `period` of a ward (default: the ward of
    `by`) and queue its generation. The same ward, kind and period never make two reports; a
    finalized one is refused. Scope "province" is the province's consolidated report (no
    ward), built from the wards' finalized reports."""
    from dongnguyen.roles import ward_of

    if kind not in Report.Kind.values:
        raise ValueError(f"Loại báo cáo không hợp lệ: {kind}")
    if scope not in Report.Scope.values:
        raise ValueError(f"Phạm vi báo cáo không hợp lệ: {scope}")
    p = parse_period(period)
    if scope == Report.Scope.PROVINCE:
        ward = None
    elif ward is None:
        ward = ward_of(by)
    report, created = Report.objects.select_for_update().get_or_create(
        ward=ward,
        kind=kind,
        period=p.code,
        scope=scope,
        defaults={
            "period_start": p.start,
            "period_end": p.end,
            "created_by": by,
            "due_on": due_on or kpis.report_due_on(kind, p, ward),
        },
    )
    if report.is_locked:
        raise ReportLocked(_("Báo cáo đã ban hành, không thể tạo lại."))
    now = timezone.now()
    if (
        not created
        and report.status == Report.Status.GENERATING
        and report.requested_at
        and now - report.requested_at < STALE_GENERATION
    ):
        return report  # already queued: asking twice does not queue twice
    was_ready = not created and report.status == Report.Status.READY and bool(report.pdf)
    report.status = Report.Status.GENERATING
    report.error = ""
    report.requested_at = now
    report.save(update_fields=["status", "error", "requested_at"])
    if enqueue:  # seed_demo generates in-line instead: it runs in one long transaction
        transaction.on_commit(lambda: _queue_generation(report.pk, keep_ready=was_ready))
    return report


def _queue_generation(report_id: int, *, keep_ready: bool = False) -> None:
    """Hand the generation to the workers. If the broker is out of reach, a report that was
    ready stays ready with its PDF (an outage must not break a good report; `error` says why
    nothing was queued); a new one is failed with the reason and a retry button."""
    from .tasks import generate_report

    if jobs.enqueue(generate_report, report_id):
        return
    if keep_ready:
        Report.objects.filter(pk=report_id, status=Report.Status.GENERATING).update(
            status=Report.Status.READY, error=QUEUE_DOWN
        )
    else:
        report_mark_failed(report_id=report_id, error=QUEUE_DOWN)


def report_data(p: Period, as_of=None, ward=None) -> dict:
    """The frozen numbers of a report of a ward: KPI table, KPIs by group, statistics tables,
    and the management duties (meetings, funding, mobilized resources)."""
    from . import mgmt

    # Without JIT: PostgreSQL compiled the KPI and statistics statements of one ward for
    # longer than they ran. The server's work_mem: one ward's rows are few, and at 64 MB the
    # planner hashed the province's households for the commitments instead. Index reads
    # priced as on SSD/cache (1.1, not 4): otherwise the planner scanned the province's
    # caregivers, households and sessions' households instead of reading the ward's
    # through their indexes (at 100×, one ward: 845 → 242 ms for K16's statement). One
    # snapshot for all its statements: the report's tables agree with each other. Two
    # statements at a time, on two connections sharing that snapshot (reads.py): the
    # statistics and management tables start on the second while the KPIs start here.
    with kpis.without_jit(
        work_mem=None, random_page_cost="1.1", one_snapshot=True, helper=True
    ) as reads:
        statistics = reads.submit(partial(selectors.statistics, p, ward=ward))
        management = reads.submit(
            partial(mgmt.report_section, p, ward.pk if ward is not None else None)
        )
        ward_values, groups = kpis.compute_all_groups(p, as_of=as_of, ward=ward, run=reads.map)
        return {
            "period": {"code": p.code, "label": p.label, "start": str(p.start), "end": str(p.end)},
            "kpis": [_kpi_row(v) for v in ward_values],
            "groups": [
                {
                    "code": g.code,
                    "name": g.name,
                    "kpis": {v.code: _kpi_cell(v) for v in values},
                }
                for g, values in groups.items()
            ],
            "statistics": reads.result(statistics),
            "management": reads.result(management),
        }


def _kpi_cell(v: kpis.KpiValue) -> dict:
    return {
        "numerator": v.numerator,
        "denominator": v.denominator,
        "value": None if v.value is None else str(v.value),
        "met": v.met,
        "status": v.status,
    }


def _kpi_row(v: kpis.KpiValue) -> dict:
    return {
        "code": v.code,
        "name": str(v.name),
        "clause": str(v.kpi.clause),
        "unit": v.unit,
        "target": v.kpi.target_label,
        "ward_only": v.kpi.ward_only,
        "previous": None if v.previous is None else str(v.previous),
        "previous_numerator": v.previous_numerator,
        "previous_denominator": v.previous_denominator,
        "extra": v.extra,
        **_kpi_cell(v),
    }


# A report is an official Vietnamese document: frozen labels and the PDF stay Vietnamese
# whatever language the user who asked for it reads the site in.
@translation.override("vi")
def report_generate(*, report_id: int) -> Report:
    """Freeze the numbers and render the PDF. Safe to run twice; a finalized report is left
    alone."""
    report = Report.objects.get(pk=report_id)
    if report.is_locked:
        return report
    now = timezone.now()
    p = Period(report.period_start, report.period_end, report.period)
    with read_from_replica():  # the numbers may come from the replica, outside any lock
        if report.is_province:
            data = _jsonable(province.report_data(report.kind, p))
        else:
            data = _jsonable(report_data(p, as_of=now, ward=report.ward))
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.is_locked:
            return report
        report.data = data
        report.generated_at = now
        report.save(update_fields=["data", "generated_at"])
    pdf = render_report_pdf(report)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.is_locked:
            return report
        _replace_pdf(report, pdf)
        report.status = Report.Status.READY
        report.error = ""
        report.save(update_fields=["pdf", "status", "error"])
    return report


def _replace_pdf(report: Report, pdf: bytes):
    old = report.pdf.name if report.pdf else ""
    prefix = "tinh-" if report.is_province else ""
    name = f"{prefix}{file_slug(report.title)}.pdf"
    report.pdf.save(name, ContentFile(pdf), save=False)
    if old and old != report.pdf.name:
        # Only once the new name is committed: a rolled-back finalize or edit keeps the row
        # pointing at the old file, which must still be there.
        storage = report.pdf.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def report_mark_failed(*, report_id: int, error: str) -> None:
    Report.objects.filter(pk=report_id).exclude(status__in=LOCKED_STATUSES).update(
        status=Report.Status.FAILED, error=error[:2000]
    )


@transaction.atomic
def report_update_text(*, report: Report, difficulties: str, proposals: str) -> Report:
    """Edit the difficulties and proposals of a report that is not finalized; the PDF is
    rendered again from the frozen numbers."""
    seen = report.version
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_locked:
        raise ReportLocked(_("Báo cáo đã ban hành, không thể sửa."))
    claim_version(report, seen)  # before the PDF is rendered: a refused edit renders nothing
    report.difficulties = difficulties.strip()
    report.proposals = proposals.strip()
    fields = ["difficulties", "proposals"]
    if report.data and report.status == Report.Status.READY:
        _replace_pdf(report, render_report_pdf(report))
        fields.append("pdf")
    report.save(update_fields=fields)
    return report


@transaction.atomic
def report_finalize(
    *, report: Report, by, difficulties: str | None = None, proposals: str | None = None
) -> Report:
    """Leadership issues the report: it gets its number, the PDF is rendered with it from the
    frozen numbers, and the report is locked.

    The difficulties and proposals on the issuer's screen, when given, are saved in the same
    transaction first: what was typed but not yet saved is what gets issued, never lost (and a
    text changed meanwhile by someone else refuses the issue, like any stale edit)."""
    seen = report.version
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_locked:
        raise ReportLocked(_("Báo cáo đã ban hành."))
    if report.status != Report.Status.READY:
        raise ServiceError(_("Chỉ ban hành được báo cáo đã tạo xong."))
    if difficulties is not None or proposals is not None:
        claim_version(report, seen)
        report.difficulties = (
            difficulties if difficulties is not None else report.difficulties
        ).strip()
        report.proposals = (proposals if proposals is not None else report.proposals).strip()
    now = timezone.now()
    year = timezone.localtime(now).year
    # Numbered within its issuer: each ward, and the province office, count their own reports.
    issued = Report.objects.filter(
        ward_id=report.ward_id,
        scope=report.scope,
        status__in=LOCKED_STATUSES,
        finalized_at__year=year,
    ).count()
    suffix = settings.PROVINCE_REPORT_NUMBER_SUFFIX if report.is_province else "BC-UBND"
    report.number = f"{issued + 1:02d}/{suffix}"  # documents write "02/BC-UBND"
    report.finalized_by = by
    report.finalized_at = now
    report.status = Report.Status.FINALIZED
    _replace_pdf(report, render_report_pdf(report))
    report.save(
        update_fields=[
            "number",
            "finalized_by",
            "finalized_at",
            "status",
            "pdf",
            "difficulties",
            "proposals",
        ]
    )
    return report


@transaction.atomic
def report_archive(*, report: Report, by) -> Report:
    """File an issued report away: it leaves the current list, stays locked and downloadable,
    and still counts as issued on its date (K13)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.FINALIZED:
        raise ServiceError(_("Chỉ lưu trữ được báo cáo đã ban hành."))
    report.status = Report.Status.ARCHIVED
    report.save(update_fields=["status"])
    return report


def render_report_pdf(report: Report) -> bytes:
    if report.is_province:
        return render_pdf("reports/pdf/province_report.html", province_report_context(report))
    return render_pdf("reports/pdf/report.html", report_context(report))


def province_report_context(report: Report) -> dict:
    data = report.data
    doc_date = timezone.localtime(report.finalized_at or report.generated_at or timezone.now())
    return {
        "report": report,
        "data": data,
        "doc_date": doc_date,
        "number": report.number.split("/")[0] if report.number else "",
        "NUMBER_SUFFIX": settings.PROVINCE_REPORT_NUMBER_SUFFIX,
        "OFFICE_NAME": settings.PROVINCE_OFFICE_NAME,
        "PROVINCE_SIGNER_NAME": settings.PROVINCE_SIGNER_NAME,
        "PROVINCE_SIGNER_TITLE": settings.PROVINCE_SIGNER_TITLE,
        "PROVINCE_SIGNER_PREFIX": settings.PROVINCE_SIGNER_PREFIX,
        "recipients": [
            f"UBND tỉnh {settings.PROVINCE_NAME} (để b/c)",
            "Bộ Y tế (để b/c)",
            "Sở Nội vụ (để phối hợp)",
            "UBND các xã, phường",
        ],
        "kind_title": "Tổng hợp kết quả thực hiện công tác phòng ngừa, giảm thiểu lao động trẻ "
        "em trái quy định của pháp luật trên địa bàn tỉnh",
    }


def group_kpis(data: dict) -> list[dict]:
    """The KPI rows of frozen report data that have a value per residential group (not
    ward-only). Reports frozen before rows carried `ward_only` ask the catalogue."""

    def ward_only(row):
        if "ward_only" in row:
            return row["ward_only"]
        kpi = catalogue.get(row["code"])
        return kpi is not None and kpi.ward_only

    return [row for row in data.get("kpis", []) if not ward_only(row)]


def report_context(report: Report) -> dict:
    data = report.data
    doc_date = timezone.localtime(report.finalized_at or report.generated_at or timezone.now())
    kpi_by_code = {k["code"]: k for k in data.get("kpis", [])}
    return {
        "report": report,
        "period": parse_period(report.period),
        "data": data,
        "k": kpi_by_code,
        "group_kpis": group_kpis(data),
        "stats": data.get("statistics", {}),
        "doc_date": doc_date,
        "number": report.number.split("/")[0] if report.number else "",
        "PLAN_NUMBER": report.ward.plan_number,
        "ward": report.ward,
        "recipients": [
            f"UBND tỉnh {report.ward.province_name} (để b/c)",
            f"Sở Y tế tỉnh {report.ward.province_name} (để b/c)",
            f"Sở Nội vụ tỉnh {report.ward.province_name} (để b/c)",
            "TT Đảng ủy, TT HĐND phường (để b/c)",
            "Chủ tịch, các PCT UBND phường",
            "Ủy ban MTTQ và các đoàn thể phường",
        ],
        "kind_title": {
            Report.Kind.SEMIANNUAL: "Kết quả thực hiện công tác phòng ngừa, giảm thiểu lao "
            "động trẻ em trái quy định của pháp luật",
            Report.Kind.ANNUAL: "Kết quả thực hiện công tác phòng ngừa, giảm thiểu lao động "
            "trẻ em trái quy định của pháp luật",
            Report.Kind.ADHOC: "Tình hình lao động trẻ em trái quy định của pháp luật",
        }[report.kind],
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, bool | int | float | str):
        return str(value)
    return value


def report_workbook(report: Report) -> bytes:
    """The same tables as the PDF, from the frozen numbers, as an .xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from imports.cells import safe_row

    data, stats = report.data, report.data.get("statistics", {})
    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows, first=False):
        ws = wb.active if first else wb.create_sheet()
        ws.title = title[:31]
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(safe_row(row))  # group names and labels are typed by people
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))

    sheet(
        "Chỉ tiêu",
        ["Mã", "Chỉ tiêu", "Tử số", "Mẫu số", "Kết quả", "Mục tiêu", "Đạt"],
        [
            [
                k["code"],
                k["name"],
                k["numerator"],
                k["denominator"],
                _f(k["value"]),
                k["target"],
                {True: "Đạt", False: "Chưa đạt", None: "—"}[k["met"]],
            ]
            for k in data.get("kpis", [])
        ],
        first=True,
    )
    codes = [k["code"] for k in group_kpis(data)]
    sheet(
        "Chỉ tiêu theo tổ",
        ["Tổ dân phố", *codes],
        [
            [g["name"], *[_f(g["kpis"].get(c, {}).get("value")) for c in codes]]
            for g in data.get("groups", [])
        ],
    )
    sheet(
        "Trẻ em theo độ tuổi",
        ["Độ tuổi", "Nam", "Nữ", "Tổng"],
        [[r["band"], r["male"], r["female"], r["total"]] for r in stats.get("age_sex", [])],
    )
    sheet(
        "Trẻ em HCĐB",
        ["Nhóm", "Tên nhóm", "Số trẻ em"],
        [[r["code"], r["name"], r["n"]] for r in stats.get("special", [])],
    )
    sheet(
        "Theo tổ dân phố",
        ["Tổ", "Tên tổ", "Trẻ em dưới 16", "Có nguy cơ", "Lao động trái quy định", "Quản lý"],
        [
            [r["code"], r["name"], r["children"], r["at_risk"], r["labour"], r["managed"]]
            for r in stats.get("by_group", [])
        ],
    )
    sheet(
        "Hỗ trợ",
        ["Hình thức", "Lượt", "Số trẻ", "Ngân sách nhà nước", "Xã hội hóa", "Khác", "Tổng (đồng)"],
        [
            [
                r["kind"],
                r["n"],
                r["children"],
                r["state_budget"],
                r["social_mobilization"],
                r["other"],
                r["total"],
            ]
            for r in stats.get("supports", [])
        ],
    )
    sheet(
        "Tuyên truyền",
        ["Hình thức", "Số buổi", "Người tham dự", "Cha mẹ, người chăm sóc", "Trẻ em"],
        [
            [r["channel"], r["n"], r["attendees"], r["caregivers"], r["children"]]
            for r in stats.get("sessions", [])
        ],
    )
    sheet(
        "Kiểm tra, vi phạm",
        ["Loại", "Số lượng", "Đã xử lý", "Tiền phạt (đồng)"],
        [[f"Kiểm tra {r['kind'].lower()}", r["n"], "", ""] for r in stats.get("inspections", [])]
        + [
            [f"Vi phạm: {r.get('label') or r['code']}", r["n"], r["handled"], r["fines"]]
            for r in stats.get("violations", [])
        ],
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _f(value):
    return None if value is None else float(value)


def groups_for_period(ward=None) -> list[ResidentialGroup]:
    groups = ResidentialGroup.objects.filter(active=True).order_by("code")
    return list(groups.filter(ward=ward) if ward is not None else groups)
