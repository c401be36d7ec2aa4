"""The plan's KPI catalogue (DESIGN.md "KPI catalogue"): one declarative entry per KPI.

An entry says what the KPI is (code, name, clause of Kế hoạch 143, unit, target), what it
counts (a Source: the rows of one model, how a row belongs to a residential group, and the same
rows in a viewer's scope), which of those rows are its denominator and which of them its
numerator (conditions from conditions.py), the extra figures shown beside it and which
drill-down lists it offers. The engine (kpis.py), the drill-down (selectors.py), the dashboard,
the snapshots, the reports and `manage.py kpis --json` read only this; adding a KPI is one
entry here (plus its tests), nothing else.

Scope rule: a KPI whose source has no group path is ward-only (a group scope leaves it out);
otherwise a group's value counts the rows of that group and the groups add up to the ward.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child, IntakeReport
from households.models import Caregiver, Household, ResidentialGroup
from inspections.models import Business, Violation

from . import conditions as c
from .periods import Period

PERCENT, PER_MILLE, COUNT = "percent", "per_mille", "count"
GE, GT, LT_PREVIOUS = "ge", "gt", "lt_previous"
# Tracked with no target (K17): met is always null.
TRACKED = "none"
NUMERATOR, MISSING = "numerator", "missing"
# How an extra figure is shown: a ratio {numerator, denominator, value %} or its numerator.
RATIO, NUMBER = "ratio", "number"


@dataclass(frozen=True)
class At:
    """What every condition is computed for: the period, and the moment (K2's open
    deadlines are judged at as_of)."""

    period: Period
    as_of: datetime
    # The ward counted (None: every ward, as in a single-ward deployment).
    ward: object = None


Cond = Callable[[At], Q]


@dataclass(frozen=True, eq=False)
class Source:
    """The rows a KPI counts. `rows` is what the engine counts (a superset of every
    denominator on it, so the grouped query stays small); `visible` the same kind of rows in a
    viewer's scope, for the drill-down (None: no list). `group_path` is the residential group
    id of a row (None: the source is ward-only). A source that is not rows of a model gives a
    `tally` (numerator, denominator) for the ward instead, and `tallies` the same for many
    wards at once ({ward id: (numerator, denominator)}, in one query)."""

    kind: str
    scope: str
    group_path: str | None
    rows: Callable[[At], QuerySet] | None = None
    visible: Callable[[At, object], QuerySet] | None = None
    tally: Callable[[At], tuple[int, int]] | None = None
    tallies: Callable[[At, list], dict] | None = None
    # The ward id of a row: the engine counts only the rows of the ward it computes.
    ward_path: str = "ward"


@dataclass(frozen=True)
class Extra:
    """A figure shown beside a KPI, counted on the KPI's source in the same query."""

    key: str
    label: str
    denominator: Cond
    numerator: Cond
    shows: str = RATIO


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    clause: str
    unit: str
    comparator: str
    target: Decimal | None
    source: Source
    # Rows of the source in the denominator; of those, the ones in the numerator. Both None
    # for a source with a tally.
    denominator: Cond | None = None
    numerator: Cond | None = None
    drill: tuple[str, ...] = (NUMERATOR, MISSING)
    extras: tuple[Extra, ...] = ()

    @property
    def ward_only(self) -> bool:
        return self.source.group_path is None

    @property
    def compares_previous(self) -> bool:
        return self.comparator == LT_PREVIOUS

    @property
    def scale(self) -> int:
        return 1000 if self.unit == PER_MILLE else 100

    @property
    def target_label(self) -> str:
        if self.comparator == LT_PREVIOUS:
            return str(_("Thấp hơn kỳ trước"))
        if self.comparator == TRACKED:
            return str(_("Theo dõi, không đặt chỉ tiêu"))
        sign = "≥" if self.comparator == GE else ">"
        return f"{sign} {self.target:g}%"


# ---------------------------------------------------------------------------------------------
# Sources


def _staff_visible(at: At, user) -> QuerySet:
    from dongnguyen.roles import Role, in_ward, role_of

    users = in_ward(get_user_model().objects.select_related("profile"), user, "profile__ward")
    if user.is_superuser or role_of(user) in (Role.LEADERSHIP, Role.CASE_OFFICER):
        return users
    return users.none()


