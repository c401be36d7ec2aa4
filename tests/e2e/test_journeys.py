"""Each role's main journey through the real UI of the live server, on one demo ward.

The demo ward is seeded once for this module (seed_demo takes several seconds) and flushed at
the end. Every journey creates its own records (its own household, child, business
inspection, report period), so the tests do not depend on each other's order. Every page
visited goes through journey.check(): axe-core (no serious/critical violations), no browser
console errors, a screenshot in test-artifacts/e2e/."""

import re
import subprocess
from datetime import date

import pytest
from django.utils import timezone

from dongnguyen.models import Ward

PDF_HEADER = "ỦY BAN NHÂN DÂN"


@pytest.fixture(scope="module")
def ward(django_db_setup, django_db_blocker, live_server):
    from django.core.management import call_command
    from django.test import override_settings

    with django_db_blocker.unblock():
        with override_settings(DEBUG=True):  # seed_demo refuses to run without DEBUG
            call_command("seed_demo", verbosity=0)
        yield
        # What TransactionTestCase does after each test, once for the module.
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper(ward, live_server):
    """Replaces pytest-django's helper for this module: it would request transactional_db,
    which flushes the database after every test; here the ward lives for the whole module."""
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


def _years_ago(years: int, days: int = 40) -> date:
    today = timezone.localdate()
    return date(today.year - years, today.month, 1) - timezone.timedelta(days=days)


def _dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _submit(journey, label: str):
    """Click the form's submit button with this text and wait for the next page."""
    with journey.page.expect_navigation():
        journey.page.get_by_role("button", name=label, exact=True).click()


def _click(journey, name: str):
    with journey.page.expect_navigation():
        journey.page.get_by_role("link", name=name).first.click()


