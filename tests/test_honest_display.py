"""Honest display (issue 10 points 9 and 10): history in Vietnamese, names in Vietnamese order,
amounts grouped the Vietnamese way, and ids/decimals typed the way people type them."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from dongnguyen.text import as_id
from tests.factories import ChildFactory

# -- ids and decimals from the browser -------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12", 12),
        (" 7 ", 7),
        (12, 12),
        ("¹", None),  # str.isdigit() is True, int() refuses it
        ("١٢", None),  # Arabic-Indic digits: int() reads 12
        ("１２", None),  # full-width digits: int() reads 12
        ("0", None),
        ("-3", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (str(2**63), None),
    ],
    ids=lambda v: repr(v),
)
def test_it_reads_an_id_from_ascii_digits_only(raw, expected):
    assert as_id(raw) == expected


@pytest.mark.parametrize("raw", ["¹", "١٢", "１２"], ids=["superscript", "arabic", "fullwidth"])
def test_it_answers_a_garbled_household_id_without_a_500(client, ctv_a, raw):
    client.force_login(ctv_a)
    url = reverse("inspections:household_commitment")
    response = client.post(url, {"household": raw, "signed_on": "01/06/2026"})
    assert response.status_code == 200
    assert "chosen" in response.context and response.context["chosen"] is None


@pytest.mark.parametrize("raw", ["¹", "１２"], ids=["superscript", "fullwidth"])
def test_it_answers_garbled_group_and_year_filters_without_a_500(client, officer, raw):
    client.force_login(officer)
    assert client.get(reverse("outreach:session_list"), {"group": raw}).status_code == 200
    assert client.get(reverse("outreach:coverage"), {"year": raw}).status_code == 200


def _work_post(**extra):
    data = {
        "job_code": "software",
        "workplace_code": "normal",
        "started_on": "01/03/2026",
        "hours_per_day": "6,5",
        "hours_per_week": "32,5",
        "save": "1",
    }
    data.update(extra)
    return data


def test_it_accepts_hours_with_a_decimal_comma(client, officer):
    from children.models import WorkRecord

    child = ChildFactory(birth_date=dt.date(2010, 5, 17))
    client.force_login(officer)
    response = client.post(reverse("children:workrecord_add", args=[child.pk]), _work_post())
    assert response.status_code == 302, response.context["form"].errors
    record = WorkRecord.objects.get(child=child)
    assert record.hours_per_day == Decimal("6.5")
    assert record.hours_per_week == Decimal("32.5")
    page = client.get(reverse("children:workrecord_edit", args=[record.pk])).content.decode()
    assert 'value="6,5"' in page


def test_it_still_accepts_hours_with_a_decimal_point(client, officer):
    from children.models import WorkRecord

    child = ChildFactory(birth_date=dt.date(2010, 5, 17))
    client.force_login(officer)
    data = _work_post(hours_per_day="6.5", hours_per_week="30")
    response = client.post(reverse("children:workrecord_add", args=[child.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert WorkRecord.objects.get(child=child).hours_per_day == Decimal("6.5")


# -- the change history in Vietnamese --------------------------------------------------------

PROJECT_APPS = {"dongnguyen", "households", "children", "inspections", "outreach", "reports"}
PROJECT_APPS |= {"imports"}


def _project_models():
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and not m.__name__.startswith("Historical")
    ]


def test_it_names_every_model_and_field_in_vietnamese():
    from django.db import models
    from django.utils.functional import Promise

    missing = []
    for model in _project_models():
        label = model._meta.label
        if model.__str__ is models.Model.__str__:
            missing.append(f"{label}: __str__")
        if not isinstance(model._meta.verbose_name, Promise):
            missing.append(f"{label}: Meta.verbose_name")
        for f in model._meta.get_fields():
            if f.auto_created or not getattr(f, "concrete", False):
                continue
            if not isinstance(f.verbose_name, Promise):
                missing.append(f"{label}.{f.name}: verbose_name")
    assert missing == []


def test_it_shows_work_records_and_their_fields_by_name_in_the_history(client, officer):
    from children.models import JobType, WorkRecord
    from children.services import workrecord_save
    from households.history import history_rows

    child = ChildFactory(birth_date=dt.date(2010, 5, 17))
    job = JobType.objects.filter(active=True).first()
    record = WorkRecord(child=child, job_code=job.code, started_on=dt.date(2026, 3, 1))
    workrecord_save(record=record, by=officer)
    record.hours_per_day = Decimal("6.5")
    record.save()
    rows = history_rows(WorkRecord.history.filter(child_id=child.pk))
    assert [r.what for r in rows] == [f"quá trình làm việc: {job.name} (01/03/2026)"] * 2
    assert rows[0].changes == [("giờ/ngày", "—", "6,5")]

    client.force_login(officer)
    page = client.get(reverse("children:history", args=[child.pk])).content.decode()
    assert f"Quá trình làm việc: {job.name} (01/03/2026)" in page
    assert "object (" not in page


def test_it_shows_special_groups_by_name_in_the_history(officer):
    from children.models import Child, SpecialGroup
    from children.services import child_save
    from households.history import history_rows

    child = ChildFactory()
    group = SpecialGroup.objects.get(code="k")
    child_save(child=child, by=officer, special_groups=["k"])
    rows = history_rows(Child.history.filter(id=child.pk))
    changed = [c for r in rows for c in r.changes]
    assert ("hoàn cảnh đặc biệt", "—", str(group)) in changed


@pytest.mark.parametrize(
    "factory_name, expected",
    [
        ("screening", "Có nguy cơ lao động sớm (02/03/2026)"),
        ("support", "Khám sức khỏe (02/03/2026)"),
        ("followup", "02/03/2026: không lao động"),
        ("referral", "(02/03/2026)"),
    ],
)
def test_it_gives_child_records_a_readable_name(officer, factory_name, expected):
    from children.models import FollowUp, Referral, Screening, Support
    from dongnguyen.models import Agency

    child = ChildFactory()
    day = dt.date(2026, 3, 2)
    agency = Agency.objects.first()
    obj = {
        "screening": lambda: Screening(child=child, date=day, outcome="at_risk"),
        "support": lambda: Support(child=child, date=day, kind="health_check", provider=agency),
        "followup": lambda: FollowUp(child=child, date=day),
        "referral": lambda: Referral(child=child, referred_on=day, agency=agency),
    }[factory_name]()
    assert str(obj).endswith(expected)
    if factory_name == "referral":
        assert str(obj).startswith(str(agency))


# -- people's names in Vietnamese order ------------------------------------------------------


def test_it_writes_a_users_name_family_name_first():
    from django.contrib.auth import get_user_model

    from dongnguyen.text import person_name

    User = get_user_model()
    # As the admin form asks: "Họ" (last_name) = family and middle names, "Tên" = given name.
    assert person_name(User(last_name="Trần Thị Thu", first_name="Hà")) == "Trần Thị Thu Hà"
    assert person_name(User(username="ctv9")) == "ctv9"
    assert person_name("  Nguyễn   Văn  An ") == "Nguyễn Văn An"
    assert person_name(None) == ""


def test_it_shows_staff_names_family_name_first_on_pages(client, officer):
    from children.models import Case

    case = Case.objects.create(child=ChildFactory(), assigned_to=officer)
    client.force_login(officer)
    for url in [reverse("home"), reverse("children:case_list")]:
        page = client.get(url).content.decode()
        assert "Nguyễn Văn An" in page, url
        assert "An Nguyễn Văn" not in page, url
    page = client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    assert "Nguyễn Văn An" in page and "An Nguyễn Văn" not in page


# -- amounts in PDFs --------------------------------------------------------------------------

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="cần poppler-utils (pdftotext)"
)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@needs_poppler
def test_it_prints_the_case_sheet_with_grouped_amounts_and_names_in_order(
    client, officer, tmp_path
):
    from tests.factories import CaseFactory, SupportFactory

    case = CaseFactory(assigned_to=officer)
    SupportFactory(child=case.child, case=case, amount_vnd=2_000_000, date=dt.date(2026, 3, 2))
    client.force_login(officer)
    response = client.get(reverse("children:case_sheet", args=[case.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content, tmp_path)
    assert "2.000.000" in text and "2000000" not in text
    assert "Nguyễn Văn An" in text and "An Nguyễn Văn" not in text


@needs_poppler
def test_it_prints_fines_and_support_totals_in_the_report_grouped(
    officer, tmp_path, django_capture_on_commit_callbacks
):
    from reports import services
    from reports.models import Report
    from tests.factories import SupportFactory, ViolationFactory

    SupportFactory(amount_vnd=2_500_000, date=dt.date(2026, 3, 2), funding_source="state_budget")
    ViolationFactory(fine_vnd=12_000_000, status="penalty_decided", handled_on=dt.date(2026, 3, 20))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(kind="semiannual", period="2026-H1", by=officer)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    text = _pdf_text(report.pdf.read(), tmp_path)
    assert "tổng kinh phí 2.500.000 đồng" in text
    assert "tổng số tiền phạt 12.000.000 đồng" in text
    assert "2500000" not in text and "12000000" not in text


def test_it_groups_report_numbers_by_the_active_language():
    from django.utils import translation

    from reports.templatetags.humanize_vn import num1, pct, vn

    with translation.override("vi"):
        assert (vn(2_000_000), vn("95.25"), pct("7"), num1(None)) == (
            "2.000.000",
            "95,2",
            "7,0%",
            "—",
        )
    with translation.override("en"):
        assert vn(2_000_000) == "2,000,000"