CHILDREN = Source(
    kind="child",
    # The household's ward column (the same as the child's, both kept by triggers): the
    # group needs the household anyway, and PostgreSQL then reads the ward's households
    # through their index instead of hashing the province's.
    ward_path="household__ward",
    scope=_("theo tổ dân phố của hộ gia đình"),
    group_path="household__group_id",
    rows=lambda at: Child.objects.filter(c.child_base(at.period, 18)),
    visible=lambda at, user: Child.objects.for_user(user).select_related("household__group"),
)
INTAKES = Source(
    kind="intake",
    scope=_("theo tổ dân phố của trẻ em, không có thì của cơ sở"),
    group_path="kpi_group",
    rows=lambda at: c.intake_queryset(at.period),
    visible=lambda at, user: c.intake_queryset(at.period).filter(
        pk__in=IntakeReport.objects.for_user(user)
    ),
)
HOUSEHOLDS = Source(
    kind="household",
    ward_path="ward",
    scope=_("theo tổ dân phố của hộ gia đình"),
    group_path="group_id",
    rows=lambda at: Household.objects.all(),
    visible=lambda at, user: Household.objects.for_user(user).select_related("group"),
)
BUSINESSES = Source(
    kind="business",
    ward_path="ward",
    scope=_("theo tổ dân phố của cơ sở"),
    group_path="group_id",
    rows=lambda at: Business.objects.all(),
    visible=lambda at, user: Business.objects.for_user(user).select_related("group"),
)
VIOLATIONS = Source(
    kind="violation",
    ward_path="inspection__business__ward",
    scope=_("theo tổ dân phố của cơ sở được kiểm tra"),
    group_path="inspection__business__group_id",
    rows=lambda at: Violation.objects.filter(c.in_period(at.period, "detected_on")),
    visible=lambda at, user: Violation.objects.for_user(user).select_related(
        "inspection__business__group"
    ),
)
GROUPS = Source(
    kind="group",
    ward_path="ward",
    scope=_("tổ dân phố đó (1 hoặc 0)"),
    group_path="pk",
    rows=lambda at: ResidentialGroup.objects.all(),
    visible=lambda at, user: ResidentialGroup.objects.for_user(user),
)
STAFF = Source(
    kind="user",
    ward_path="profile__ward",
    scope=_("chỉ toàn phường"),
    group_path=None,
    rows=lambda at: get_user_model().objects.all(),
    visible=_staff_visible,
)
CAREGIVERS = Source(
    kind="caregiver",
    scope=_("theo tổ dân phố của hộ gia đình"),
    ward_path="household__ward",
    group_path="household__group_id",
    rows=lambda at: Caregiver.objects.all(),
    visible=lambda at, user: Caregiver.objects.filter(
        household__in=Household.objects.for_user(user)
    ).select_related("household__group"),
)
DUE_REPORTS = Source(
    kind="report",
    scope=_("chỉ toàn phường"),
    group_path=None,
    tally=lambda at: c.reports_on_time(at.period, at.ward),
    tallies=lambda at, wards: c.reports_on_time_by_ward(at.period, wards),
)


# ---------------------------------------------------------------------------------------------
# The entries, in the order the dashboard, the reports and `kpis --json` show them


def _register(at: At) -> Q:
    return c.child_register(at.period)


def _labour(at: At) -> Q:
    return c.child_in_labour(at.period, at.ward)


def _managed(at: At) -> Q:
    return c.child_managed(at.period, at.ward)


def _managed_6_15(at: At) -> Q:
    return c.child_managed(at.period, at.ward) & c.aged_at_least(at.period, 6)


def _under_18_from_5(at: At) -> Q:
    return c.child_base(at.period, 18) & c.aged_at_least(at.period, 5)


def _active(at: At) -> Q:
    return Q(active=True)


def _all(at: At) -> Q:
    return Q()