def test_it_carries_a_collaborators_tip_to_an_approved_plan(new_journey):
    """ctv1 registers a household and child and reports a tip; vhxh triages it into a case,
    assesses it and drafts the plan; lanhdao approves the plan and views the dashboard."""
    from children.models import Case, Child, IntakeReport
    from dongnguyen.models import Agency
    from households.models import Household, ResidentialGroup

    group = ResidentialGroup.objects.get(code="TDP-01", ward=Ward.first())

    # -- the collaborator of TDP-01 ----------------------------------------------------------
    ctv = new_journey("ctv1")
    ctv.login("ctv1")
    ctv.check("home")
    ctv.goto("/ho-gia-dinh/")
    ctv.check("household list")
    _click(ctv, "Thêm hộ")
    ctv.check("household form")
    page = ctv.page
    page.fill("#id_code", "hgd-01-901")
    page.fill("#id_head_name", "Lê  Văn Khải")
    page.fill("#id_address", "Số 12, ngõ 3 đường 277, khu phố Đồng Kỵ")
    page.select_option("#id_group", str(group.pk))
    page.fill("#id_phone", "0912 345 678")
    _submit(ctv, "Lưu")
    household = Household.objects.get(code="HGD-01-901")
    assert household.head_name == "Lê Văn Khải" and household.phone == "0912345678"
    assert "Đã thêm hộ HGD-01-901" in page.content()
    ctv.check("household detail")

    _click(ctv, "Thêm trẻ em")
    ctv.check("child form")
    assert page.input_value("#id_household") == "HGD-01-901"
    born = _years_ago(12)
    page.fill("#id_full_name", "Lê Minh Khoa")
    page.select_option("#id_sex", "male")
    page.fill("#id_birth_date", _dmy(born))
    page.select_option("#id_school_status", "in_school")
    page.fill("#id_school_name", "Trường THCS Đồng Kỵ")
    _submit(ctv, "Lưu")
    child = Child.objects.get(full_name="Lê Minh Khoa", household=household)
    assert child.birth_date == born
    assert "Đã thêm trẻ Lê Minh Khoa" in page.content()
    ctv.check("child detail")

    ctv.goto("/tre-em/phan-anh/")
    ctv.check("intake list")
    _click(ctv, "Ghi nhận phản ánh")
    ctv.check("intake form")
    assert page.locator("#id_channel").count() == 0  # a collaborator's tip has one channel
    page.fill(
        "#id_description",
        "Cháu Lê Minh Khoa (12 tuổi, con anh Lê Văn Khải) nghỉ học buổi chiều để chà nhám, "
        "phun sơn đồ gỗ tại xưởng mộc đầu ngõ 3 đường 277, làm từ 13 giờ đến 21 giờ.",
    )
    page.fill("#id_location", "Xưởng mộc ngõ 3 đường 277, Đồng Kỵ")
    _submit(ctv, "Lưu phản ánh")
    intake = IntakeReport.objects.get(description__startswith="Cháu Lê Minh Khoa")
    assert intake.group == group and intake.status == "new"
    assert intake.receipt_code in page.content()
    ctv.check("intake detail")

    # -- the case officer ----------------------------------------------------------------------
    officer = new_journey("vhxh")
    officer.login("vhxh")
    officer.check("home")
    officer.goto("/tre-em/phan-anh/?status=new")
    officer.check("intake list new")
    _click(officer, intake.receipt_code)
    officer.check("intake detail")
    page = officer.page
    page.fill("#child_q", "le minh khoa")  # diacritics-insensitive search
    _submit(officer, "Tìm")
    row = page.locator("tr", has_text="Lê Minh Khoa").filter(has_text=_dmy(born))
    assert row.count() == 1
    officer.check("intake child search")
    with page.expect_navigation():
        row.get_by_role("button", name="Mở hồ sơ").click()
    assert re.search(r"/tre-em/ho-so/\d+/$", page.url), (
        page.url,
        page.locator(".alert").all_inner_texts(),
    )
    case = Case.objects.get(intake=intake)
    assert case.child == child and case.status == "received"
    officer.check("case received")

    _click(officer, "Đánh giá ban đầu")
    officer.check("case assess form")
    page.select_option("#id_risk_level", "high")
    page.fill("#id_note", "Trẻ phun sơn không có bảo hộ, làm việc đến 21 giờ, nguy cơ bỏ học.")
    levels = ["high", "high", "medium", "medium", "low", "medium"]
    for i, level in enumerate(levels):
        page.select_option(f"#id_items-{i}-level", level)
    page.fill("#id_items-0-note", "Dung môi sơn (Điều 147 khoản 1 BLLĐ)")
    _submit(officer, "Lưu")
    case.refresh_from_db()
    assert case.status == "assessed" and case.risk_level == "high"
    assert case.assessment_items.count() == 6
    officer.check("case assessed")

    _click(officer, "Xây dựng kế hoạch")
    officer.check("case plan form")
    due = timezone.localdate() + timezone.timedelta(days=14)
    page.fill("#id_goal", "Đưa trẻ ra khỏi xưởng, trở lại học đủ hai buổi.")
    actions = [
        ("Vận động gia đình, cam kết không để trẻ làm việc tại xưởng", "vhxh"),
        ("Khám sức khỏe cho trẻ (tiếp xúc dung môi sơn)", "yte"),
        ("Kiểm tra xưởng mộc ngõ 3 đường 277", "congan"),
    ]
    for i, (text, code) in enumerate(actions):
        page.fill(f"#id_actions-{i}-action", text)
        page.select_option(f"#id_actions-{i}-agency", str(Agency.objects.get(code=code).pk))
        page.fill(f"#id_actions-{i}-due_on", _dmy(due))
    _submit(officer, "Lưu")
    case.refresh_from_db()
    assert case.status == "plan_drafted"
    assert sorted(a.agency.code for a in case.actions.all()) == ["congan", "vhxh", "yte"]
    assert "chờ lãnh đạo phê duyệt" in page.content()
    officer.check("case plan drafted")

    # -- leadership --------------------------------------------------------------------------
    leader = new_journey("lanhdao")
    leader.login("lanhdao")
    leader.check("home")
    leader.goto("/tre-em/ho-so/?status=plan_drafted")
    leader.check("case list plan drafted")
    _click(leader, f"HS-{case.pk:05d}")
    leader.check("case to approve")
    page = leader.page
    page.fill("#approve-note", "Đồng ý. Công an phường kiểm tra xưởng trong tuần.")
    _submit(leader, "Phê duyệt kế hoạch")
    case.refresh_from_db()
    assert case.status == "plan_approved" and case.plan_approved_at is not None
    assert "Kế hoạch đã được phê duyệt" in page.content()
    # Marking an action done is for the officer and the agencies, not for leadership.
    assert page.get_by_role("button", name="Đánh dấu đã thực hiện").count() == 0
    leader.check("case approved")

    leader.goto("/chi-tieu/")
    page.wait_for_function(
        "() => window.Chart && document.querySelector('.kpi-spark-canvas') && "
        "Chart.getChart(document.querySelector('.kpi-spark-canvas'))"
    )
    leader.check("dashboard")
    assert page.locator(".kpi-tile").count() >= 13
    assert page.locator(".kpi-label", has_text="K1 ·").count() == 1
    assert page.locator("table.kpi-heat tbody tr").count() == 12  # one row per group
    assert page.locator("#kpi-trend").bounding_box()["height"] > 100


