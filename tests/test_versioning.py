"""No lost update: two editors who opened the same version of a record, one of them wins.

Each record two people can edit is opened twice through its real edit page (the form as the
browser gets it, hidden version included); the first save lands, the second is refused with
the Vietnamese message, keeps what its editor typed and leaves the first one's change alone.
Writes other than the edit form (a screening adding group k) move the version too."""

import threading
from datetime import date

import pytest
from django.db import close_old_connections, connection, transaction
from django.test import Client
from django.urls import reverse

from children import services as child_services
from children.models import Child, Screening
from dongnguyen.errors import StaleVersionError
from dongnguyen.versioning import bump_version, save_versioned
from households.models import Caregiver
from reports.models import Report

from .factories import (
    BusinessFactory,
    ChildFactory,
    HouseholdFactory,
    InspectionFactory,
    IntakeFactory,
    OutreachSessionFactory,
    TrainingFactory,
    ViolationFactory,
    WorkRecordFactory,
)
from .test_fuzz_forms import page_forms

STALE = "vừa được người khác sửa"


def open_form(user, url: str, action: str | None = None) -> tuple[Client, dict]:
    """A signed-in browser of its own, and the form of `url` that posts to `action`."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    action = action or url
    (form,) = [f for f in page_forms(response.content.decode(), url) if f["url"] == action]
    return client, form


def as_browser(form: dict) -> dict[str, list[str]]:
    """What a browser sends for the form as shown (nothing changed)."""
    data: dict[str, list[str]] = {}
    for f in form["fields"]:
        name, kind = f["name"], f.get("type", f["tag"])
        if name == "csrfmiddlewaretoken" or kind in ("submit", "button", "search"):
            continue
        if f["tag"] == "select":
            values = f["selected"] or ([] if "multiple" in f else f["options"][:1])
        elif f["tag"] == "textarea":
            values = [f["value"].removeprefix("\n")]
        elif kind in ("checkbox", "radio"):
            values = [f.get("value", "on")] if "checked" in f else []
        else:
            values = [f.get("value", "")]
        for value in values:
            data.setdefault(name, []).append(value)
    return data


def _child(group):
    return ChildFactory(
        household=HouseholdFactory(group=group, head_name="Trần Văn Chủ"),
        full_name="Nguyễn Thị Bé",
        birth_date=date(2015, 3, 1),
    )


# kind → (persona, make the record, its edit page, the form's action or None, a text field)
KINDS = {
    "child": ("officer", _child, lambda o: reverse("children:edit", args=[o.pk]), None, "notes"),
    "child_risk": (
        "officer",
        _child,
        lambda o: reverse("children:risk", args=[o.pk]),
        None,
        "risk_factors",
    ),
    "household": (
        "officer",
        lambda g: HouseholdFactory(group=g, head_name="Trần Văn Chủ"),
        lambda o: reverse("households:edit", args=[o.pk]),
        None,
        "notes",
    ),
    "caregiver": (
        "officer",
        lambda g: Caregiver.objects.create(
            household=HouseholdFactory(group=g), name="Nguyễn Thị Mẹ", relation="mother"
        ),
        lambda o: reverse("households:caregiver_edit", args=[o.pk]),
        None,
        "name",
    ),
    "intake": (
        "officer",
        lambda g: IntakeFactory(group=g),
        lambda o: reverse("children:intake_edit", args=[o.pk]),
        None,
        "description",
    ),
    "workrecord": (
        "officer",
        lambda g: WorkRecordFactory(child=_child(g)),
        lambda o: reverse("children:workrecord_edit", args=[o.pk]),
        None,
        "notes",
    ),
    "business": (
        "police",
        lambda g: BusinessFactory(group=g),
        lambda o: reverse("inspections:business_edit", args=[o.pk]),
        None,
        "owner_name",
    ),
    "inspection": (
        "police",
        lambda g: InspectionFactory(business=BusinessFactory(group=g), date=date(2026, 3, 10)),
        lambda o: reverse("inspections:inspection_record", args=[o.pk]),
        None,
        "findings",
    ),
    "violation": (
        "police",
        lambda g: ViolationFactory(inspection=InspectionFactory(business=BusinessFactory(group=g))),
        lambda o: reverse("inspections:violation_edit", args=[o.pk]),
        None,
        "decision_number",
    ),
    "session": (
        "officer",
        lambda g: OutreachSessionFactory(group=g),
        lambda o: reverse("outreach:session_edit", args=[o.pk]),
        None,
        "topic",
    ),
    "training": (
        "officer",
        lambda g: TrainingFactory(),
        lambda o: reverse("outreach:training_edit", args=[o.pk]),
        None,
        "title",
    ),
    "report": (
        "officer",
        lambda g: Report.objects.create(
            kind="adhoc",
            period="2026-Q1",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
        ),
        lambda o: reverse("reports:report_detail", args=[o.pk]),
        lambda o: reverse("reports:report_edit_text", args=[o.pk]),
        "difficulties",
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_lets_exactly_one_of_two_editors_of_the_same_version_win(kind, personas, group_a):
    role, make, page, action, field = KINDS[kind]
    user = personas["case_officer" if role == "officer" else role]
    obj = make(group_a)
    url = page(obj)
    post_url = action(obj) if action else url
    first, form_1 = open_form(user, url, post_url)
    second, form_2 = open_form(user, url, post_url)
    assert any(f["name"] == "version" for f in form_1["fields"])

    data_1 = as_browser(form_1) | {field: ["Nội dung của người thứ nhất"], "save": ["1"]}
    response = first.post(post_url, data_1)
    assert response.status_code == 302, response.context and response.context.get("form").errors

    data_2 = as_browser(form_2) | {field: ["Nội dung người thứ hai"], "save": ["1"]}
    response = second.post(post_url, data_2)
    assert response.status_code == 200
    html = response.content.decode()
    assert STALE in html and "CHƯA được lưu" in html
    assert "Nội dung người thứ hai" in html  # what the loser typed is still in the form

    obj.refresh_from_db()
    assert getattr(obj, field) == "Nội dung của người thứ nhất"
    assert obj.version == 2


def test_it_refuses_a_child_form_opened_before_a_screening_added_group_k(officer, ctv_a, group_a):
    child = _child(group_a)
    url = reverse("children:edit", args=[child.pk])
    client, form = open_form(officer, url)

    child_services.screening_record(
        child=Child.objects.get(pk=child.pk), outcome=Screening.Outcome.CHILD_LABOUR, by=ctv_a
    )

    response = client.post(url, as_browser(form) | {"notes": ["Ghi chú của cán bộ"]})
    assert response.status_code == 200
    assert STALE in response.content.decode()
    child.refresh_from_db()
    assert list(child.special_groups.values_list("code", flat=True)) == ["k"]
    assert child.notes != "Ghi chú của cán bộ"


def test_it_moves_the_version_only_when_a_screening_changes_the_child(ctv_a, group_a):
    child = _child(group_a)
    child_services.screening_record(child=child, outcome=Screening.Outcome.NO_RISK, by=ctv_a)
    assert Child.objects.get(pk=child.pk).version == 1
    child_services.screening_record(child=child, outcome=Screening.Outcome.CHILD_LABOUR, by=ctv_a)
    assert Child.objects.get(pk=child.pk).version > 1


def test_it_moves_the_kept_records_version_and_its_linked_rows_on_a_merge(officer, group_a):
    keep, remove = _child(group_a), _child(group_a)
    record = WorkRecordFactory(child=remove)
    child_services.child_merge(keep=keep, remove=remove, by=officer)
    assert Child.objects.get(pk=keep.pk).version == 2
    record.refresh_from_db()
    assert record.child_id == keep.pk and record.version == 2


def test_it_refuses_a_service_save_of_a_stale_instance_and_writes_nothing(group_a):
    household = HouseholdFactory(group=group_a, head_name="Trước")
    bump_version(household)
    household.version = 1
    household.head_name = "Sau"
    with pytest.raises(StaleVersionError) as refused, transaction.atomic():
        save_versioned(household)
    assert "người khác cập nhật" in refused.value.text
    household.refresh_from_db()
    assert (household.head_name, household.version) == ("Trước", 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_two_concurrent_transactions_win_on_postgresql(group_a):
    """Two threads, two connections, both at version 1 and both inside their transaction
    before either writes: PostgreSQL makes the second UPDATE wait for the first commit and
    then finds the version moved."""
    assert connection.vendor == "postgresql"
    household = HouseholdFactory(group=group_a)
    ready = threading.Barrier(2)
    results = []

    def edit(name):
        try:
            with transaction.atomic():
                mine = type(household).objects.get(pk=household.pk)
                ready.wait(timeout=10)
                mine.head_name = name
                save_versioned(mine, 1)
            results.append(name)
        except StaleVersionError:
            results.append("stale")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("Người A", "Người B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 2 and results.count("stale") == 1
    household.refresh_from_db()
    assert household.version == 2
    assert household.head_name == next(r for r in results if r != "stale")


def test_it_moves_the_version_of_a_record_changed_in_the_admin(admin_user, group_a):
    business = BusinessFactory(group=group_a)
    url = reverse("admin:inspections_business_change", args=[business.pk])
    client, form = open_form(admin_user, url)
    response = client.post(url, as_browser(form) | {"owner_name": "Lê Văn Mới"})
    assert response.status_code == 302
    business.refresh_from_db()
    assert (business.owner_name, business.version) == ("Lê Văn Mới", 2)
