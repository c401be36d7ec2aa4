import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from children.catalogue import load_catalogue
from children.filters import years_before
from children.labour_law import DEFAULT_CATALOGUE, WorkFacts, assess_work
from children.models import Case, JobType, WorkplaceType, WorkRecord
from children.services import workrecord_save
from tests.factories import ChildFactory, HouseholdFactory


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a)


def _child(home, age, **kw):
    today = timezone.localdate()
    return ChildFactory(
        household=home, birth_date=years_before(today, age) - dt.timedelta(days=40), **kw
    )


def _data(**extra):
    start = (timezone.localdate() - dt.timedelta(days=10)).strftime("%d/%m/%Y")
    return {
        "job_code": "other_general",
        "workplace_code": "normal",
        "started_on": start,
        "hours_per_day": "4",
        "hours_per_week": "20",
        **extra,
    }


# -- catalogue ---------------------------------------------------------------------------------


def test_it_seeds_the_catalogue_tables_with_the_canonical_codes(db):
    catalogue = load_catalogue()
    assert set(catalogue.jobs) == set(DEFAULT_CATALOGUE.jobs)
    assert set(catalogue.workplaces) == set(DEFAULT_CATALOGUE.workplaces)
    assert catalogue.jobs["chemicals_explosives"].banned
    assert catalogue.workplaces["construction_site"].banned


def test_it_assesses_with_what_an_officer_added_in_the_admin(db):
    JobType.objects.create(code="saw_operation", name="Vận hành máy cưa, xẻ gỗ", lists="app3")
    WorkplaceType.objects.create(
        code="sawmill_yard",
        name="Bãi xẻ gỗ",
        banned=True,
        legal_basis="Thông tư 09/2020 Phụ lục IV",
    )
    facts = WorkFacts(
        birth_date=dt.date(2009, 1, 1),
        on_date=dt.date(2026, 6, 1),
        job_code="saw_operation",
        workplace_code="sawmill_yard",
        guardian_consent=True,
        health_certificate=True,
    )
    result = assess_work(facts, load_catalogue())
    assert result.lawful is False
    assert result.violation_codes == ["banned_job", "banned_workplace"]
    assert "Thông tư 09/2020 Phụ lục IV" in result.violations[1].legal_basis


def test_it_refuses_unknown_list_tags_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:children_jobtype_add"),
        {"code": "x", "name": "Việc thử", "lists": "app2, banned", "active": "on"},
    )
    assert "Nhãn không hợp lệ: banned" in response.content.decode()
    assert not JobType.objects.filter(code="x").exists()


def test_it_offers_only_active_jobs_in_the_form(client, officer, home_a):
    JobType.objects.filter(code="software").update(active=False)
    child = _child(home_a, 14)
    client.force_login(officer)
    html = client.get(reverse("children:workrecord_add", args=[child.pk])).content.decode()
    assert 'value="software"' not in html and 'value="fine_handicraft"' in html


# -- save + result -----------------------------------------------------------------------------


def test_it_previews_the_assessment_without_saving(client, ctv_a, home_a):
    child = _child(home_a, 14)
    client.force_login(ctv_a)
    response = client.post(
        reverse("children:workrecord_add", args=[child.pk]),
        _data(job_code="chemicals_explosives", check="1"),
    )
    html = response.content.decode()
    assert "bị cấm sử dụng người chưa đủ 18 tuổi" in html
    assert "Điều 147 khoản 1" in html
    assert not WorkRecord.objects.exists()


def test_it_saves_a_lawful_light_job_without_marking_the_child(client, ctv_a, home_a):
    child = _child(home_a, 14)
    client.force_login(ctv_a)
    response = client.post(
        reverse("children:workrecord_add", args=[child.pk]),
        _data(
            job_code="fine_handicraft",
            written_contract="on",
            guardian_consent="on",
            health_certificate="on",
            save="1",
        ),
    )
    record = WorkRecord.objects.get()
    assert response.url == reverse("children:workrecord_detail", args=[record.pk])
    assert record.lawful is True and record.violations == []
    assert not child.special_groups.exists()
    assert "phù hợp quy định" in client.get(response.url).content.decode()