def test_it_lets_the_police_record_an_inspection_finding_a_child_in_banned_work(new_journey):
    from children.models import Case
    from inspections.models import Business, Inspection, MinorFound

    business = Business.objects.filter(active=True).select_related("group").order_by("pk").first()
    police = new_journey("congan")
    police.login("congan")
    police.check("home")
    police.goto("/kiem-tra/")
    police.check("inspection list")
    _click(police, "Lập kế hoạch kiểm tra")
    police.check("inspection plan form")
    page = police.page
    page.fill("#id_plan_number", "27/KH-CA")
    page.select_option("#id_kind", "surprise")
    page.select_option("#id_businesses", str(business.pk))
    _submit(police, "Lưu")
    inspection = Inspection.objects.get(business=business, plan_number="27/KH-CA")
    assert inspection.status == "planned"
    police.check("inspection list planned")

    with page.expect_navigation():
        page.locator(f'a[href="/kiem-tra/{inspection.pk}/"]').first.click()
    police.check("inspection planned")
    _click(police, "Ghi kết quả kiểm tra")
    police.check("inspection record form")
    page.fill("#id_minutes_number", "15/BB-CA")
    page.fill(
        "#id_findings",
        "Cơ sở đang sơn hoàn thiện tủ thờ; phát hiện một trẻ em đang phun sơn, không có "
        "đồ bảo hộ. Đã lập biên bản.",
    )
    page.check("#id_legal_dissemination")
    _submit(police, "Lưu")
    inspection.refresh_from_db()
    assert inspection.status == "done" and inspection.minutes_number == "15/BB-CA"
    police.check("inspection done")

    _click(police, "Trẻ em phát hiện tại cơ sở")
    police.check("minor form")
    page.fill("#child-q", "zzzz khong co")  # htmx search, no match: a new child is entered
    page.wait_for_selector("#child-results >> text=/./", timeout=5000)
    page.fill("#id_full_name", "Đỗ Văn Tú")
    page.select_option("#id_sex", "male")
    page.fill("#id_birth_date", _dmy(_years_ago(14)))
    page.fill("#id_household_head", "Đỗ Văn Hải")
    page.fill("#id_household_address", "Số 5 ngõ 8, Trang Hạ")
    page.select_option("#id_job_code", "chemicals_explosives")
    page.fill("#id_hours_per_day", "8")
    page.fill("#id_hours_per_week", "48")
    _submit(police, "Lưu và đánh giá")
    minor = MinorFound.objects.select_related("child", "work_record", "case").get(
        inspection=inspection
    )
    assert minor.child.full_name == "Đỗ Văn Tú"
    assert minor.work_record.lawful is False
    assert minor.case is not None and Case.objects.filter(child=minor.child).count() == 1
    assert "Đã mở hồ sơ vụ việc cho trẻ." in page.content()
    assert page.locator("td", has_text="Trái quy định").count() == 1
    assert "chemicals_explosives" not in page.content()  # the job's name, not its code
    police.check("inspection with minor")


