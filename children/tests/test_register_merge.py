import datetime as dt

import pytest
from django.urls import reverse

from children.models import (
    Case,
    Child,
    FollowUp,
    IntakeReport,
    Referral,
    Screening,
    Support,
    WorkRecord,
)
from children.services import child_merge
from dongnguyen.errors import ServiceError
from dongnguyen.models import Agency
from inspections.models import Violation
from tests.factories import (
    CaseFactory,
    ChildFactory,
    FollowUpFactory,
    HouseholdFactory,
    IntakeFactory,
    ScreeningFactory,
    SupportFactory,
    ViolationFactory,
    WorkRecordFactory,
)


@pytest.fixture
def pair(group_a, officer):
    home = HouseholdFactory(group=group_a)
    keep = ChildFactory(full_name="Nguyễn Văn An", birth_date=dt.date(2014, 2, 3), household=home)
    remove = ChildFactory(
        full_name="NGUYEN VAN AN",
        birth_date=dt.date(2014, 2, 3),
        household=home,
        national_id="001214000555",
        at_risk=True,
    )
    remove.special_groups.add("h")
    keep.special_groups.add("d")
    ScreeningFactory(child=remove)
    WorkRecordFactory(child=remove)
    IntakeFactory(child=remove)
    CaseFactory(child=remove)
    SupportFactory(child=remove)
    FollowUpFactory(child=remove)
    Referral.objects.create(
        child=remove, agency=Agency.objects.get(code="yte"), referred_by=officer
    )
    ViolationFactory(child=remove)
    return keep, remove


def test_it_merges_without_losing_any_linked_record(pair, officer):
    keep, remove = pair
    removed_pk = remove.pk
    child_merge(keep=keep, remove=remove, by=officer)
    assert not Child.objects.filter(pk=removed_pk).exists()
    for model in (
        Screening,
        WorkRecord,
        IntakeReport,
        Case,
        Support,
        FollowUp,
        Referral,
        Violation,
    ):
        assert model.objects.filter(child=keep).count() == 1, model
    keep.refresh_from_db()
    assert set(keep.special_groups.values_list("code", flat=True)) == {"d", "h"}
    assert keep.national_id == "001214000555" and keep.at_risk
    assert f"#{removed_pk}" in keep.notes


def test_it_refuses_to_merge_a_record_with_itself(pair, officer):
    keep, _ = pair
    with pytest.raises(ServiceError, match="chính nó"):
        child_merge(keep=keep, remove=keep, by=officer)


def test_it_merges_from_the_page_after_a_preview(client, officer, pair):
    keep, remove = pair
    client.force_login(officer)
    page = client.get(reverse("children:merge", args=[keep.pk])).content.decode()
    assert f"?other={remove.pk}" in page  # offered as a likely duplicate
    preview = client.post(reverse("children:merge", args=[keep.pk]), {"other": remove.pk})
    assert preview.status_code == 200 and Child.objects.filter(pk=remove.pk).exists()
    assert "Gộp vào rồi xóa" in preview.content.decode()
    done = client.post(
        reverse("children:merge", args=[keep.pk]), {"other": remove.pk, "confirm": "on"}
    )
    assert done.url == reverse("children:detail", args=[keep.pk])
    assert not Child.objects.filter(pk=remove.pk).exists()


def test_it_gives_404_when_merging_a_child_out_of_scope(client, officer, pair):
    keep, _ = pair
    client.force_login(officer)
    response = client.post(reverse("children:merge", args=[keep.pk]), {"other": 999999})
    assert response.status_code == 404