ENTRIES = [
    Kpi(
        "K1",
        _("Tỷ lệ trẻ em lao động trái quy định (‰ trẻ em dưới 16 tuổi)"),
        _("Mục I.2: giảm tỷ lệ trẻ em lao động trái quy định hằng năm"),
        PER_MILLE,
        LT_PREVIOUS,
        None,
        CHILDREN,
        denominator=_register,
        numerator=_labour,
        # the numerator is the problem itself; nothing is "missing"
        drill=(NUMERATOR,),
        extras=(
            Extra("age_5_17", _("Trẻ 5–17 tuổi"), denominator=_under_18_from_5, numerator=_labour),
        ),
    ),
    Kpi(
        "K2",
        _("Phản ánh được đánh giá trong 12 giờ và lập kế hoạch trong 5 ngày làm việc"),
        _("Mục I.2: 100% trường hợp được phát hiện, xử lý, can thiệp kịp thời"),
        PERCENT,
        GE,
        Decimal(100),
        INTAKES,
        denominator=lambda at: c.intake_decided(at.as_of),
        numerator=lambda at: c.intake_met(),
    ),
    Kpi(
        "K3",
        _("Trẻ em trong danh sách quản lý được rà soát, theo dõi trong kỳ"),
        _("Mục I.2, nhiệm vụ 2: 100% trẻ em có nguy cơ, có HCĐB được rà soát, theo dõi"),
        PERCENT,
        GE,
        Decimal(100),
        CHILDREN,
        denominator=_managed,
        numerator=lambda at: c.child_contacted(at.period, at.ward),
        # The yearly screening covers the whole register, not only the managed list (II.2).
        extras=(
            Extra(
                "register_screened",
                _("Toàn bộ trẻ em được rà soát"),
                denominator=_register,
                numerator=lambda at: c.child_screened(at.period, at.ward),
            ),
        ),
    ),
    Kpi(
        "K4",
        _("Trẻ em lao động trái quy định được hỗ trợ, can thiệp"),
        _("Mục I.2, nhiệm vụ 3: 100% trẻ em lao động được tư vấn, hỗ trợ, can thiệp"),
        PERCENT,
        GE,
        Decimal(100),
        CHILDREN,
        denominator=lambda at: _register(at) & _labour(at),
        numerator=lambda at: c.child_supported(at.period, ward=at.ward),
    ),
    Kpi(
        "K5",
        _("Trẻ em 6–15 tuổi trong danh sách quản lý đang đi học hoặc học nghề"),
        _("Mục I.2: trên 95% trẻ em có nguy cơ được phổ cập giáo dục, học nghề"),
        PERCENT,
        GT,
        Decimal(95),
        CHILDREN,
        denominator=_managed_6_15,
        numerator=lambda at: c.child_schooling(),
    ),
    Kpi(
        "K6",
        _("Trẻ em hộ nghèo, cận nghèo, khó khăn được hỗ trợ học tập, an sinh"),
        _("Mục I.2: 100% trẻ em có nguy cơ thuộc hộ nghèo, cận nghèo được hỗ trợ"),
        PERCENT,
        GE,
        Decimal(100),
        CHILDREN,
        denominator=lambda at: _managed(at) & c.child_poor_household(),
        numerator=lambda at: c.child_supported(at.period, c.STUDY_SUPPORT_KINDS, at.ward),
    ),
    Kpi(
        "K7",
        _("Tổ dân phố tổ chức tuyên truyền trong kỳ"),
        _("Mục I.2, nhiệm vụ 1: 100% tổ dân phố tuyên truyền ít nhất 1–2 lần/năm"),
        PERCENT,
        GE,
        Decimal(100),
        GROUPS,
        denominator=_active,
        numerator=lambda at: c.group_with_session(at.period),
        extras=(
            Extra(
                "groups_with_two",
                _("Tổ có từ 2 buổi"),
                denominator=_active,
                numerator=lambda at: c.group_with_two_sessions(at.period),
                shows=NUMBER,
            ),
        ),
    ),
    Kpi(
        "K8",
        _("Hộ gia đình có trẻ em được tuyên truyền"),
        # xgettext:no-python-format
        _("Mục I.2: trên 95% cha mẹ, người chăm sóc trẻ được tuyên truyền"),
        PERCENT,
        GT,
        Decimal(95),
        HOUSEHOLDS,
        denominator=lambda at: c.household_with_register_child(at.period, at.ward),
        numerator=lambda at: c.household_reached(at.period, at.ward),
        # The yearly screening covers every household of the ward (II.2).
        extras=(
            Extra(
                "households_screened",
                _("Hộ gia đình được rà soát"),
                denominator=_all,
                numerator=lambda at: c.household_screened(at.period, at.ward),
            ),
        ),
    ),
    Kpi(
        "K9",
        _("Cơ sở sản xuất, kinh doanh được phổ biến pháp luật"),
        # xgettext:no-python-format
        _("Mục I.2: 100% cơ sở được thông tin, phổ biến pháp luật"),
        PERCENT,
        GE,
        Decimal(100),
        BUSINESSES,
        denominator=_active,
        numerator=lambda at: c.business_informed(at.period),
        # ... and every active business (II.2).
        extras=(
            Extra(
                "businesses_screened",
                _("Cơ sở được rà soát"),
                denominator=_active,
                numerator=lambda at: c.business_screened(at.period),
            ),
        ),
    ),
    Kpi(
        "K10",
        _("Vi phạm được xử lý trong kỳ"),
        _("Mục I.2, nhiệm vụ 4: kiểm tra phát hiện, xử lý 100% vi phạm"),
        PERCENT,
        GE,
        Decimal(100),
        VIOLATIONS,
        denominator=lambda at: c.in_period(at.period, "detected_on"),
        numerator=lambda at: c.violation_handled(at.period),
    ),
    Kpi(
        "K11",
        _("Số trẻ em bỏ học vì hoàn cảnh kinh tế"),
        _("Mục I.2: hạn chế thấp nhất trẻ em bỏ học vì kinh tế"),
        COUNT,
        LT_PREVIOUS,
        None,
        CHILDREN,
        denominator=lambda at: c.child_economic_dropout(at.period),
        numerator=_all,
        drill=(NUMERATOR,),
    ),
    Kpi(
        "K12",
        _("Cán bộ, cộng tác viên được tập huấn"),
        _("Nhiệm vụ 5: tập huấn cán bộ, cộng tác viên"),
        PERCENT,
        GE,
        Decimal(100),
        STAFF,
        denominator=lambda at: c.staff_active(),
        numerator=lambda at: c.staff_trained(at.period),
    ),
    Kpi(
        "K13",
        _("Báo cáo định kỳ được ban hành đúng hạn"),
        _("Mục I.2, nhiệm vụ 6: báo cáo định kỳ 6 tháng, năm và đột xuất"),
        PERCENT,
        GE,
        Decimal(100),
        DUE_REPORTS,
        drill=(),
    ),
]

