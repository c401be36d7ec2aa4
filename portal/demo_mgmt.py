"""Demo data for issue 15, through the real services: the year's estimate per activity line
and source, what sessions and trainings cost through the year, two donors whose donations fund
some of the demo's supports, the quarterly coordination meetings with open and done actions, a
case conference, the agencies' inputs for the previous and the current half-year, and a few
good practices. Its own random stream, so the other demo numbers do not move; nothing here adds
a child, a support, a session or a training (the KPIs stay as recorded)."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from children.models import Case, Support
from coordination import services as coordination
from coordination.models import AgencyInput, InputKind, Meeting, MeetingAction, Practice
from dongnguyen.errors import full_clean
from funding import services as funding
from funding.models import BudgetEstimate, Donation, Donor
from outreach import services as outreach
from outreach.models import OutreachSession, Training

# (activity, source, đồng) of the year's estimate (dự toán).
ESTIMATE = [
    ("awareness", "state_budget", 30_000_000),
    ("awareness", "social_mobilization", 10_000_000),
    ("screening", "state_budget", 8_000_000),
    ("support", "state_budget", 40_000_000),
    ("support", "social_mobilization", 30_000_000),
    ("inspection", "state_budget", 12_000_000),
    ("training", "state_budget", 6_000_000),
    ("coordination", "state_budget", 5_000_000),
]
CHAIR = "Nguyễn Văn Hùng, Phó Chủ tịch UBND phường"
ATTENDEES = "Công chức VH-XH, Trạm Y tế, Công an phường, Hội LHPN, Đoàn Thanh niên, các tổ trưởng"


def seed(ctx) -> None:
    rng = random.Random(15)
    _estimate(ctx)
    _costs(ctx, rng)
    _donations(ctx)
    _meetings(ctx)
    _agency_inputs(ctx)
    _practices(ctx)


def _estimate(ctx):
    for activity, source, amount in ESTIMATE:
        funding.estimate_save(
            estimate=BudgetEstimate(
                year=ctx.today.year, activity=activity, source=source, amount_vnd=amount
            ),
            by=ctx.users["kinhte"],
        )


def _costs(ctx, rng):
    """What this year's sessions and trainings cost: saved again through their services with
    the households, businesses and participants they already have."""
    officer = ctx.users["vhxh"]
    year_start = date(ctx.today.year, 1, 1)
    sessions = (
        OutreachSession.objects.filter(ward_id=officer.profile.ward_id, date__gte=year_start)
        .prefetch_related("households_reached", "businesses_reached")
        .order_by("date", "pk")
    )
    for n, session in enumerate(sessions):
        session.cost_vnd = rng.choice([300_000, 500_000, 800_000, 1_200_000])
        session.cost_source = "social_mobilization" if n % 4 == 3 else "state_budget"
        outreach.session_save(
            session=session,
            by=officer,
            households=list(session.households_reached.all()),
            businesses=list(session.businesses_reached.all()),
        )
    trainings = Training.objects.filter(
        ward_id=officer.profile.ward_id, date__gte=year_start
    ).prefetch_related("participants")
    for training in trainings.order_by("date", "pk"):
        training.cost_vnd = rng.choice([2_500_000, 3_000_000, 4_000_000])
        training.cost_source = "state_budget"
        outreach.training_save(
            training=training, by=officer, participants=list(training.participants.all())
        )


def _donations(ctx):
    """Two donors; the mass organisations' supports of the demo draw on their donations."""
    mass_org = ctx.users["doanthe"]
    year_start = date(ctx.today.year, 1, 1)
    fund = funding.donor_save(
        donor=Donor(
            name="Quỹ Khuyến học phường Đồng Nguyên",
            kind=Donor.Kind.ORGANISATION,
            contact="Văn phòng Hội Khuyến học, trụ sở UBND phường",
        ),
        by=mass_org,
    )
    company = funding.donor_save(
        donor=Donor(
            name="Công ty TNHH Đồ gỗ Mỹ nghệ Đồng Kỵ",
            kind=Donor.Kind.ORGANISATION,
            contact="Khu phố Tư, phường Đồng Nguyên",
        ),
        by=mass_org,
    )
    scholarships = funding.donation_save(
        donation=Donation(
            donor=fund,
            date=year_start,
            amount_vnd=20_000_000,
            purpose="Học bổng cho trẻ em có nguy cơ bỏ học",
            restricted_to_kind="scholarship",
        ),
        by=mass_org,
    )
    supplies = funding.donation_save(
        donation=Donation(
            donor=company,
            date=year_start,
            in_kind="150 bộ sách vở, đồ dùng học tập",
            value_vnd=12_000_000,
            purpose="Đồ dùng học tập cho trẻ em hộ nghèo, cận nghèo",
            restricted_to_kind="school_supplies",
        ),
        by=mass_org,
    )
    # The demo's supports from social mobilization this year are paid from these donations,
    # as far as each donation goes (Support.clean checks the balance and the restriction).
    supports = Support.objects.filter(
        funding_source="social_mobilization",
        donation__isnull=True,
        amount_vnd__gt=0,
        date__gte=year_start,
        child__household__group__in=ctx.groups,
    ).select_related("child__household")
    by_kind = {"scholarship": scholarships, "school_supplies": supplies}
    for support in supports.order_by("date", "pk"):
        donation = by_kind.get(support.kind)
        if donation is None or support.amount_vnd > donation.remaining:
            continue
        support.donation = donation
        full_clean(support)
        support.save(update_fields=["donation"])


