"""Demo intake reports and cases at every step of the Decree 56 workflow (seed_demo).

Runs after the households, children and inspections demos. It takes children already on the
register who are at risk or in unlawful work; where there are too few (the register demo not
there), it adds its own households and children in the woodworking villages. Cases go
through the real services, then their clocks are set back so the deadlines show: some
overdue, one withdrawn after two clean follow-ups 35 days apart, one unfounded."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from households.demo import valid_phone
from households.models import Caregiver, Household

from . import services
from .demo_case_children import OWN_CHILDREN
from .demo_case_steps import CaseSteps
from .models import Case, CaseEvent, Child, FollowUp, IntakeReport, Referral, Support, WorkRecord

NEEDED = 12


def _own_children(ctx) -> list[Child]:
    by_code = {g.code: g for g in ctx.groups}
    made = []
    for n, (name, sex, age, group, head, address, poverty, story) in enumerate(OWN_CHILDREN):
        household, _ = Household.objects.get_or_create(
            code=f"HGD-VV-{n + 1:03d}",
            defaults={
                "head_name": head,
                "address": address,
                "group": by_code[group],
                "poverty_status": poverty,
                "phone": valid_phone(f"09{ctx.rng.randint(10000000, 99999999)}"),
            },
        )
        Caregiver.objects.get_or_create(
            household=household, name=head, defaults={"relation": "Bố", "phone": household.phone}
        )
        birth = ctx.today.replace(year=ctx.today.year - age) - timedelta(
            days=ctx.rng.randint(20, 300)
        )
        child = Child.objects.create(
            full_name=name,
            sex=sex,
            birth_date=birth,
            household=household,
            at_risk=True,
            risk_factors=story,
            school_status="dropped_out"
            if "bỏ học" in story or "nghỉ học" in story
            else "in_school",
            dropout_date=ctx.today - timedelta(days=120) if "học" in story else None,
            dropout_reason="economic" if "học" in story else "",
            registered_on=ctx.today - timedelta(days=400),
        )
        record = WorkRecord(
            child=child,
            job_code="other_general",
            employer_name=story,
            hours_per_day=6,
            hours_per_week=36,
            started_on=ctx.today - timedelta(days=90),
        )
        services.workrecord_assess(record)
        record.save()
        made.append(child)
    return made


def _pick_children(ctx) -> list[Child]:
    cutoff = ctx.today.replace(year=ctx.today.year - 16)
    found = list(
        Child.objects.filter(Q(at_risk=True) | Q(work_records__lawful=False), birth_date__gt=cutoff)
        .exclude(cases__isnull=False)
        .select_related("household__group")
        .distinct()
        .order_by("pk")[:NEEDED]
    )
    if len(found) < NEEDED:
        found += _own_children(ctx)[: NEEDED - len(found)]
    return found


def _at(ctx, days_ago: float, hour: int = 9) -> datetime:
    day = ctx.today - timedelta(days=int(days_ago))
    at = timezone.make_aware(datetime.combine(day, time(hour, ctx.rng.choice([0, 15, 30, 45]))))
    return min(at, timezone.now() - timedelta(minutes=30))


def _backdate(case: Case, times: list[datetime]) -> None:
    """Put the case's events (in order) at the given times, and its step timestamps with them."""
    events = list(CaseEvent.objects.filter(case=case).order_by("pk"))
    for event, at in zip(events, times, strict=False):
        event.at = at
    CaseEvent.objects.bulk_update(events, ["at"])
    fields = {}
    for event in events:
        name = {
            Case.Status.ASSESSED: "assessed_at",
            Case.Status.PLAN_DRAFTED: "plan_drafted_at",
            Case.Status.PLAN_APPROVED: "plan_approved_at",
            Case.Status.CLOSED: "closed_at",
        }.get(event.to_status)
        if name and event.from_status != event.to_status:
            fields.setdefault(name, event.at)
    Case.objects.filter(pk=case.pk).update(received_at=times[0], **fields)


