"""One open work record per child, business and job (issue 10 point 5): a second report of
the same work is linked to the open record, from the child's page as from any service; the
database refuses a duplicate; the data migration merges or ends the duplicates already there."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from children.models import WorkRecord
from children.services import workrecord_save
from dongnguyen.errors import ServiceError
from inspections.models import MinorFound
from tests.factories import BusinessFactory, ChildFactory, InspectionFactory

TODAY = timezone.localdate()


@pytest.fixture
def child(group_a):
    return ChildFactory(household__group=group_a, birth_date=TODAY.replace(year=TODAY.year - 14))


@pytest.fixture
def business(group_a):
    return BusinessFactory(group=group_a)


def _record(child, business, *, days_ago=40, **kw):
    record = WorkRecord(
        child=child,
        business=business,
        job_code=kw.pop("job_code", "other_general"),
        started_on=TODAY - dt.timedelta(days=days_ago),
        **kw,
    )
    workrecord_save(record=record, by=None)
    return record


def _form(business, **extra):
    return {
        "job_code": "other_general",
        "workplace_code": "normal",
        "business": business.pk,
        "started_on": (TODAY - dt.timedelta(days=10)).strftime("%d/%m/%Y"),
        "hours_per_day": "7",
        "save": "1",
        **extra,
    }


def test_it_links_a_second_identical_record_from_the_service(child, business):
    first = _record(child, business, hours_per_day=4, notes="Lần đầu.")
    again = _record(child, business, days_ago=5, hours_per_day=8, notes="Lần sau.")
    assert again.pk == first.pk and again.linked_to_existing
    assert WorkRecord.objects.count() == 1
    record = WorkRecord.objects.get()
    assert record.hours_per_day == 8 and record.started_on == TODAY - dt.timedelta(days=40)
    assert record.notes == "Lần đầu.\nLần sau."
    assert record.history.count() == 2  # what it said before is kept


def test_it_links_a_second_identical_record_from_the_child_page(client, officer, child, business):
    first = _record(child, business, hours_per_day=4)
    client.force_login(officer)
    response = client.post(reverse("children:workrecord_add", args=[child.pk]), _form(business))
    assert response.status_code == 302
    assert response.url == reverse("children:workrecord_detail", args=[first.pk])
    assert WorkRecord.objects.count() == 1
    assert WorkRecord.objects.get().hours_per_day == 7
    page = client.get(response.url).content.decode()
    assert "không tạo mới" in page


def test_it_creates_a_new_record_for_other_or_ended_work(client, officer, child, business):
    first = _record(child, business)
    _record(child, business, job_code="chemicals_explosives")
    _record(child, BusinessFactory(group=business.group))
    _record(child, None)
    _record(child, None)  # no business named: nothing to say it is the same work
    first.ended_on = TODAY - dt.timedelta(days=3)
    first.save(update_fields=["ended_on"])
    client.force_login(officer)
    client.post(reverse("children:workrecord_add", args=[child.pk]), _form(business))
    assert WorkRecord.objects.count() == 6


def test_it_refuses_to_edit_a_record_into_a_copy_of_another_open_one(
    client, officer, child, business
):
    _record(child, business)
    other = _record(child, business, job_code="chemicals_explosives")
    other.job_code = "other_general"
    with pytest.raises(ServiceError, match="khác đang diễn ra"):
        workrecord_save(record=other, by=officer)
    client.force_login(officer)
    response = client.post(reverse("children:workrecord_edit", args=[other.pk]), _form(business))
    assert response.status_code == 200
    assert "khác đang diễn ra" in response.content.decode()
    assert WorkRecord.objects.get(pk=other.pk).job_code == "chemicals_explosives"


def test_the_database_refuses_a_second_open_record(child, business):
    _record(child, business)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkRecord.objects.create(
            child=child, business=business, job_code="other_general", started_on=TODAY
        )


def test_the_migration_merges_or_ends_the_duplicates_already_there(child, business):
    # Rows from before the constraint: drop it (rolled back with the test) to write them.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX one_open_workrecord")
    day = TODAY - dt.timedelta(days=100)

    def row(started_on, job_code="other_general", **kw):
        return WorkRecord.objects.create(
            child=child, business=business, job_code=job_code, started_on=started_on, **kw
        )

    oldest, same_day = row(day), row(day + dt.timedelta(days=30))
    twin = row(day + dt.timedelta(days=30), notes="Nhập lại.")
    newest = row(day + dt.timedelta(days=60))
    kept_apart = row(day, job_code="chemicals_explosives")
    found = MinorFound.objects.create(
        inspection=InspectionFactory(business=business), child=child, work_record=same_day
    )

    migration = importlib.import_module("children.migrations.0008_dedupe_open_workrecords")
    migration.dedupe(apps, None)

    assert not WorkRecord.objects.filter(pk=same_day.pk).exists()  # same day: merged
    found.refresh_from_db()
    assert found.work_record_id == twin.pk
    oldest.refresh_from_db()
    twin.refresh_from_db()
    newest.refresh_from_db()
    kept_apart.refresh_from_db()
    assert oldest.ended_on == day + dt.timedelta(days=29)
    assert twin.ended_on == day + dt.timedelta(days=59)
    assert newest.ended_on is None and kept_apart.ended_on is None


def test_merging_two_records_of_a_child_keeps_one_open_record_per_work(officer, child, business):
    from children.services import child_merge

    twin = ChildFactory(household=child.household, birth_date=child.birth_date)
    mine = _record(child, business, days_ago=40)
    same_day = _record(twin, business, days_ago=40, notes="Tổ dân phố báo.")
    later_job = _record(child, business, job_code="chemicals_explosives", days_ago=50)
    later = _record(twin, business, job_code="chemicals_explosives", days_ago=20)
    found = MinorFound.objects.create(
        inspection=InspectionFactory(business=business), child=twin, work_record=same_day
    )
    child_merge(keep=child, remove=twin, by=officer)
    assert set(child.work_records.values_list("pk", flat=True)) == {mine.pk, later_job.pk, later.pk}
    found.refresh_from_db()
    mine.refresh_from_db()
    later_job.refresh_from_db()
    assert found.work_record_id == mine.pk and "Tổ dân phố báo." in mine.notes
    assert later_job.ended_on == TODAY - dt.timedelta(days=21)
    assert WorkRecord.objects.get(pk=later.pk).ended_on is None


def test_a_second_editor_saving_the_same_work_at_once_is_told_not_given_an_error_page(
    child, business, monkeypatch
):
    """Two saves racing: both checked before either wrote, so the second reaches the unique
    constraint; it gets a message (and the first record stays)."""
    from children.services import register

    _record(child, business)
    # The state of a racing save: neither its lookup nor its own constraint check saw the
    # other editor's row, which was committed in between.
    monkeypatch.setattr(register, "workrecord_open_same", lambda record: None)
    monkeypatch.setattr(
        register,
        "full_clean",
        lambda record, exclude=None: record.full_clean(exclude=exclude, validate_constraints=False),
    )
    with transaction.atomic(), pytest.raises(ServiceError) as refused:
        _record(child, business, days_ago=3)
    assert "một người khác vừa lưu" in refused.value.text
    assert WorkRecord.objects.count() == 1
