"""Demo businesses of the woodworking villages, inspections with and without violations,
minors found on site, and commitments (run by seed_demo after households and children)."""

import random
from datetime import timedelta

from children.models import WorkRecord
from households.demo import valid_phone
from households.models import Household

from . import services
from .models import Business

# (name, owner, address, group code, sector, high risk, employees, minors, register, org)
BUSINESSES = [
    (
        "Xưởng đồ gỗ mỹ nghệ Thanh Bình",
        "Nguyễn Văn Khải",
        "Số 12 đường 277, Thanh Bình",
        "TDP-01",
        "woodwork",
        False,
        14,
        1,
        True,
        False,
    ),
    (
        "Cơ sở chạm khắc Khải Hoàn",
        "Nguyễn Văn Hoàn",
        "Ngõ 3 Thanh Bình",
        "TDP-01",
        "woodwork",
        True,
        8,
        2,
        False,
        False,
    ),
    (
        "Xưởng phun sơn PU Quang Vinh",
        "Lê Quang Vinh",
        "Số 45 đường 277, Thanh Bình",
        "TDP-01",
        "lacquer",
        True,
        6,
        0,
        False,
        False,
    ),
    (
        "Quán cơm bình dân Thu Hằng",
        "Đỗ Thị Hằng",
        "Chợ Đồng Kỵ",
        "TDP-01",
        "food",
        False,
        4,
        1,
        False,
        False,
    ),
    (
        "Công ty TNHH Đồ gỗ Mỹ nghệ Đồng Kỵ",
        "Nguyễn Đức Thành",
        "Khu công nghiệp làng nghề Đồng Kỵ",
        "TDP-02",
        "woodwork",
        False,
        60,
        3,
        True,
        True,
    ),
    (
        "Xưởng chà nhám Thanh Nhàn",
        "Trần Văn Lực",
        "Xóm Thanh Nhàn",
        "TDP-02",
        "woodwork",
        True,
        9,
        2,
        False,
        False,
    ),
    (
        "Xưởng sơn mài Hưng Thịnh",
        "Ngô Văn Hưng",
        "Đường 277, Thanh Nhàn",
        "TDP-02",
        "lacquer",
        True,
        5,
        0,
        False,
        False,
    ),
    (
        "Cơ sở đồ gỗ Nghè Phát",
        "Nguyễn Văn Phát",
        "Đình Nghè",
        "TDP-03",
        "woodwork",
        False,
        11,
        0,
        False,
        False,
    ),
    (
        "Xưởng tiện gỗ Tiến Đạt",
        "Vũ Tiến Đạt",
        "Xóm Nghè",
        "TDP-03",
        "woodwork",
        True,
        7,
        1,
        False,
        False,
    ),
    (
        "Karaoke Hoàng Gia",
        "Phạm Văn Tùng",
        "Số 8 đường 277, Nghè",
        "TDP-03",
        "entertainment",
        True,
        10,
        0,
        False,
        False,
    ),
    (
        "Công ty Cổ phần Nội thất Đại Đình",
        "Nguyễn Thị Hương",
        "Đại Đình",
        "TDP-04",
        "woodwork",
        False,
        45,
        2,
        True,
        True,
    ),
    (
        "Xưởng đục chạm Đại Đình",
        "Nguyễn Văn Tám",
        "Ngõ 5 Đại Đình",
        "TDP-04",
        "woodwork",
        True,
        6,
        2,
        False,
        False,
    ),
    (
        "Cơ sở cơ khí gò hàn Minh Tâm",
        "Lê Minh Tâm",
        "Đường 277, Đại Đình",
        "TDP-04",
        "metal",
        True,
        5,
        1,
        False,
        False,
    ),
    (
        "Xưởng phun sơn Tân Thành",
        "Đặng Văn Thuận",
        "Tân Thành",
        "TDP-05",
        "lacquer",
        True,
        4,
        1,
        False,
        False,
    ),
    (
        "Cửa hàng đồ gỗ Tân Thành",
        "Nguyễn Thị Mai",
        "Phố Tân Thành",
        "TDP-05",
        "trade",
        False,
        3,
        0,
        False,
        False,
    ),
    (
        "Quán bia hơi Tân Thành",
        "Trương Văn Bình",
        "Ngã ba Tân Thành",
        "TDP-05",
        "food",
        True,
        5,
        1,
        False,
        False,
    ),
    (
        "Xưởng đồ gỗ Đồng Tiến",
        "Hoàng Văn Tiến",
        "Đồng Tiến",
        "TDP-06",
        "woodwork",
        False,
        12,
        0,
        False,
        False,
    ),
    (
        "Xưởng sơn PU Đồng Tiến",
        "Lý Văn Sơn",
        "Xóm Đồng Tiến",
        "TDP-06",
        "lacquer",
        True,
        5,
        1,
        False,
        False,
    ),
    (
        "Công trình nhà ở Đồng Tiến",
        "Trần Văn Xây",
        "Đồng Tiến",
        "TDP-06",
        "construction",
        True,
        15,
        1,
        False,
        False,
    ),
    (
        "Xưởng khảm trai khu phố Tư",
        "Nguyễn Văn Thọ",
        "Khu phố Tư",
        "TDP-07",
        "woodwork",
        False,
        6,
        1,
        True,
        False,
    ),
    ("Quán ăn Tư Béo", "Nguyễn Văn Tư", "Khu phố Tư", "TDP-07", "food", False, 3, 0, False, False),
    (
        "Xưởng xẻ gỗ Trang Liệt",
        "Đỗ Văn Cường",
        "Bãi gỗ Trang Liệt",
        "TDP-08",
        "sawmill",
        True,
        10,
        2,
        False,
        False,
    ),
    (
        "Cơ sở xẻ, sấy gỗ Hùng Cường",
        "Đỗ Văn Hùng",
        "Đường 295 Trang Liệt",
        "TDP-08",
        "sawmill",
        True,
        8,
        1,
        False,
        False,
    ),
    (
        "Xưởng mộc Trang Liệt",
        "Nguyễn Văn Mộc",
        "Trang Liệt",
        "TDP-08",
        "woodwork",
        False,
        7,
        0,
        False,
        False,
    ),
    (
        "Karaoke Ánh Sao",
        "Lê Thị Sao",
        "Trang Liệt",
        "TDP-08",
        "entertainment",
        True,
        6,
        0,
        False,
        False,
    ),
    (
        "Bãi xẻ gỗ Trang Liệt 2",
        "Trần Văn Gỗ",
        "Trang Liệt 2",
        "TDP-09",
        "sawmill",
        True,
        9,
        1,
        False,
        False,
    ),
    (
        "Xưởng đồ gỗ Lâm Phát",
        "Vũ Văn Lâm",
        "Trang Liệt 2",
        "TDP-09",
        "woodwork",
        False,
        13,
        0,
        True,
        False,
    ),
    ("Cơ khí Trang Hạ", "Ngô Văn Sắt", "Trang Liệt 2", "TDP-09", "metal", True, 6, 0, False, False),
    (
        "Công ty TNHH Gỗ Bính Hạ",
        "Nguyễn Văn Bính",
        "Bính Hạ",
        "TDP-10",
        "sawmill",
        True,
        25,
        2,
        True,
        True,
    ),
    (
        "Xưởng đánh giấy ráp Bính Hạ",
        "Phạm Thị Lan",
        "Xóm Bính Hạ",
        "TDP-10",
        "woodwork",
        True,
        5,
        2,
        False,
        False,
    ),
    ("Quán cà phê Bính Hạ", "Đinh Văn Cà", "Bính Hạ", "TDP-10", "food", False, 3, 1, False, False),
    (
        "Xưởng gò hàn Đồng Nguyên",
        "Lê Văn Hàn",
        "Đồng Nguyên 1",
        "TDP-11",
        "metal",
        True,
        7,
        1,
        False,
        False,
    ),
    (
        "Xưởng đồ gỗ Đồng Nguyên",
        "Nguyễn Văn Nguyên",
        "Đồng Nguyên 1",
        "TDP-11",
        "woodwork",
        False,
        10,
        0,
        False,
        False,
    ),
    (
        "Quán nhậu Đồng Nguyên",
        "Trần Văn Nhậu",
        "Đồng Nguyên 1",
        "TDP-11",
        "food",
        True,
        6,
        1,
        False,
        False,
    ),
    (
        "Tạp hóa Hạnh Phúc",
        "Nguyễn Thị Hạnh",
        "Đồng Nguyên 1",
        "TDP-11",
        "trade",
        False,
        2,
        0,
        False,
        False,
    ),
    (
        "Xưởng sơn PU Đồng Nguyên",
        "Vũ Văn Phun",
        "Đồng Nguyên 2",
        "TDP-12",
        "lacquer",
        True,
        4,
        1,
        False,
        False,
    ),
    (
        "Cơ sở xây dựng Thành Công",
        "Phạm Văn Thành",
        "Đồng Nguyên 2",
        "TDP-12",
        "construction",
        True,
        20,
        1,
        False,
        False,
    ),
    (
        "Karaoke Ngôi Sao Xanh",
        "Hoàng Thị Xanh",
        "Đồng Nguyên 2",
        "TDP-12",
        "entertainment",
        True,
        8,
        0,
        False,
        False,
    ),
    (
        "Xưởng đồ gỗ Phú Thịnh",
        "Nguyễn Văn Phú",
        "Đồng Nguyên 2",
        "TDP-12",
        "woodwork",
        False,
        18,
        0,
        True,
        False,
    ),
    (
        "Cửa hàng vật liệu Đồng Nguyên",
        "Lê Văn Vật",
        "Đồng Nguyên 2",
        "TDP-12",
        "trade",
        False,
        4,
        0,
        False,
        True,
    ),
]

