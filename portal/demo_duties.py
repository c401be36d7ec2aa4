"""Demo data for issue 14, through the real services: the ward's two schools (a primary and a
lower-secondary school), their pupils' attendance and early warnings, the health station's
checks, materials given out, caregivers reached, the screening of households and businesses,
a session by the police and a report by the health station. Its own random stream, so the other demo numbers do not move."""

import random
from datetime import date, timedelta
from decimal import Decimal

from children.models import Child, HealthCheck, SchoolStatus
from children.services import healthcheck_record, intake_create
from dongnguyen.roles import Role
from dongnguyen.services import user_create
from households.models import Household
from households.services import household_screen
from inspections.models import Business
from inspections.services import business_screen
from outreach import services as outreach
from outreach.models import Channel, MaterialDistribution, OutreachSession
from schools import services as schools
from schools.models import EarlyWarning, Enrolment, School, SchoolStaff, current_school_year

SCHOOLS = [
    ("Trường Tiểu học Đồng Nguyên", "primary", range(6, 11)),
    ("Trường THCS Đồng Kỵ", "lower_secondary", range(11, 15)),
]
TEACHER = ("gvtruong", "Hoàng Thị Thanh Xuân", Role.SCHOOL)


def _month(d: date, back: int) -> date:
    m = d.replace(day=1)
    for _i in range(back):
        m = (m - timedelta(days=1)).replace(day=1)
    return m


