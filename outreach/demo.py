"""Demo awareness sessions in most residential groups (two left without any this year, for
the coverage view to show), households and businesses reached, and trainings."""

from datetime import date, timedelta

from households.models import Household
from inspections.models import Business

from . import services
from .models import Channel, OutreachSession, Training

NO_SESSION_GROUPS = ("TDP-06", "TDP-11")

TOPICS = [
    "Phòng, chống lao động trẻ em trong làng nghề đồ gỗ Đồng Kỵ",
    "Quy định về sử dụng lao động chưa thành niên (Bộ luật Lao động 2019)",
    "Không để trẻ em làm việc tại xưởng sơn PU, xưởng xẻ gỗ",
    "Luật Trẻ em 2016 và Tổng đài quốc gia bảo vệ trẻ em 111",
    "Giữ trẻ ở trường: phòng ngừa bỏ học đi làm sớm",
]


def _date_in_year(rng, today, year_start):
    span = (today - year_start).days
    return year_start + timedelta(days=rng.randint(0, span)) if span > 0 else today


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    year_start = date(today.year, 1, 1)
    officer = ctx.users["vhxh"]
    collaborators = {"TDP-01": ctx.users["ctv1"], "TDP-08": ctx.users["ctv2"]}
    agencies = ctx.agencies
    organizers = [agencies.get(c) for c in ("vhxh", "hoiphunu", "doanthanhnien", "ttdv", "tdp")]

    for group in ctx.groups:
        if group.code in NO_SESSION_GROUPS:
            continue
        by = collaborators.get(group.code, officer)
        households = list(Household.objects.filter(group=group).values_list("pk", flat=True))
        businesses = list(Business.objects.filter(group=group))
        for n in range(rng.choice((1, 2, 2, 3))):
            channel = rng.choice(
                [Channel.RESIDENTS_MEETING, Channel.DOOR_TO_DOOR, Channel.GROUP_MEETING]
            )
            attendees = rng.randint(25, 80)
            caregivers = int(attendees * 0.7)
            picked = rng.sample(households, k=min(len(households), attendees))
            services.session_save(
                session=OutreachSession(
                    group=group,
                    date=_date_in_year(rng, today, year_start),
                    channel=channel,
                    topic=TOPICS[(n + group.pk) % len(TOPICS)],
                    organizer=rng.choice(organizers),
                    attendee_count=attendees,
                    caregiver_count=caregivers,
                    children_count=rng.randint(0, attendees - caregivers),
                    leaflets=attendees,
                    posters=rng.randint(0, 3),
                    booklets=rng.randint(5, 20),
                ),
                by=by,
                households=Household.objects.filter(pk__in=picked),
                businesses=rng.sample(businesses, k=min(len(businesses), 2)),
                all_households_with_children=channel == Channel.DOOR_TO_DOOR,
            )

    for channel, topic in [
        (Channel.LOUDSPEAKER, "Phát thanh: Tháng hành động vì trẻ em"),
        (Channel.WEBSITE, "Bài viết: Trách nhiệm của cơ sở sản xuất khi sử dụng lao động"),
        (Channel.SOCIAL_MEDIA, "Zalo phường: Tổng đài 111 và cách phản ánh"),
    ]:
        services.session_save(
            session=OutreachSession(
                group=None,
                date=_date_in_year(rng, today, year_start),
                channel=channel,
                topic=topic,
                organizer=agencies.get("vhxh"),
            ),
            by=officer,
        )
    # Last year's sessions: they must not count for this year.
    for group in ctx.groups[:3]:
        services.session_save(
            session=OutreachSession(
                group=group,
                date=date(today.year - 1, 10, 15),
                channel=Channel.CONFERENCE,
                topic=TOPICS[0],
                organizer=agencies.get("vhxh"),
                attendee_count=60,
                caregiver_count=45,
            ),
            by=officer,
        )

    u = ctx.users
    for title, when, organizer, people, outside, topics in [
        (
            "Tập huấn nghiệp vụ phát hiện, can thiệp trẻ em lao động trái quy định",
            _date_in_year(rng, today, year_start),
            Training.Organizer.WARD,
            ["vhxh", "ctv1", "congan", "yte"],
            18,
            "Quy trình Nghị định 56/2017; kỹ năng rà soát; ghi nhận trong hệ thống.",
        ),
        (
            "Hội nghị tập huấn Kế hoạch 99/KH-UBND của tỉnh",
            _date_in_year(rng, today, year_start),
            Training.Organizer.PROVINCE,
            ["vhxh", "lanhdao"],
            0,
            "Mục tiêu giai đoạn 2026–2030; chế độ báo cáo.",
        ),
        (
            "Tập huấn kỹ năng tuyên truyền cho cộng tác viên",
            date(today.year - 1, 11, 20),
            Training.Organizer.WARD,
            ["ctv2", "doanthe"],
            24,
            "Kỹ năng truyền thông, tư vấn cho cha mẹ.",
        ),
    ]:
        services.training_save(
            training=Training(
                title=title,
                date=when,
                organizer=organizer,
                outside_participants=outside,
                topics=topics,
            ),
            by=officer,
            participants=[u[name] for name in people if name in u],
        )