def test_it_generates_the_semiannual_report_and_downloads_its_pdf(new_journey, tmp_path):
    from reports.models import Report

    period = f"{timezone.localdate().year - 1}-H2"
    officer = new_journey("vhxh")
    officer.login("vhxh")
    officer.goto("/chi-tieu/bao-cao/")
    officer.check("report list")
    _click(officer, "Tạo báo cáo")
    officer.check("report form")
    page = officer.page
    page.select_option("#id_kind", "semiannual")
    page.select_option("#id_year", str(timezone.localdate().year - 1))
    page.select_option("#id_part", "H2")
    _submit(officer, "Tạo báo cáo")
    report = Report.objects.get(kind="semiannual", period=period)
    # Celery is eager in tests: the PDF is made before the redirect lands.
    assert report.status == "ready" and report.pdf
    assert "Đã tạo xong." in page.content()
    officer.check("report ready")

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải PDF").click()
    download = info.value
    year = timezone.localdate().year - 1
    assert download.suggested_filename == f"bao-cao-6-thang-cuoi-nam-{year}.pdf"
    path = tmp_path / "report.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert PDF_HEADER in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_it_asks_before_issuing_and_issues_the_text_typed_but_not_saved(new_journey):
    """Issue 18 point 1: typing "Khó khăn" and clicking "Ban hành" without "Lưu" used to issue
    the report with "Không có." and no confirmation."""
    from reports import services
    from reports.periods import month_period

    period = month_period(timezone.localdate().year - 1, 3).code  # this journey's own report
    report = services.report_request(kind="adhoc", period=period, enqueue=False)
    services.report_generate(report_id=report.pk)
    leader = new_journey("lanhdao")
    leader.login("lanhdao")
    leader.goto(f"/chi-tieu/bao-cao/{report.pk}/")
    page = leader.page
    page.fill("#id_difficulties", "Khó khăn: thiếu kinh phí")
    page.get_by_role("button", name="Ban hành (khóa, cấp số)").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert "không sửa được nữa" in dialog.inner_text()
    leader.check("issue dialog")
    dialog.get_by_role("button", name="Quay lại").click()
    dialog.wait_for(state="hidden")
    report.refresh_from_db()
    assert report.status == "ready"  # going back issues nothing
    page.get_by_role("button", name="Ban hành (khóa, cấp số)").click()
    dialog.wait_for(state="visible")
    with page.expect_navigation():
        dialog.get_by_role("button", name="Lưu và ban hành").click()
    report.refresh_from_db()
    assert report.status == "finalized"
    assert report.difficulties == "Khó khăn: thiếu kinh phí"
    assert re.fullmatch(r"\d{2}/BC-UBND", report.number)
    leader.check("issued")


def test_it_takes_an_anonymous_citizens_tip_and_shows_a_receipt_code(new_journey):
    from children.models import IntakeReport
    from households.models import ResidentialGroup

    citizen = new_journey("citizen")
    citizen.goto("/tre-em/gui-phan-anh/")
    page = citizen.page
    # The province's wards share the form: the citizen chooses the ward first.
    page.select_option("#id_phuong", Ward.first().code)
    _submit(citizen, "Tiếp tục")
    citizen.check("public tip form")
    page.fill(
        "#id_description",
        "Có hai cháu khoảng 11, 12 tuổi bốc vác gỗ tại bãi gỗ cạnh đường 277 từ sáng sớm.",
    )
    page.fill("#id_location", "Bãi gỗ đường 277, Trang Hạ")
    group = ResidentialGroup.objects.get(code="TDP-08", ward=Ward.first())
    page.select_option("#id_group", str(group.pk))
    # The form refuses what is sent back faster than a person types (3 s).
    page.wait_for_timeout(3200)
    _submit(citizen, "Gửi phản ánh")
    code = page.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{6,}", code), code
    intake = IntakeReport.objects.get(receipt_code=code)
    assert intake.channel == "web_form" and intake.group == group and intake.anonymous
    assert "bốc vác gỗ" not in page.content()  # the tip is not echoed back
    citizen.check("public tip done")
    # Later the citizen asks how it is going, with the receipt code alone.
    _click(citizen, "Tra cứu tình trạng phản ánh")
    page.fill("#id_code", code.lower())
    _submit(citizen, "Tra cứu")
    assert page.locator("[data-status]").get_attribute("data-status") == "received"
    assert "Đã tiếp nhận" in page.content() and "bốc vác gỗ" not in page.content()
    citizen.check("public tip status")