def _meetings(ctx):
    """The quarterly giao ban of the past months, an ad-hoc meeting and a case conference."""
    officer, today = ctx.users["vhxh"], ctx.today
    ag = ctx.agencies
    closers = {"yte": ctx.users["yte"], "congan": ctx.users["congan"], "vhxh": officer}
    present = [ag[c] for c in ("vhxh", "yte", "congan", "hoiphunu", "doanthanhnien")]

    def meeting(days_ago, kind=Meeting.Kind.PERIODIC, **kw):
        return coordination.meeting_save(
            meeting=Meeting(
                kind=kind,
                date=today - timedelta(days=days_ago),
                chair=CHAIR,
                attendees=ATTENDEES,
                **kw,
            ),
            by=officer,
            agencies=present,
        )

    def action(m, what, agency, due_days, done_days=None):
        a = coordination.action_save(
            action=MeetingAction(
                meeting=m, what=what, agency=ag[agency], due_on=m.date + timedelta(days=due_days)
            ),
            by=officer,
        )
        if done_days is not None:
            coordination.action_done(
                action=a,
                by=closers[agency],
                done_on=min(today, m.date + timedelta(days=done_days)),
            )
        return a

    q1 = meeting(
        230,
        agenda="Giao ban quý: triển khai Kế hoạch 143/KH-UBND, phân công rà soát đầu năm",
        minutes="Thống nhất rà soát trẻ em tại các hộ làm mộc; Công an kiểm tra các xưởng mới.",
    )
    action(q1, "Rà soát trẻ em bỏ học tại các tổ làng nghề", "vhxh", 30, 25)
    action(q1, "Kiểm tra các xưởng mộc mới mở ở Tổ 3 và Tổ 5", "congan", 30, 41)  # late
    q2 = meeting(140, agenda="Giao ban quý: kết quả 6 tháng đầu năm, chuẩn bị báo cáo")
    action(q2, "Khám sức khỏe cho trẻ em đang làm việc tại các xưởng", "yte", 30, 20)
    action(q2, "Tổng hợp số liệu của các tổ dân phố cho báo cáo 6 tháng", "vhxh", 14, 10)
    q3 = meeting(50, agenda="Giao ban quý: tình hình trẻ em bỏ học đầu năm học mới")
    action(q3, "Vận động trẻ em bỏ học trở lại trường", "vhxh", 30, 28)
    action(q3, "Tuyên truyền pháp luật lao động tại các xưởng sơn", "congan", 40)  # overdue
    adhoc = meeting(
        12,
        kind=Meeting.Kind.ADHOC,
        agenda="Họp đột xuất về phản ánh trẻ em làm đêm tại xưởng mộc",
    )
    action(adhoc, "Kiểm tra đột xuất ban đêm cơ sở bị phản ánh", "congan", 7, 6)
    action(adhoc, "Khám sức khỏe, tư vấn tâm lý cho trẻ em được phát hiện", "yte", 20)
    case = (
        Case.objects.filter(status=Case.Status.IN_PROGRESS, child__household__group__in=ctx.groups)
        .order_by("pk")
        .first()
    )
    if case is not None:
        conference = meeting(
            5,
            kind=Meeting.Kind.CASE_CONFERENCE,
            case=case,
            agenda="Họp hội đồng ca: kế hoạch hỗ trợ, can thiệp",
            minutes="Thống nhất đưa trẻ trở lại trường, hỗ trợ học bổng và khám sức khỏe.",
        )
        action(conference, "Làm việc với nhà trường nhận trẻ học lại", "vhxh", 10)


def _half(day: date) -> tuple[str, date, date]:
    if day.month <= 6:
        return f"{day.year}-H1", date(day.year, 1, 1), date(day.year, 6, 30)
    return f"{day.year}-H2", date(day.year, 7, 1), date(day.year, 12, 31)


