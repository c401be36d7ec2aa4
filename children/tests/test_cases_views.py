"""Intake, case file, task list and case sheet pages: access per role and query bounds."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from children import services
from children.models import Case
from dongnguyen.models import AccessLog, Agency
from tests.factories import CaseFactory, ChildFactory, HouseholdFactory, IntakeFactory


def agency(code):
    return Agency.objects.get(code=code)


@pytest.fixture
def full_case(officer, leader):
    child = ChildFactory(full_name="Nguyễn Văn Đức", household=HouseholdFactory())
    case = services.case_open(
        child=child,
        by=officer,
        summary="Trẻ phun sơn tại xưởng gỗ Đồng Kỵ",
        # Received before the support of 02/05 below (a support cannot predate the case).
        received_at=timezone.make_aware(dt.datetime(2026, 4, 20, 9, 0)),
    )
    case = services.case_assess(
        case=case,
        by=officer,
        version=case.version,
        risk_level="high",
        items=[
            {"item": "Tiếp xúc dung môi sơn", "level": "high"},
            {"item": "Bỏ học", "level": "medium"},
            {"item": "Sức khỏe", "level": "low"},
        ],
    )
    case = services.case_plan_draft(
        case=case,
        by=officer,
        version=case.version,
        actions=[
            {"action": "Khám sức khỏe", "agency": agency("yte"), "due_on": dt.date(2026, 6, 1)},
            {
                "action": "Vận động trở lại trường",
                "agency": agency("hoiphunu"),
                "due_on": dt.date(2026, 6, 5),
            },
        ],
    )
    case = services.case_plan_approve(case=case, by=leader, version=case.version)
    services.referral_create(
        child=child, case=case, agency=agency("yte"), by=officer, needs="Khám sức khỏe"
    )
    services.support_record(
        child=child,
        case=case,
        by=officer,
        kind="scholarship",
        provider=agency("mttq"),
        date=dt.date(2026, 5, 2),
        amount_vnd=1_500_000,
        funding_source="social_mobilization",
    )
    return case


def test_it_shows_the_case_file_with_its_timeline_and_logs_the_view(client, officer, full_case):
    client.force_login(officer)
    response = client.get(reverse("children:case_detail", args=[full_case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Nguyễn Văn Đức",
        "Tiếp xúc dung môi sơn",
        "Cao",
        "Trung bình",
        "Thấp",
        "Khám sức khỏe",
        "Trạm Y tế",
        "1.500.000",
        "Nguồn xã hội hóa",
        "Kế hoạch đã được phê duyệt",
    ):
        assert text in body, text
    assert AccessLog.objects.filter(action="view", object_id=str(full_case.pk)).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leadership", 200),
        ("case_officer", 200),
        ("health", 200),
        ("mass_org", 404),
        ("police", 403),
        ("collaborator", 403),
        ("finance", 403),
    ],
)
def test_it_scopes_the_case_file_by_role(client, personas, full_case, role, status):
    client.force_login(personas[role])
    assert client.get(reverse("children:case_detail", args=[full_case.pk])).status_code == status


def test_it_shows_a_mass_org_only_what_was_referred_to_it(client, officer, mass_org, full_case):
    client.force_login(mass_org)
    url = reverse("children:case_detail", args=[full_case.pk])
    assert client.get(url).status_code == 404
    services.referral_create(
        child=full_case.child,
        case=full_case,
        agency=agency("hoiphunu"),
        by=officer,
        needs="Học bổng",
    )
    body = client.get(url).content.decode()
    assert "Nguyễn Văn Đức" in body and "Vận động trở lại trường" in body
    assert "Tiếp xúc dung môi sơn" not in body and "Khám sức khỏe" not in body
    assert client.get(reverse("children:case_sheet", args=[full_case.pk])).status_code == 403


def test_it_prints_a_vietnamese_case_sheet_and_logs_it(client, officer, full_case, tmp_path):
    client.force_login(officer)
    response = client.get(reverse("children:case_sheet", args=[full_case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "PHIẾU TÓM TẮT HỒ SƠ TRẺ EM",
        "Nguyễn Văn Đức",
        "Tiếp xúc dung môi sơn",
        "Trung bình",
        "Vận động trở lại trường",
        "Nguồn xã hội hóa",
    ):
        assert words in text, words
    assert AccessLog.objects.filter(action="print", object_id=str(full_case.pk)).exists()


def test_it_lets_the_officer_drive_the_workflow_from_the_pages(client, officer, leader):
    child = ChildFactory()
    intake = IntakeFactory(description="Trẻ bê gỗ nặng ở xưởng")
    client.force_login(officer)
    r = client.post(
        reverse("children:intake_triage", args=[intake.pk]),
        {"action": "open_case", "child": child.pk},
    )
    case = Case.objects.get(intake=intake)
    assert r.url == reverse("children:case_detail", args=[case.pk])
    r = client.get(reverse("children:case_assess", args=[case.pk]))
    assert "Hoàn cảnh kinh tế gia đình" in r.content.decode()
    data = {
        "version": case.version,
        "risk_level": "high",
        "note": "Nguy cơ cao",
        "items-TOTAL_FORMS": 2,
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        "items-0-item": "Bê vác nặng",
        "items-0-level": "high",
        "items-1-item": "",
        "items-1-level": "",
    }
    r = client.post(reverse("children:case_assess", args=[case.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    case.refresh_from_db()
    assert case.status == "assessed"
    # The same stale form again: refused with the Vietnamese message, nothing changed.
    r = client.post(reverse("children:case_assess", args=[case.pk]), data)
    assert "Hồ sơ đã được người khác cập nhật" in r.content.decode()
    plan = {
        "version": case.version,
        "goal": "Trẻ trở lại trường",
        "actions-TOTAL_FORMS": 2,
        "actions-INITIAL_FORMS": 0,
        "actions-MIN_NUM_FORMS": 0,
        "actions-MAX_NUM_FORMS": 1000,
        "actions-0-action": "Vận động gia đình",
        "actions-0-agency": agency("hoiphunu").pk,
        "actions-0-due_on": "15/06/2026",
        "actions-1-action": "",
        "actions-1-agency": "",
        "actions-1-due_on": "",
    }
    r = client.post(reverse("children:case_plan", args=[case.pk]), plan)
    assert r.status_code == 302
    case.refresh_from_db()
    r = client.post(
        reverse("children:case_step", args=[case.pk]), {"step": "approve", "version": case.version}
    )
    assert r.status_code == 403  # the officer may not approve
    client.force_login(leader)
    client.post(
        reverse("children:case_step", args=[case.pk]), {"step": "approve", "version": case.version}
    )
    case.refresh_from_db()
    assert case.status == "plan_approved"


def test_it_shows_an_error_and_keeps_the_input_when_the_plan_misses_an_agency(client, officer):
    case = CaseFactory(status="assessed")
    client.force_login(officer)
    plan = {
        "version": case.version,
        "goal": "",
        "actions-TOTAL_FORMS": 1,
        "actions-INITIAL_FORMS": 0,
        "actions-MIN_NUM_FORMS": 0,
        "actions-MAX_NUM_FORMS": 1000,
        "actions-0-action": "Tặng sách vở",
        "actions-0-agency": "",
        "actions-0-due_on": "31/02/2026",
    }
    body = client.post(reverse("children:case_plan", args=[case.pk]), plan).content.decode()
    assert "Hãy chọn cơ quan thực hiện." in body and "Tặng sách vở" in body
    assert "Ngày không hợp lệ" in body
    case.refresh_from_db()
    assert case.status == "assessed"


# --- Intake ---------------------------------------------------------------------------------


def test_it_filters_the_intake_list_by_status_and_channel(client, officer):
    IntakeFactory(description="Mới qua điện thoại", channel="phone")
    IntakeFactory(description="Mới qua 111", channel="hotline_111")
    IntakeFactory(description="Đã xử lý", channel="phone", status="unfounded")
    client.force_login(officer)
    body = client.get(
        reverse("children:intake_list"), {"status": "new", "channel": "phone"}
    ).content.decode()
    assert "Mới qua điện thoại" in body and "Mới qua 111" not in body and "Đã xử lý" not in body


def test_it_lets_a_collaborator_file_and_see_only_their_groups_tips(
    client, ctv_a, ctv_b, group_a, group_b
):
    client.force_login(ctv_a)
    r = client.post(
        reverse("children:intake_create"),
        {"description": "Cháu bé bê gỗ ở xưởng ông Tư", "group": group_a.pk},
    )
    assert r.status_code == 302
    client.force_login(ctv_b)
    body = client.get(reverse("children:intake_list")).content.decode()
    assert "Cháu bé bê gỗ" not in body
    from children.models import IntakeReport

    tip = IntakeReport.objects.get()
    assert tip.channel == "collaborator"
    assert client.get(reverse("children:intake_detail", args=[tip.pk])).status_code == 404


@pytest.mark.parametrize("role", ["collaborator", "finance"])
def test_it_keeps_collaborators_and_finance_away_from_case_pages(client, personas, role):
    client.force_login(personas[role])
    assert client.get(reverse("children:case_list")).status_code == 403
    assert client.get(reverse("children:tasks")).status_code == 403


def _intakes(n):
    for i in range(n):
        IntakeFactory(description=f"Phản ánh {i}", child=ChildFactory())


def test_it_lists_intake_reports_in_constant_queries(client, officer, django_assert_num_queries):
    client.force_login(officer)
    _intakes(3)
    # session, user, profile (role), count, page rows with child and group, access-log insert
    with django_assert_num_queries(6):
        client.get(reverse("children:intake_list"))
    _intakes(30)
    with django_assert_num_queries(6):
        client.get(reverse("children:intake_list"))


def _cases(n, officer=None):
    for _ in range(n):
        CaseFactory(received_at=timezone.now() - dt.timedelta(days=9), assigned_to=officer)


def test_it_lists_cases_in_constant_queries(client, officer, django_assert_num_queries):
    client.force_login(officer)
    _cases(3)
    # session, user, profile, count, page rows (child, household, group, assignee joined),
    # access-log insert; the holidays (deadline cutoffs) come from the cache
    with django_assert_num_queries(6):
        client.get(reverse("children:case_list"))
    _cases(30)
    with django_assert_num_queries(6):
        r = client.get(reverse("children:case_list"))
    assert r.content.decode().count("deadline-overdue") == 33


def test_it_lists_the_officers_tasks_in_constant_queries(
    client, officer, django_assert_num_queries
):
    client.force_login(officer)
    _cases(3, officer)
    _intakes(2)
    # session, user, profile, steps, intakes, plan actions, access-log insert (the holidays
    # for the cutoffs and due dates come from the cache)
    with django_assert_num_queries(9):  # + meeting actions, agency inputs to send (issue 15)
        r = client.get(reverse("children:tasks"))
    assert r.content.decode().count("deadline-overdue") == 3
    _cases(30, officer)
    _intakes(20)
    with django_assert_num_queries(9):  # + meeting actions, agency inputs to send (issue 15)
        client.get(reverse("children:tasks"))


def test_the_task_list_shows_the_plan_actions_due_in_constant_queries(client, officer):
    """An action of an open case's plan due within three days: its child, what, agency and
    due date, read in one query of the columns it shows (not the case's notes or the child's
    record), and the child logged as shown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from children.models import CasePlanAction

    def page():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("children:tasks")).content.decode()
        return html, ctx.captured_queries

    def due_action(name, what, days):
        case = CaseFactory(
            child=ChildFactory(full_name=name), assigned_to=officer, summary="Ghi chú riêng"
        )
        return CasePlanAction.objects.create(
            case=case,
            action=what,
            agency=Agency.objects.get(code="yte"),
            due_on=timezone.localdate() + dt.timedelta(days=days),
        )

    client.force_login(officer)
    first = due_action("Lò Thị Mai", "Khám sức khỏe định kỳ", 1)
    page()  # the first request fills the content-type cache the access log uses
    html, few = page()
    due = html.split("Hoạt động kế hoạch đến hạn", 1)[1].split("</ul>", 1)[0]
    assert "Lò Thị Mai" in due and "Khám sức khỏe định kỳ" in due and "Trạm Y tế" in due
    assert (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y") in due
    logged = AccessLog.objects.filter(path=reverse("children:tasks")).latest("pk")
    assert f",{first.case.child_id}," in logged.object_ids
    due_action("Hà Văn Tú", "Đưa trẻ trở lại trường", -2)
    due_action("Vàng A Sử", "Thăm hộ gia đình", 9)  # not due within three days
    html, more = page()
    assert "Hà Văn Tú" in html and "Vàng A Sử" not in html and len(more) == len(few)
    reads = [q["sql"] for q in more if 'FROM "children_caseplanaction"' in q["sql"]]
    assert reads and not [sql for sql in reads if "summary" in sql or "national_id" in sql]


def test_the_task_list_shows_a_tip_without_reading_who_reported_it(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tip = IntakeFactory(
        description="Trẻ bưng bê tại quán ăn đêm",
        reporter_name="Phạm Thị Lan",
        reporter_phone="0912345678",
    )
    client.force_login(officer)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("children:tasks")).content.decode()
    assert tip.receipt_code in page and "Trẻ bưng bê tại quán ăn đêm" in page
    assert "Phạm Thị Lan" not in page and "0912345678" not in page
    intake_reads = [
        q["sql"] for q in ctx.captured_queries if 'FROM "children_intakereport"' in q["sql"]
    ]
    assert intake_reads and not [sql for sql in intake_reads if "reporter_" in sql]


def test_it_shows_the_leader_the_plans_awaiting_approval_with_their_officer_in_constant_queries(
    client, leader, officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dongnguyen.text import person_name

    def drafted(n):
        for _ in range(n):
            CaseFactory(status="plan_drafted", assigned_to=officer)

    officer.last_name, officer.first_name = "Trần Thị", "Bình"  # not the leader's name
    officer.save(update_fields=["last_name", "first_name"])
    client.force_login(leader)
    drafted(2)
    client.get(reverse("children:tasks"))  # the first request fills the caches it reads
    with CaptureQueriesContext(connection) as few:
        r = client.get(reverse("children:tasks"))
    page = r.content.decode()
    assert page.count(person_name(officer)) == 2
    assert page.count(Case.objects.first().child.household.group.code) >= 1
    drafted(20)
    with CaptureQueriesContext(connection) as many:
        r = client.get(reverse("children:tasks"))
    assert r.content.decode().count(person_name(officer)) == 22
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_shows_the_health_station_its_referrals_in_constant_queries(
    client, officer, health, django_assert_num_queries
):
    def refer(n):
        for _ in range(n):
            services.referral_create(
                child=ChildFactory(), agency=agency("yte"), by=officer, needs="Khám"
            )

    client.force_login(health)
    refer(3)
    # session, user, profile, referrals with children, plan actions, access-log insert
    with django_assert_num_queries(9):  # + meeting actions, health checks due, agency inputs
        r = client.get(reverse("children:tasks"))
    assert r.content.decode().count("Ghi nhận hỗ trợ") >= 3
    refer(30)
    with django_assert_num_queries(9):  # + meeting actions, health checks due, agency inputs
        client.get(reverse("children:tasks"))


def test_it_lets_the_health_station_record_support_and_close_a_referral(client, officer, health):
    child = ChildFactory()
    referral = services.referral_create(child=child, agency=agency("yte"), by=officer)
    client.force_login(health)
    url = reverse("children:support_create") + f"?referral={referral.pk}"
    page = client.get(url).content.decode()
    assert "Khám sức khỏe" in page and "Học bổng" not in page
    r = client.post(
        url,
        {
            "kind": "health_check",
            "provider": agency("yte").pk,
            "date": "02/03/2026",
            "funding_source": "state_budget",
            "amount_vnd": "150000",
        },
    )
    assert r.status_code == 302
    assert child.supports.get().amount_vnd == 150000
    client.post(reverse("children:referral_close", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.closed


def test_a_new_case_reads_only_the_panels_it_has(client, officer, full_case):
    """A case just opened has its first event and nothing else: its page reads no referrals,
    supports, plan, follow-ups, assessment or files (one query says which it has)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    new = services.case_open(child=ChildFactory(), by=officer, summary="Phản ánh mới")
    counts, bodies = {}, {}
    for case in (new, full_case):
        url = reverse("children:case_detail", args=[case.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            bodies[case.pk] = client.get(url).content.decode()
        counts[case.pk] = len(ctx.captured_queries)
    assert "Phản ánh mới" in bodies[new.pk] and "Tiếp xúc dung môi sơn" not in bodies[new.pk]
    assert "Tiếp xúc dung môi sơn" in bodies[full_case.pk]
    # The full case reads its referrals, supports, actions, assessment items (and the rest).
    assert counts[full_case.pk] >= counts[new.pk] + 4