def test_it_applies_every_style_under_a_csp_without_unsafe_inline(new_journey):
    """The pages whose inline styles moved to static/css render with no CSP refusal."""
    officer = new_journey("officer")
    refused = []
    officer.page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and refused.append(msg.text),
    )
    officer.login("vhxh")
    for path in ("/chi-tieu/", "/thong-bao/lich/", "/nhap-du-lieu/", "/tre-em/"):
        response = officer.goto(path)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        officer.page.wait_for_load_state("networkidle")
    officer.goto("/chi-tieu/")
    border = officer.page.evaluate(
        "getComputedStyle(document.querySelector('.kpi-tile')).borderLeftWidth"
    )
    assert border == "6px"  # the class from static/css/app.css applies
    assert not refused, refused


def test_it_answers_an_english_browser_in_vietnamese_and_counts_characters(browser, live_server):
    """Issue 18 point 6: on an English browser an empty required field showed the browser's
    "Please fill out this field."; long text stopped at 4,000 characters with no counter."""
    from tests.e2e.conftest import Journey

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        officer = Journey(page, live_server.url, "english-browser-vhxh")
        officer.login("vhxh")
        officer.goto("/ho-gia-dinh/them/")
        with page.expect_navigation():  # the server answers: no browser bubble stops the post
            page.get_by_role("button", name="Lưu", exact=True).click()
        assert "Please fill out this field" not in page.content()
        assert page.locator(".invalid-feedback, .errorlist").first.is_visible()
        assert "bắt buộc" in page.locator(".invalid-feedback, .errorlist").first.inner_text()
        officer.check("server messages in vietnamese")

        citizen = context.new_page()
        citizen.goto(live_server.url + f"/tre-em/gui-phan-anh/?phuong={Ward.first().code}")
        citizen.fill("#id_description", "Có trẻ em làm việc ở xưởng may")
        counter = citizen.locator("#id_description-counter")
        assert counter.inner_text() == "30 / 4.000 ký tự"
    finally:
        context.close()


def test_it_shows_the_vietnamese_404_in_demo_mode(new_journey, settings):
    """Issue 18 point 4: in the demo (DEBUG) a collaborator opening another group's child saw
    Django's English debug page with the whole URL map."""
    from children.models import Child

    other = Child.objects.exclude(
        household__group__code="TDP-01", household__group__ward=Ward.first()
    ).first()
    settings.DEBUG = True
    ctv = new_journey("ctv1")
    ctv.login("ctv1")
    response = ctv.page.goto(f"{ctv.base}/tre-em/{other.pk}/")
    assert response.status == 404
    text = ctv.page.content()
    assert "Không tìm thấy" in text and "URLconf" not in text
    ctv.console_errors.clear()  # the browser logs the page's own 404 status: that is the point
    ctv.check("vietnamese 404")


def test_it_draws_the_screening_buttons_with_enough_contrast(new_journey):
    """Issue 18 point 8: the yellow "nguy cơ" buttons of the screening page failed axe's
    colour-contrast rule (serious); check() fails on any serious finding."""
    ctv = new_journey("ctv1")
    ctv.login("ctv1")
    ctv.goto("/tre-em/ra-soat/")
    assert ctv.page.locator(".btn-outline-caution").count() > 0
    ctv.check("screening")


def test_it_opens_the_childs_history_and_viewers_on_demand(new_journey):
    """The child's page stays light: its change history and who looked at it are panels that
    load when opened (htmx), in the page, without leaving it."""
    from children.models import Child

    child = Child.objects.filter(household__group__ward=Ward.first()).order_by("pk").first()
    officer = new_journey("vhxh")
    officer.login("vhxh")
    officer.goto(f"/tre-em/{child.pk}/")
    history = officer.page.locator("details", has_text="Lịch sử thay đổi")
    viewers = officer.page.locator("details", has_text="Ai đã xem hồ sơ này")
    assert history.locator("table").count() == 0 and viewers.locator("table").count() == 0
    history.locator("summary").click()
    history.locator("table, p.text-muted").first.wait_for()
    viewers.locator("summary").click()
    # The officer's own visit of the page, just now, is the newest row.
    viewers.locator("tbody tr", has_text="vhxh").first.wait_for()
    assert officer.page.url.endswith(f"/tre-em/{child.pk}/")
    officer.check("child panels")