def _agency_inputs(ctx):
    """The previous half-year's inputs (the health station on time, the police late, two groups
    sent, the others late) and the current half-year's, asked for and partly sent."""
    officer, today = ctx.users["vhxh"], ctx.today
    code, start, end = _half(today)
    prev_code, prev_start, prev_end = _half(start - timedelta(days=1))
    by_group = {"TDP-01": ctx.users["ctv1"], "TDP-08": ctx.users["ctv2"]}

    def send(item, by, n, results, difficulties="", proposals=""):
        coordination.input_submit(
            agency_input=item,
            by=by,
            figures=_figures(item.kind, n),
            results=results,
            difficulties=difficulties,
            proposals=proposals,
        )

    def item(items, kind, group_code=None):
        return next(
            i
            for i in items
            if i.kind == kind and (group_code is None or i.group.code == group_code)
        )

    prev_due = prev_end + timedelta(days=5)
    previous = coordination.inputs_request(
        by=officer, period=prev_code, start=prev_start, end=prev_end, due_on=prev_due
    )
    sent = {
        (InputKind.HEALTH, None): (-2, ctx.users["yte"], 3),
        (InputKind.POLICE, None): (4, ctx.users["congan"], 2),
        (InputKind.GROUP, "TDP-01"): (-1, by_group["TDP-01"], 2),
        (InputKind.GROUP, "TDP-08"): (0, by_group["TDP-08"], 1),
    }
    for (kind, group_code), (days_after_due, by, n) in sent.items():
        x = item(previous, kind, group_code)
        send(x, by, n, _RESULTS[kind], *_TEXTS.get(kind, ("", "")))
        # The demo is seeded in one go: the sending day is set as the agency would have sent.
        sent_at = timezone.make_aware(
            datetime.combine(prev_due + timedelta(days=days_after_due), time(9))
        )
        AgencyInput.objects.filter(pk=x.pk).update(submitted_at=min(sent_at, timezone.now()))

    current = coordination.inputs_request(
        by=officer, period=code, start=start, end=end, due_on=end + timedelta(days=5)
    )
    send(item(current, InputKind.HEALTH), ctx.users["yte"], 2, _RESULTS[InputKind.HEALTH])
    send(
        item(current, InputKind.GROUP, "TDP-01"),
        by_group["TDP-01"],
        3,
        _RESULTS[InputKind.GROUP],
        *_TEXTS[InputKind.GROUP],
    )


def _figures(kind, n):
    return {
        InputKind.HEALTH: {
            "health_checks": 12 * n,
            "work_related": n,
            "psychological": 2 * n,
            "referrals_received": n + 1,
        },
        InputKind.POLICE: {
            "tips_verified": 2 * n,
            "inspections": 3 * n,
            "violations": n,
            "fines_vnd": 5_000_000 * n,
        },
        InputKind.GROUP: {
            "households_visited": 20 * n,
            "meetings": n,
            "new_at_risk": n,
            "back_to_school": 1,
        },
    }[kind]


_RESULTS = {
    InputKind.HEALTH: "Khám sức khỏe cho trẻ em làm việc tại các xưởng mộc, tư vấn cho gia đình "
    "về bụi gỗ và sơn.",
    InputKind.POLICE: "Kiểm tra các cơ sở mộc, sơn; xác minh các tin báo về trẻ em làm đêm.",
    InputKind.GROUP: "Thăm các hộ có trẻ em, nhắc cha mẹ cho con đi học đều; lồng ghép tuyên "
    "truyền vào buổi họp tổ.",
}
_TEXTS = {
    InputKind.HEALTH: (
        "Trạm chưa có cán bộ chuyên trách tư vấn tâm lý cho trẻ em.",
        "Đề nghị bổ sung kinh phí khám sức khỏe định kỳ cho trẻ em làng nghề.",
    ),
    InputKind.GROUP: (
        "Nhiều hộ làm nghề theo thời vụ, cha mẹ đi làm cả ngày.",
        "Đề nghị mở lớp học hè cho con em các hộ làm nghề.",
    ),
}


def _practices(ctx):
    officer, today, ag = ctx.users["vhxh"], ctx.today, ctx.agencies
    groups = {g.code: g for g in ctx.groups}
    for days_ago, title, owner, description, tags in (
        (
            200,
            "Câu lạc bộ “Cha mẹ đồng hành” tại tổ dân phố",
            {"group": groups["TDP-01"]},
            "Mỗi tháng một buổi sinh hoạt của cha mẹ có con dưới 16 tuổi: chia sẻ cách giữ con "
            "đi học, giới thiệu học nghề đúng tuổi thay cho làm việc ở xưởng.",
            ",cha mẹ,câu lạc bộ,đi học,",
        ),
        (
            120,
            "Ký cam kết không sử dụng lao động trẻ em tại các xưởng mộc",
            {"agency": ag["congan"]},
            "Công an phường cùng tổ dân phố đến từng xưởng, phổ biến quy định về lao động chưa "
            "thành niên và mời chủ cơ sở ký cam kết; kiểm tra lại sau ba tháng.",
            ",cam kết,làng nghề,cơ sở sản xuất,",
        ),
        (
            30,
            "Tủ sách và lớp học hè cho con em các hộ làm nghề",
            {"agency": ag["hoiphunu"]},
            "Hội Liên hiệp Phụ nữ mở tủ sách tại nhà văn hóa và lớp học hè do giáo viên nghỉ "
            "hưu dạy, để trẻ em không theo cha mẹ ra xưởng trong những tháng nghỉ.",
            ",học tập,hè,làng nghề,",
        ),
    ):
        coordination.practice_save(
            practice=Practice(
                title=title,
                description=description,
                tags=tags,
                shared_on=today - timedelta(days=days_ago),
                **owner,
            ),
            by=officer,
        )