# Issue 14: schools' early warning, health checks, caregivers reached, household commitments.
ENTRIES += [
    Kpi(
        "K14",
        _("Học sinh có cảnh báo sớm nguy cơ bỏ học được liên hệ trong 7 ngày"),
        _("Nhiệm vụ II.6: phối hợp nhà trường theo dõi chuyên cần, phát hiện sớm nguy cơ bỏ học"),
        PERCENT,
        GE,
        Decimal(100),
        CHILDREN,
        denominator=lambda at: c.child_warned(at.period, timezone.localdate(at.as_of), at.ward),
        numerator=lambda at: c.child_warnings_contacted(
            at.period, timezone.localdate(at.as_of), at.ward
        ),
    ),
    Kpi(
        "K15",
        _("Trẻ em lao động trái quy định được khám sức khỏe"),
        _("Mục IV.2: Trạm Y tế khám, tư vấn sức khỏe, phát hiện vấn đề do lao động sớm"),
        PERCENT,
        GE,
        Decimal(100),
        CHILDREN,
        denominator=lambda at: _register(at) & _labour(at),
        numerator=lambda at: c.child_health_checked(at.period, at.ward),
    ),
    Kpi(
        "K16",
        _("Cha mẹ, người chăm sóc trẻ em được tuyên truyền"),
        # xgettext:no-python-format
        _("Mục I.2: trên 95% cha mẹ, người chăm sóc trẻ được tuyên truyền"),
        PERCENT,
        GT,
        Decimal(95),
        CAREGIVERS,
        denominator=lambda at: c.caregiver_of_register_child(at.period, at.ward),
        numerator=lambda at: c.caregiver_reached(at.period, at.ward),
    ),
    Kpi(
        "K17",
        _("Hộ gia đình có trẻ trong danh sách quản lý đã ký cam kết"),
        _("Nhiệm vụ II.1: hộ gia đình ký cam kết không để trẻ em lao động trái quy định"),
        PERCENT,
        TRACKED,
        None,
        HOUSEHOLDS,
        denominator=lambda at: c.household_with_managed_child(at.period, at.ward),
        numerator=lambda at: c.household_committed(at.period, at.ward),
    ),
]

_REGISTRY: dict[str, Kpi] = {k.code: k for k in ENTRIES}


def entries() -> list[Kpi]:
    """Every KPI, in catalogue order."""
    return list(_REGISTRY.values())


def get(code: str) -> Kpi | None:
    return _REGISTRY.get(code)


def register(kpi: Kpi) -> Kpi:
    """Add an entry (a new KPI needs nothing else); the tests add and remove fake ones."""
    if kpi.code in _REGISTRY:
        raise ValueError(f"KPI {kpi.code} is already in the catalogue")
    _REGISTRY[kpi.code] = kpi
    return kpi


def unregister(code: str) -> None:
    _REGISTRY.pop(code)