def test_it_marks_an_under_16_in_group_k_and_offers_a_case(client, officer, home_a):
    child = _child(home_a, 13)
    client.force_login(officer)
    response = client.post(
        reverse("children:workrecord_add", args=[child.pk]),
        _data(job_code="chemicals_explosives", hours_per_day="8", save="1"),
    )
    record = WorkRecord.objects.get()
    assert record.lawful is False
    assert {"banned_job", "not_light_job", "hours_per_day"} <= {
        v["code"] for v in record.violations
    }
    assert list(child.special_groups.values_list("code", flat=True)) == ["k"]
    html = client.get(response.url).content.decode()
    assert "Mở hồ sơ vụ việc" in html and "Trẻ em làm việc trái quy định" in html


def test_it_opens_a_case_in_one_click(client, officer, home_a):
    child = _child(home_a, 13)
    record = WorkRecord(
        child=child, job_code="chemicals_explosives", started_on=timezone.localdate()
    )
    workrecord_save(record=record, by=officer)
    client.force_login(officer)
    response = client.post(reverse("children:workrecord_open_case", args=[record.pk]))
    case = Case.objects.get(child=child)
    assert response.url == reverse("children:case_detail", args=[case.pk])
    assert case.events.get().to_status == "received"
    # the offer becomes a link to the open case
    assert (
        "Mở hồ sơ vụ việc</button>"
        not in client.get(reverse("children:workrecord_detail", args=[record.pk])).content.decode()
    )


def test_it_lets_only_officers_open_a_case(client, ctv_a, home_a, officer):
    child = _child(home_a, 13)
    record = WorkRecord(
        child=child, job_code="chemicals_explosives", started_on=timezone.localdate()
    )
    workrecord_save(record=record, by=officer)
    client.force_login(ctv_a)
    assert (
        client.post(reverse("children:workrecord_open_case", args=[record.pk])).status_code == 403
    )
    assert not Case.objects.exists()


def test_it_flags_the_employer_not_a_case_for_a_16_year_old(client, officer, home_a):
    child = _child(home_a, 16)
    client.force_login(officer)
    response = client.post(
        reverse("children:workrecord_add", args=[child.pk]),
        _data(job_code="chemicals_explosives", hours_per_day="8", save="1"),
    )
    record = WorkRecord.objects.get()
    assert record.lawful is False and not child.special_groups.exists()
    html = client.get(response.url).content.decode()
    assert "Vi phạm pháp luật lao động của người sử dụng lao động" in html
    assert "Mở hồ sơ vụ việc" not in html
    client.post(reverse("children:workrecord_open_case", args=[record.pk]))
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        ({"started_on": "01/01/2099"}, "started_on", "sau ngày hôm nay"),
        ({"ended_on": "01/01/2000"}, "ended_on", "trước ngày bắt đầu"),
        ({"hours_per_day": "25"}, "hours_per_day", "24"),
        ({"hours_per_day": "6", "hours_per_week": "5"}, "hours_per_week", "ít hơn"),
        ({"job_code": "khong_co"}, "job_code", ""),
    ],
)
def test_it_validates_the_work_record_form(client, officer, home_a, extra, field, text):
    child = _child(home_a, 14)
    client.force_login(officer)
    response = client.post(
        reverse("children:workrecord_add", args=[child.pk]), _data(save="1", **extra)
    )
    errors = response.context["form"].errors
    assert field in errors and text in errors[field][0]
    assert not WorkRecord.objects.exists()


def test_it_edits_a_work_record_and_reassesses(client, officer, home_a):
    child = _child(home_a, 14)
    record = WorkRecord(
        child=child, job_code="chemicals_explosives", started_on=timezone.localdate()
    )
    workrecord_save(record=record, by=officer)
    client.force_login(officer)
    client.post(
        reverse("children:workrecord_edit", args=[record.pk]),
        _data(
            job_code="fine_handicraft",
            written_contract="on",
            guardian_consent="on",
            health_certificate="on",
            save="1",
        ),
    )
    record.refresh_from_db()
    assert record.job_code == "fine_handicraft" and record.lawful is True