def seed(ctx) -> None:
    rng = random.Random(14)
    today = ctx.today
    officer, health = ctx.users["vhxh"], ctx.users["yte"]
    from portal.demo import DEMO_PASSWORD

    schools.rules_ensure_defaults()
    year = current_school_year(today)
    made = {level: School.objects.create(name=name, level=level) for name, level, _ages in SCHOOLS}
    teacher = user_create(
        username=TEACHER[0],
        password=DEMO_PASSWORD,
        full_name=TEACHER[1],
        role=TEACHER[2],
        agency=ctx.agencies["truonghoc"],
        email=f"{TEACHER[0]}@dongnguyen.example",
    )
    SchoolStaff.objects.create(user=teacher, school=made["lower_secondary"])
    ctx.users[TEACHER[0]] = teacher

    pupils = []
    children = Child.objects.filter(school_status=SchoolStatus.IN_SCHOOL).select_related(
        "household"
    )
    for child in children.order_by("pk"):
        age = child.age_on(today)
        for _name, level, ages in SCHOOLS:
            if age in ages:
                grade = age - 5
                enrolment = schools.enrolment_save(
                    enrolment=Enrolment(
                        child=child,
                        school=made[level],
                        school_year=year,
                        class_name=f"{grade}{rng.choice('AB')}",
                    ),
                    by=officer,
                )
                pupils.append(enrolment)
    # Three months of attendance: most pupils miss a day or two; the at-risk ones more.
    for back in (3, 2, 1):
        month = _month(today, back)
        for e in pupils:
            absent = rng.choice((0, 0, 0, 1, 1, 2))
            if e.child.at_risk and rng.random() < 0.4:
                absent = rng.randint(3, 6) + (3 - back)
            unexcused = min(absent, rng.choice((0, absent)))
            schools.attendance_record(
                enrolment=e,
                month=month,
                days_absent=absent,
                days_absent_unexcused=unexcused,
                by=teacher if e.school.level == "lower_secondary" else officer,
                evaluate=False,
            )
        # The nightly pass, as it would have run the morning after the month's entry.
        schools.warnings_evaluate(month=month, on=_month(today, back - 1) + timedelta(days=2))
    # The officer has contacted most of the older warnings, some late.
    for w in EarlyWarning.objects.filter(raised_on__lt=today - timedelta(days=10)).order_by("pk"):
        if rng.random() < 0.8:
            schools.warning_contact(
                warning=w,
                by=officer,
                contacted_on=min(today, w.raised_on + timedelta(days=rng.choice((2, 5, 7, 12)))),
                outcome=rng.choice(
                    [
                        "Đã gặp phụ huynh; em đi học đều trở lại.",
                        "Gia đình khó khăn, đề nghị hỗ trợ học bổng.",
                        "Em phụ giúp xưởng gỗ của gia đình; đã nhắc nhở, theo dõi tiếp.",
                    ]
                ),
            )

    # Health checks: most children in unlawful work, and some others of the managed list.
    labour = Child.objects.filter(work_records__lawful=False, work_records__ended_on__isnull=True)
    for child in labour.distinct().order_by("pk"):
        if rng.random() < 0.6:
            bmi = Decimal(rng.choice(("-2.4", "-1.1", "0.3", "-0.6")))
            healthcheck_record(
                check=HealthCheck(
                    child=child,
                    date=today - timedelta(days=rng.randint(5, 120)),
                    height_cm=Decimal(rng.randint(130, 165)),
                    weight_kg=Decimal(rng.randint(26, 50)),
                    bmi_for_age_z=bmi,
                    height_for_age_z=Decimal("-0.8"),
                    findings="Thể trạng gầy" if bmi < -2 else "Sức khỏe bình thường",
                    work_related_problems=rng.choice(
                        ["", "Ho, kích ứng mũi họng do bụi gỗ, sơn", "Đau lưng do bê vác"]
                    ),
                    advice="Tư vấn dinh dưỡng; không làm việc tiếp xúc bụi, hóa chất.",
                ),
                by=health,
            )

    # Materials given out, ward-wide and in the groups.
    kinds = ["leaflet", "poster", "banner", "qa_booklet", "loudspeaker_broadcast"]
    for group in [None, *ctx.groups[:6]]:
        for kind in rng.sample(kinds, 3):
            outreach.material_record(
                distribution=MaterialDistribution(
                    kind=kind,
                    quantity={"banner": 2, "loudspeaker_broadcast": 8}.get(
                        kind, rng.randint(50, 400)
                    ),
                    group=group,
                    date=min(today, date(today.year, rng.randint(1, today.month), 5)),
                ),
                by=officer,
            )
    # Caregivers reached one by one at some sessions (a household reached means all of them).
    for session in OutreachSession.objects.filter(group__isnull=False).order_by("pk")[:8]:
        caregivers = [
            c
            for h in session.group.households.prefetch_related("caregivers")[:15]
            for c in h.caregivers.all()
        ]
        outreach.session_save(
            session=session,
            by=officer,
            households=session.households_reached.all(),
            businesses=session.businesses_reached.all(),
            caregivers=rng.sample(caregivers, k=min(len(caregivers), 10)),
        )
    # The yearly screening of households and businesses (II.2) in the first four groups,
    # by the officer in the spring; one household in five and one business in three at risk.
    reasons_h = [
        "Cha mẹ làm thợ mộc tại nhà, con phụ việc đánh giấy ráp sau giờ học",
        "Hộ cận nghèo, con lớn nghỉ học đi phụ quán",
    ]
    reasons_b = [
        "Xưởng có lao động trẻ làm chà nhám, không có sổ theo dõi lao động chưa thành niên"
    ]
    screened_on = min(today, date(today.year, 4, 15))
    for group in ctx.groups[:4]:
        homes = Household.objects.filter(group=group).order_by("code")[:12]
        for i, home in enumerate(homes):
            household_screen(
                household=home,
                by=officer,
                at_risk=i % 5 == 0,
                reasons=reasons_h[i % 2] if i % 5 == 0 else "",
                on=screened_on,
            )
        shops = Business.objects.filter(group=group, active=True).order_by("name", "pk")[:3]
        for i, shop in enumerate(shops):
            business_screen(
                business=shop,
                by=officer,
                at_risk=i == 0,
                reasons=reasons_b[0] if i == 0 else "",
                on=screened_on,
            )
    # The police take part in awareness work; the health station reports what it found.
    outreach.session_save(
        session=OutreachSession(
            group=None,
            date=min(today, date(today.year, max(1, today.month - 1), 10)),
            channel=Channel.CONFERENCE,
            topic="Công an phường phổ biến quy định xử phạt sử dụng lao động trẻ em",
            organizer=ctx.agencies.get("congan"),
            attendee_count=45,
        ),
        by=ctx.users["congan"],
    )
    intake_create(
        by=health,
        channel="agency",
        description="Khám sức khỏe tại trường phát hiện em nam khoảng 13 tuổi bị ho kéo dài, "
        "cho biết làm chà nhám ở xưởng gỗ sau giờ học.",
        location="Thôn Đồng Kỵ",
    )
