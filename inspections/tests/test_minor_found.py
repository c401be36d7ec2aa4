"""A minor found on an inspection goes through the children's services: work already on the
register (same child, business and job, still open) is linked and updated, never recorded
twice (issue 10 point 5)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from children import services as children_services
from children.models import Child, WorkRecord
from inspections import services
from inspections.models import MinorFound, Violation
from tests.factories import ChildFactory, InspectionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _open_record(child, business, by, **kw):
    record = WorkRecord(
        child=child,
        business=business,
        job_code="other_general",
        hours_per_day=4,
        started_on=TODAY - dt.timedelta(days=60),
        notes="Cộng tác viên báo.",
        **kw,
    )
    children_services.workrecord_save(record=record, by=by)
    return record


def test_it_links_a_minor_found_at_work_already_on_the_register(police, officer):
    inspection = InspectionFactory(date=TODAY)
    child = ChildFactory(birth_date=TODAY.replace(year=TODAY.year - 14))
    existing = _open_record(child, inspection.business, officer)
    result = services.inspection_minor_add(
        inspection=inspection,
        by=police,
        child=child,
        work={"job_code": "other_general", "hours_per_day": 9, "notes": "Đoàn kiểm tra ghi."},
    )
    assert WorkRecord.objects.filter(child=child).count() == 1
    record = WorkRecord.objects.get(child=child)
    assert result.record.pk == record.pk == existing.pk
    assert MinorFound.objects.get().work_record == record
    # Updated with what the team saw; the work still started when it was first reported.
    assert record.hours_per_day == 9 and record.started_on == TODAY - dt.timedelta(days=60)
    assert "Cộng tác viên báo." in record.notes and "Đoàn kiểm tra ghi." in record.notes
    assert record.lawful is False
    assert Violation.objects.filter(inspection=inspection, child=child).exists()


def test_two_inspections_finding_the_same_work_share_one_record(police):
    first = InspectionFactory(date=TODAY - dt.timedelta(days=20))
    second = InspectionFactory(business=first.business, date=TODAY)
    child = ChildFactory(birth_date=TODAY.replace(year=TODAY.year - 13))
    work = {"job_code": "chemicals_explosives", "started_on": TODAY - dt.timedelta(days=25)}
    services.inspection_minor_add(inspection=first, by=police, child=child, work=work)
    services.inspection_minor_add(
        inspection=second, by=police, child=child, work={"job_code": "chemicals_explosives"}
    )
    record = WorkRecord.objects.get(child=child)
    assert set(MinorFound.objects.values_list("work_record", flat=True)) == {record.pk}
    assert record.started_on == TODAY - dt.timedelta(days=25)


def test_it_records_other_work_or_ended_work_as_a_new_record(police, officer):
    inspection = InspectionFactory(date=TODAY)
    child = ChildFactory(birth_date=TODAY.replace(year=TODAY.year - 14))
    ended = _open_record(child, inspection.business, officer)
    ended.ended_on = TODAY - dt.timedelta(days=30)
    ended.save(update_fields=["ended_on"])
    services.inspection_minor_add(
        inspection=inspection, by=police, child=child, work={"job_code": "other_general"}
    )
    other = InspectionFactory(date=TODAY)  # another business
    services.inspection_minor_add(
        inspection=other, by=police, child=child, work={"job_code": "other_general"}
    )
    assert WorkRecord.objects.filter(child=child).count() == 3
    assert WorkRecord.objects.filter(child=child, ended_on__isnull=True).count() == 2


def test_it_links_from_the_inspection_form(client, police, officer):
    inspection = InspectionFactory(date=TODAY)
    child = ChildFactory(birth_date=TODAY.replace(year=TODAY.year - 14))
    existing = _open_record(child, inspection.business, officer)
    client.force_login(police)
    response = client.post(
        reverse("inspections:minor_add", args=[inspection.pk]),
        {
            "child": child.pk,
            "job_code": "other_general",
            "workplace_code": "normal",
            "hours_per_day": "8",
            "record_violations": "on",
        },
    )
    assert response.status_code == 302
    assert list(WorkRecord.objects.filter(child=child)) == [existing]
    assert MinorFound.objects.get(inspection=inspection).work_record_id == existing.pk


def test_a_new_child_is_registered_through_the_childrens_services(police, monkeypatch):
    # The services are the one write path: their rules (full_clean, dedupe) apply here too.
    calls = []
    for name in ("household_save", "child_save", "workrecord_save"):
        real = getattr(services, name)
        monkeypatch.setattr(
            services,
            name,
            lambda *a, _real=real, _name=name, **kw: calls.append(_name) or _real(*a, **kw),
        )
    inspection = InspectionFactory(date=TODAY)
    services.inspection_minor_add(
        inspection=inspection,
        by=police,
        work={"job_code": "other_general"},
        new_child={"full_name": "Đỗ Thị Mai", "sex": "female", "birth_date": dt.date(2013, 3, 3)},
        new_household={"head_name": "Đỗ Văn Hải"},
    )
    assert calls == ["household_save", "child_save", "workrecord_save"]
    child = Child.objects.get(full_name="Đỗ Thị Mai")
    assert child.search_name == "do thi mai" and child.household.head_name == "Đỗ Văn Hải"
    assert child.work_records.get().business == inspection.business