def seed(ctx) -> None:
    officer = ctx.users["vhxh"]
    ctv1, ctv2 = ctx.users["ctv1"], ctx.users["ctv2"]
    ag = ctx.agencies
    groups = {g.code: g for g in ctx.groups}
    kids = _pick_children(ctx)
    steps = CaseSteps(ctx, _at)

    # 1–2. Received: one just in, one overdue for the 12-hour assessment (unassigned).
    c = steps.open_case(
        "hotline_111",
        kids[0],
        0,
        f"Tổng đài 111 chuyển: {kids[0].risk_factors or 'trẻ làm việc ở xưởng gỗ'}.",
        hour=0,
    )
    _backdate(c, [timezone.now() - timedelta(hours=9)])
    c = steps.open_case(
        "phone", kids[1], 2, "Người dân gọi điện: trẻ làm việc đến khuya ở quán ăn.", assigned=False
    )
    _backdate(c, [timezone.now() - timedelta(hours=30)])
    # 3. Assessed, but no plan after 5 working days: overdue.
    c = steps.open_case(
        "collaborator",
        kids[2],
        10,
        "Cộng tác viên báo: trẻ phun sơn ở xưởng, không đeo khẩu trang.",
    )
    c = steps.assess(c)
    _backdate(c, [_at(ctx, 10, 8), _at(ctx, 10, 15)])
    # 4. Assessed yesterday: plan due within the week.
    c = steps.open_case(
        "school", kids[3], 1, "Nhà trường báo: học sinh nghỉ học nhiều ngày, nghi đi làm thuê."
    )
    c = steps.assess(c, "medium")
    _backdate(c, [_at(ctx, 1, 8), _at(ctx, 1, 14)])
    # 5. Plan drafted, waiting for leadership.
    c = steps.open_case(
        "police",
        kids[4],
        6,
        "Công an phường phát hiện trẻ bê gỗ tại xưởng xẻ khi kiểm tra.",
    )
    c = steps.plan(steps.assess(c))
    _backdate(c, [_at(ctx, 6, 8), _at(ctx, 6, 16), _at(ctx, 3, 10)])
    # 6. Plan approved.
    c = steps.open_case(
        "direct", kids[5], 12, "Mẹ của trẻ đến UBND phường trình bày hoàn cảnh, nhờ hỗ trợ."
    )
    c = steps.approve(steps.plan(steps.assess(c, "medium")))
    _backdate(c, [_at(ctx, 12, 8), _at(ctx, 12, 11), _at(ctx, 8, 10), _at(ctx, 6, 15)])
    # 7. In progress, referred to the health station and the women's union, with supports.
    c = steps.open_case(
        "social_media", kids[6], 40, "Bài đăng Facebook phản ánh trẻ hàn sắt ở cơ sở cơ khí."
    )
    c = steps.start(steps.approve(steps.plan(steps.assess(c))))
    steps.refer_and_support(c, 20)
    _backdate(
        c,
        [
            _at(ctx, 40, 8),
            _at(ctx, 40, 15),
            _at(ctx, 36, 10),
            _at(ctx, 34, 9),
            _at(ctx, 33, 8),
            _at(ctx, 30, 9),
            _at(ctx, 30, 10),
        ],
    )
    # 8. Monitoring with one clean follow-up.
    c = steps.open_case(
        "collaborator", kids[7], 75, "Cộng tác viên báo: trẻ bỏ học ở nhà làm giấy ráp."
    )
    c = steps.start(steps.approve(steps.plan(steps.assess(c))))
    steps.refer_and_support(c, 55)
    c = services.case_monitor(case=c, by=officer, version=c.version)
    FollowUp.objects.create(
        child=c.child,
        case=c,
        date=ctx.today - timedelta(days=12),
        working_unlawfully=False,
        in_school=True,
        notes="Trẻ đã đi học lại, không còn làm ở xưởng.",
        by=officer,
    )
    _backdate(
        c,
        [
            _at(ctx, 75, 8),
            _at(ctx, 75, 14),
            _at(ctx, 71, 9),
            _at(ctx, 69, 9),
            _at(ctx, 68, 8),
            _at(ctx, 65, 9),
            _at(ctx, 65, 10),
            _at(ctx, 30, 9),
        ],
    )
    # 9. Closed as withdrawn: two clean follow-ups 35 days apart.
    c = steps.open_case(
        "hotline_111", kids[8], 150, "Tổng đài 111: trẻ chạy bàn ở quán karaoke đến nửa đêm."
    )
    c = steps.start(steps.approve(steps.plan(steps.assess(c))))
    steps.refer_and_support(c, 120)
    c = services.case_monitor(case=c, by=officer, version=c.version)
    for days, note in (
        (60, "Trẻ đã nghỉ làm ở quán, đi học đều."),
        (25, "Tiếp tục đi học, gia đình cam kết."),
    ):
        FollowUp.objects.create(
            child=c.child,
            case=c,
            date=ctx.today - timedelta(days=days),
            working_unlawfully=False,
            in_school=True,
            notes=note,
            by=officer,
        )
    c = services.case_close(
        case=c,
        by=officer,
        version=c.version,
        outcome="withdrawn",
        note="Hai lần theo dõi cách nhau 35 ngày đều không còn lao động trái quy định.",
    )
    Referral.objects.filter(case=c).update(closed=True, closed_on=ctx.today - timedelta(days=30))
    _backdate(
        c,
        [
            _at(ctx, 150, 8),
            _at(ctx, 150, 13),
            _at(ctx, 146, 9),
            _at(ctx, 144, 9),
            _at(ctx, 143, 8),
            _at(ctx, 140, 9),
            _at(ctx, 140, 10),
            _at(ctx, 90, 9),
            _at(ctx, 20, 9),
        ],
    )
    # 10. Unfounded after verification.
    c = steps.open_case(
        "web_form", kids[9], 20, "Phản ánh trên cổng: nghi trẻ làm việc ban đêm ở xưởng đóng gói."
    )
    c = steps.assess(c, "low")
    c = services.case_close(
        case=c,
        by=officer,
        version=c.version,
        outcome="unfounded",
        note="Xác minh: trẻ chỉ phụ giúp gia đình việc nhẹ ngoài giờ học, không vi phạm.",
    )
    _backdate(c, [_at(ctx, 20, 8), _at(ctx, 20, 16), _at(ctx, 19, 9)])
    # 11. Another case in progress, scholarship from the women's union.
    c = steps.open_case(
        "school", kids[10], 30, "Nhà trường báo: học sinh lớp 6 nghỉ học đi phụ xưởng gỗ."
    )
    c = steps.start(steps.approve(steps.plan(steps.assess(c, "medium"))))
    steps.refer_and_support(c, 15)
    Support.objects.create(
        child=c.child,
        case=c,
        kind="scholarship",
        provider=ag["hoiphunu"],
        date=ctx.today - timedelta(days=5),
        amount_vnd=2_000_000,
        funding_source="social_mobilization",
        recorded_by=ctx.users["doanthe"],
    )
    _backdate(
        c,
        [
            _at(ctx, 30, 8),
            _at(ctx, 30, 15),
            _at(ctx, 27, 9),
            _at(ctx, 25, 9),
            _at(ctx, 24, 8),
            _at(ctx, 22, 9),
            _at(ctx, 22, 10),
        ],
    )

    # Reports not yet triaged, one duplicate and one dismissed.
    web = steps.intake(
        "web_form",
        None,
        0,
        "Thấy mấy cháu nhỏ bốc vác gỗ ở bãi gần chợ Đồng Kỵ buổi tối.",
        hour=7,
        group=groups.get("TDP-03"),
        location="Bãi gỗ gần chợ Đồng Kỵ",
    )
    IntakeReport.objects.filter(pk=web.pk).update(received_at=timezone.now() - timedelta(hours=3))
    services.intake_create(
        by=ctv1,
        channel="collaborator",
        group=groups["TDP-01"],
        received_at=timezone.now() - timedelta(hours=5),
        description="Nhà ông Thịnh có cháu 12 tuổi hay phụ chà nhám buổi tối, cần xác minh.",
    )
    services.intake_create(
        by=ctv2,
        channel="collaborator",
        group=groups["TDP-08"],
        received_at=timezone.now() - timedelta(hours=14),
        description="Nghi có trẻ dưới 15 tuổi làm ở xưởng sơn mài cuối thôn Trang Liệt.",
    )
    first = steps.intake(
        "phone",
        kids[11],
        4,
        "Người dân báo trẻ nghỉ học phụ bán hàng ở chợ.",
        reporter_name="Nguyễn Thị Hạnh",
        reporter_phone="0987 654 321",
    )
    services.intake_link_child(intake=first, by=officer, child=kids[11])
    dup = steps.intake(
        "social_media", kids[11], 3, "Zalo nhóm tổ dân phố: trẻ bán hàng ở chợ cả ngày."
    )
    services.intake_dismiss(intake=dup, by=officer, status="duplicate", duplicate_of=first)
    stray = steps.intake(
        "phone",
        None,
        8,
        "Báo trẻ làm việc ở xưởng nhưng không rõ địa chỉ, gọi lại không liên lạc được.",
        group=groups.get("TDP-12"),
    )
    services.intake_dismiss(
        intake=stray,
        by=officer,
        status="unfounded",
        note="Đã xác minh tại tổ dân phố, không có trẻ nào như phản ánh.",
    )
    # An open referral without a case, so the health station's list is never empty.
    if not Referral.objects.filter(child=kids[11], agency=ag["yte"]).exists():
        services.referral_create(
            child=kids[11], agency=ag["yte"], by=officer, needs="Khám sức khỏe định kỳ"
        )
