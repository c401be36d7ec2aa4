"""'What needs my attention today' for each role: a few counts, each linking to its list.
Which tiles a user gets is read from the permission table (dongnguyen/permissions.py)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.permissions import may
from dongnguyen.roles import agency_id_of, ward_of


@dataclass
class Item:
    label: str
    count: int | None  # None: not known yet
    url: str | None = None
    level: str = "secondary"  # bootstrap contextual colour: danger, warning, info, secondary


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def _level(count: int, bad: str = "danger") -> str:
    return bad if count else "success"


def _kpi_item(user) -> Item:
    """The plan's targets not met this year in the user's ward, from the stored nightly
    snapshots (one query; the dashboard behind the link computes what is missing)."""
    from reports.models import KpiSnapshot
    from reports.periods import current_periods

    year = current_periods()[0]
    counts = KpiSnapshot.objects.filter(
        ward=ward_of(user), period_start=year.start, period_end=year.end, group__isnull=True
    ).aggregate(total=Count("pk"), missed=Count("pk", filter=Q(met=False)))
    url = _url("reports:dashboard", f"period={year.code}")
    if not counts["total"]:
        return Item(
            _("Chỉ tiêu năm %(year)s: chưa có số liệu tổng hợp") % {"year": year.code},
            None,
            url,
            "secondary",
        )
    return Item(
        _("Chỉ tiêu năm %(year)s chưa đạt (trên %(n)s chỉ tiêu)")
        % {"year": year.code, "n": counts["total"]},
        counts["missed"],
        url,
        _level(counts["missed"], "warning"),
    )


def attention_items(user) -> list[Item]:
    from children.models import Case, IntakeReport, Referral, Support, late_intake_q
    from children.views import unscreened_children
    from inspections.models import Inspection, Violation

    now = timezone.now()
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    items: list[Item] = []

    if may(user, "intake.record"):
        counts = IntakeReport.objects.for_user(user).aggregate(
            total=Count("pk", filter=Q(status=IntakeReport.Status.NEW)),
            # The same rule as the task list: new or still being verified, over 12 hours.
            late=Count("pk", filter=late_intake_q(now)),
        )
        items.append(
            Item(
                _("Phản ánh mới chưa xử lý"),
                counts["total"],
                _url("children:intake_list", "status=new"),
                _level(counts["total"], "warning"),
            )
        )
        if may(user, "intake.deadlines"):
            items.append(
                Item(
                    _("Phản ánh quá 12 giờ chưa đánh giá"),
                    counts["late"],
                    _url("children:intake_list", "late=1"),
                    _level(counts["late"]),
                )
            )

    if may(user, "case.deadlines"):
        cases = Case.objects.for_user(user)
        c = cases.aggregate(
            unassessed=Count(
                "pk",
                filter=Q(status=Case.Status.RECEIVED, received_at__lt=now - timedelta(hours=12)),
            ),
            awaiting=Count("pk", filter=Q(status=Case.Status.PLAN_DRAFTED)),
            open=Count("pk", filter=~Q(status=Case.Status.CLOSED)),
        )
        items.append(
            Item(
                _("Hồ sơ quá hạn đánh giá ban đầu (12 giờ)"),
                c["unassessed"],
                _url("children:case_list", "status=received&deadline=overdue"),
                _level(c["unassessed"]),
            )
        )
        items.append(
            Item(
                # Leadership approves from the case page these plans link to.
                _("Kế hoạch chờ phê duyệt")
                if may(user, "case.approve")
                else _("Kế hoạch chờ lãnh đạo phê duyệt"),
                c["awaiting"],
                _url("children:case_list", "status=plan_drafted"),
                _level(c["awaiting"], "warning"),
            )
        )
        items.append(
            Item(_("Hồ sơ đang mở"), c["open"], _url("children:case_list", "status=open"), "info")
        )

    if may(user, "child.screen"):
        # The screening page's own rule (the tile links there), one pass over the ward's
        # children: the at-risk flag and the special groups tested on each of them. Split by
        # reason, the at-risk count went through a partial index of every ward's children.
        unscreened = unscreened_children(user, None, today).count()
        items.append(
            Item(
                _("Trẻ trong danh sách quản lý chưa rà soát năm nay"),
                unscreened,
                _url("children:screening"),
                _level(unscreened, "warning"),
            )
        )

    if may(user, "referral.receive"):
        open_refs = Referral.objects.filter(agency_id=agency_id_of(user), closed=False).count()
        items.append(
            Item(
                _("Trẻ được chuyển gửi cần hỗ trợ"),
                open_refs,
                _url("children:tasks"),
                _level(open_refs, "warning"),
            )
        )

    if may(user, "inspection.deadlines"):
        # One query: the scope's inspections, each joined to its violations (the violations
        # in scope are those of the inspections in scope).
        counts = Inspection.objects.for_user(user).aggregate(
            overdue=Count(
                "pk",
                filter=Q(status=Inspection.Status.PLANNED, planned_on__lt=today),
                distinct=True,
            ),
            open_viol=Count("violations", filter=Q(violations__status=Violation.Status.OPEN)),
        )
        overdue_insp, open_viol = counts["overdue"], counts["open_viol"]
        items.append(
            Item(
                _("Cuộc kiểm tra quá ngày dự kiến"),
                overdue_insp,
                _url("inspections:inspection_list", "overdue=1"),
                _level(overdue_insp, "warning"),
            )
        )
        items.append(
            Item(
                _("Vi phạm chưa xử lý"),
                open_viol,
                _url("inspections:violation_list", "status=open"),
                _level(open_viol),
            )
        )

    if may(user, "kpi.targets"):
        items.append(_kpi_item(user))

    if may(user, "finance.summary"):
        totals = Support.objects.filter(
            child__household__group__ward=ward_of(user), date__gte=year_start, date__lte=today
        ).aggregate(n=Count("pk"), amount=Sum("amount_vnd"))
        items.append(
            Item(_("Lượt hỗ trợ trong năm"), totals["n"] or 0, _url("reports:finance"), "info")
        )
    return items