FINDINGS_OK = (
    "Cơ sở chấp hành tốt quy định về sử dụng lao động; không phát hiện người chưa thành niên "
    "làm công việc bị cấm. Đoàn đã phổ biến Bộ luật Lao động 2019 và Luật Trẻ em."
)


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    police, officer = ctx.users["congan"], ctx.users["vhxh"]
    team = [police, officer, ctx.users["yte"]]
    groups = {g.code: g for g in ctx.groups}
    businesses = []
    for i, (name, owner, addr, gcode, sector, risk, emp, minors, reg, org) in enumerate(BUSINESSES):
        businesses.append(
            services.business_save(
                business=Business(
                    code=f"CS-{i + 1:03d}",
                    name=name,
                    owner_name=owner,
                    address=addr,
                    group=groups[gcode],
                    sector=sector,
                    high_risk=risk,
                    employee_count=emp,
                    minor_employee_count=minors,
                    has_minor_register=reg,
                    is_organisation=org,
                    phone=valid_phone(f"09{rng.randint(10_000_000, 99_999_999)}"),
                ),
                by=police,
            )
        )
    by_name = {b.name: b for b in businesses}
    ctx.businesses = businesses

    def days_ago(n):
        return today - timedelta(days=n)

    # Done inspections: the high-risk ones and some others, spread over the last months.
    visited = [b for b in businesses if b.high_risk] + businesses[:6]
    inspections = {}
    for n, business in enumerate(dict.fromkeys(visited)):
        when = days_ago(15 + (n * 7) % 200)
        (inspection,) = services.inspection_plan(
            businesses=[business],
            kind="periodic" if n % 3 else "surprise",
            planned_on=when,
            by=police,
            plan_number=f"{(n // 8) + 1:02d}/KH-UBND",
            interdisciplinary=n % 2 == 0,
            team="Đại diện Hội Liên hiệp Phụ nữ phường" if n % 4 == 0 else "",
            team_members=team if n % 2 == 0 else [police],
        )
        services.inspection_record(
            inspection=inspection,
            by=police,
            date=when,
            findings=FINDINGS_OK,
            minutes_number=f"{n + 1:02d}/BB-KTLN",
            legal_dissemination=n % 5 != 4,
        )
        inspections[business.name] = inspection

    # Violations: penalised, remediated, transferred and still open (one long overdue).
    def violation(name, code, status, fine=None, detected_ago=60, handled_after=10, due=None):
        inspection = inspections[name]
        inspection.findings = "Phát hiện vi phạm, đã lập biên bản."
        inspection.save(update_fields=["findings"])
        v = services.violation_create(
            inspection=inspection,
            code=code,
            by=police,
            detected_on=inspection.date,
            reinspection_due=due,
        )
        if status != "open":
            services.violation_handle(
                violation=v,
                by=police,
                status=status,
                handled_on=min(inspection.date + timedelta(days=handled_after), today),
                fine_vnd=fine,
                decision_number=f"{rng.randint(10, 99)}/QĐ-XPHC"
                if status == "penalty_decided"
                else "",
            )
        return v

    violation("Cơ sở chạm khắc Khải Hoàn", "no_minor_register", "penalty_decided", 1_500_000)
    violation("Xưởng chà nhám Thanh Nhàn", "hours_per_day", "penalty_decided", 22_000_000)
    violation("Xưởng xẻ gỗ Trang Liệt", "banned_job", "penalty_decided", 60_000_000)
    violation("Công ty TNHH Gỗ Bính Hạ", "no_health_certificate", "penalty_decided", 42_000_000)
    violation("Xưởng tiện gỗ Tiến Đạt", "no_minor_register", "remediated")
    violation("Karaoke Hoàng Gia", "banned_workplace", "transferred")
    violation("Xưởng đánh giấy ráp Bính Hạ", "no_minor_register", "open", due=days_ago(5))
    violation("Cơ sở cơ khí gò hàn Minh Tâm", "no_minor_register", "open")
    violation(
        "Xưởng đục chạm Đại Đình", "no_written_contract", "open", due=today + timedelta(days=20)
    )

    # Minors found on site: each gets a child record, a work record and (under 16) a case.
    for name, child_name, sex, age, work in [
        (
            "Xưởng phun sơn Tân Thành",
            "Đặng Văn Khoa",
            "male",
            14,
            {"job_code": "chemicals_explosives", "hours_per_day": 8},
        ),
        (
            "Xưởng sơn PU Đồng Tiến",
            "Lý Thị Ngọc",
            "female",
            15,
            {"job_code": "other_general", "hours_per_day": 6, "guardian_consent": True},
        ),
    ]:
        inspection = inspections[name]
        group = inspection.business.group
        household = Household.objects.filter(group=group).order_by("?").first()
        services.inspection_minor_add(
            inspection=inspection,
            by=police,
            work={**work, "workplace_code": "normal"},
            new_child={
                "full_name": child_name,
                "sex": sex,
                "birth_date": inspection.date.replace(year=inspection.date.year - age)
                - timedelta(days=40),
            },
            household=household,
            new_household=None
            if household
            else {"head_name": child_name.rsplit(" ", 1)[0] + " Hùng", "address": ""},
        )

    _link_work_records(businesses)

    # Planned visits: a few upcoming, two overdue, one cancelled.
    upcoming = [b for b in businesses if b.name not in inspections][:6]
    services.inspection_plan(
        businesses=upcoming[:4],
        kind="periodic",
        planned_on=today + timedelta(days=10),
        by=police,
        plan_number="05/KH-UBND",
        interdisciplinary=True,
        team_members=team,
    )
    overdue = services.inspection_plan(
        businesses=upcoming[4:6], kind="surprise", planned_on=days_ago(6), by=police
    )
    services.inspection_cancel(inspection=overdue[-1], by=police)
    services.inspection_plan(
        businesses=[by_name["Karaoke Ánh Sao"]], kind="surprise", planned_on=days_ago(3), by=police
    )

    # Commitments: most businesses, and some households of every group that has any.
    for business in businesses:
        if rng.random() < 0.65:
            services.commitment_sign(
                by=police, business=business, signed_on=days_ago(rng.randint(5, 250))
            )
    households = list(Household.objects.order_by("?")[:60])
    for household in households[:40]:
        services.commitment_sign(
            by=officer, household=household, signed_on=days_ago(rng.randint(5, 250))
        )


def _link_work_records(businesses) -> None:
    """children.demo runs before the businesses exist, so its work records name an employer
    only. Two in three unlawful ones move to a woodworking business of the child's group, so
    the police see these children and the business pages list their minors."""
    # Its own generator: the shared one's sequence stays what the later modules expect.
    rng = random.Random(143)
    by_group = {}
    for business in businesses:
        if business.sector == "woodwork":
            by_group.setdefault(business.group_id, []).append(business)
    records = list(
        WorkRecord.objects.filter(lawful=False, business__isnull=True)
        .select_related("child__household")
        .order_by("pk")
    )
    linked = []
    for record in records:
        choices = by_group.get(record.child.household.group_id)
        if choices and rng.random() < 2 / 3:
            record.business = rng.choice(choices)
            record.employer_name = record.business.name
            linked.append(record)
    WorkRecord.objects.bulk_update(linked, ["business", "employer_name"])
