"""Transfers between wards (issue 12.5): the sending officer sends the child and the open
case, the receiving officer accepts into a household of their ward (or a new one) or refuses;
the record arrives with its history and attachments, the sending ward keeps a closing entry,
and the KPIs count the child in the right ward per period."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from children.models import Attachment, Child, Transfer
from children.services import transfer_accept, transfer_refuse, transfer_send
from dongnguyen.errors import ServiceError
from dongnguyen.models import AccessLog, Agency, Ward
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from households.models import Household
from reports import kpis
from reports import services as report_services
from reports.models import KpiSnapshot
from reports.periods import parse_period
from tests.factories import CaseFactory, ChildFactory, GroupFactory, HouseholdFactory, UserFactory


@pytest.fixture
def ward_a(db):
    return Ward.first()


@pytest.fixture
def ward_b(db):
    return Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh")


@pytest.fixture
def group_a(ward_a):
    return GroupFactory(code="TDP-01", name="Thanh Bình", ward=ward_a)


@pytest.fixture
def group_b(ward_b):
    return GroupFactory(code="TS-01", name="Tam Sơn 1", ward=ward_b)


def _officer(username, ward):
    user = UserFactory(username=username)
    profile = user_set_role(
        user=user, role=Role.CASE_OFFICER, agency=Agency.objects.get(code="vhxh")
    )
    profile.ward = ward
    profile.save(update_fields=["ward"])
    return user


@pytest.fixture
def officer_a(ward_a):
    return _officer("vhxh", ward_a)


@pytest.fixture
def officer_b(ward_b):
    return _officer("vhxh_tamson", ward_b)


@pytest.fixture
def child(group_a):
    child = ChildFactory(
        household=HouseholdFactory(group=group_a),
        full_name="Trần Thị Mai Anh",
        registered_on=date(2026, 1, 5),
    )
    case = CaseFactory(child=child)
    Attachment.objects.create(
        child=child,
        case=case,
        file=ContentFile(b"%PDF-1.4 test", name="bien-ban.pdf"),
        kind="minutes",
        original_name="bien-ban.pdf",
        content_type="application/pdf",
        size=13,
    )
    return child


def test_it_sends_and_the_receiving_officer_accepts_the_record(
    client, child, officer_a, officer_b, ward_b, group_b
):
    client.force_login(officer_a)
    r = client.post(
        reverse("children:transfer_send", args=[child.pk]),
        {"to_ward": ward_b.pk, "note": "Gia đình chuyển về Tam Sơn"},
    )
    transfer = Transfer.objects.get()
    assert r.url == reverse("children:transfer_detail", args=[transfer.pk])
    assert transfer.status == "sent" and transfer.case == child.cases.get()
    child.refresh_from_db()
    assert child.household.group.ward == Ward.first()  # nothing moves before acceptance

    client.force_login(officer_b)
    incoming = client.get(reverse("children:transfer_list")).content.decode()
    assert "Trần Thị Mai Anh" in incoming and "Chuyển đến" in incoming
    page = client.get(reverse("children:transfer_detail", args=[transfer.pk])).content.decode()
    assert "Hồ sơ chuyển đến" in page and "Tài liệu đính kèm: 1" in page
    target = HouseholdFactory(group=group_b)
    history_before = child.history.count()
    r = client.post(
        reverse("children:transfer_decide", args=[transfer.pk]),
        {"decision": "accept", "household": target.pk},
    )
    assert r.url == reverse("children:detail", args=[child.pk])
    child.refresh_from_db()
    transfer.refresh_from_db()
    assert child.household == target and transfer.status == "accepted"
    assert transfer.accepted_by == officer_b and transfer.to_household == target
    # History and attachments came with the record; the case says where it came from.
    assert child.history.count() == history_before + 1
    assert child.attachments.count() == 1
    assert "Tiếp nhận hồ sơ chuyển đến từ Đồng Nguyên" in child.cases.get().events.last().note
    assert AccessLog.objects.about(transfer).filter(user=officer_b).exists()
    assert AccessLog.objects.about(child).filter(user=officer_b).exists()

    # The sending ward keeps a read-only closing entry, without the record.
    client.force_login(officer_a)
    closing = client.get(reverse("children:transfer_detail", args=[transfer.pk])).content.decode()
    assert "Đã chuyển đi" in closing and "Trần Thị Mai Anh" in closing
    assert "Hồ sơ chuyển đến" not in closing and "Tài liệu đính kèm" not in closing
    assert "Tiếp nhận</button>" not in closing
    listing = client.get(reverse("children:transfer_list")).content.decode()
    assert "Đã chuyển đi" in listing


def test_both_sides_officers_are_needed(child, officer_a, officer_b, ward_a, ward_b, client):
    # Another ward's officer cannot send this ward's child; the sender cannot accept.
    client.force_login(officer_b)
    assert client.get(reverse("children:transfer_send", args=[child.pk])).status_code == 404
    with pytest.raises(ServiceError):
        transfer_send(child=child, to_ward=ward_a, by=officer_b)
    transfer = transfer_send(child=child, to_ward=ward_b, by=officer_a)
    with pytest.raises(ServiceError):
        transfer_accept(transfer=transfer, by=officer_a, household=child.household)
    # One pending transfer per child, never to the ward it is in.
    with pytest.raises(ServiceError):
        transfer_send(child=child, to_ward=ward_b, by=officer_a)
    transfer_refuse(transfer=transfer, by=officer_b, note="Không đúng địa chỉ")
    with pytest.raises(ServiceError) as err:
        transfer_send(child=child, to_ward=ward_a, by=officer_a)
    assert "to_ward" in err.value.message_dict
    # Other roles (the province, a collaborator) see no transfer.
    assert Transfer.objects.for_user(UserFactory()).count() == 0


def test_a_refusal_needs_a_reason_and_moves_nothing(client, child, officer_a, officer_b, ward_b):
    transfer = transfer_send(child=child, to_ward=ward_b, by=officer_a)
    client.force_login(officer_b)
    url = reverse("children:transfer_decide", args=[transfer.pk])
    r = client.post(url, {"decision": "refuse", "note": "  "})
    assert r.status_code == 200 and "Lý do từ chối" in r.content.decode()
    r = client.post(url, {"decision": "refuse", "note": "Gia đình chưa chuyển đến"})
    transfer.refresh_from_db()
    child.refresh_from_db()
    assert transfer.status == "refused" and transfer.decision_note == "Gia đình chưa chuyển đến"
    assert child.household.group.ward == Ward.first()
    with pytest.raises(ServiceError):  # decided once
        transfer_accept(transfer=transfer, by=officer_b, household=HouseholdFactory())


def test_the_receiver_may_make_a_new_household_of_their_ward(
    client, child, officer_a, officer_b, ward_b, group_a, group_b
):
    transfer = transfer_send(child=child, to_ward=ward_b, by=officer_a)
    client.force_login(officer_b)
    url = reverse("children:transfer_decide", args=[transfer.pk])
    # A group of the sending ward is not offered; the typed data stays on the form.
    r = client.post(
        url,
        {"decision": "accept", "group": group_a.pk, "code": "TS-HO-9", "head_name": "Trần Văn Hải"},
    )
    assert r.status_code == 200 and 'value="TS-HO-9"' in r.content.decode()
    client.post(
        url,
        {
            "decision": "accept",
            "group": group_b.pk,
            "code": "TS-HO-9",
            "head_name": "Trần Văn Hải",
            "address": "Số 3, Tam Sơn",
        },
    )
    child.refresh_from_db()
    assert child.household == Household.objects.get(code="TS-HO-9")
    assert child.household.group == group_b


def test_kpis_count_the_child_in_the_right_ward_per_period(
    child, officer_a, officer_b, ward_a, ward_b, group_a, group_b
):
    h1, h2 = parse_period("2026-H1"), parse_period("2026-H2")

    def register_children(period, group):
        k1 = next(v for v in kpis.compute(period, group=group) if v.code == "K1")
        return k1.denominator

    assert (register_children(h1, group_a), register_children(h1, group_b)) == (1, 0)
    # The first half is closed and snapshotted while the child lives in ward A.
    report_services.snapshot_store(period=h1)
    transfer = transfer_send(child=child, to_ward=ward_b, by=officer_a)
    assert register_children(h2, group_a) == 1  # pending: still ward A's
    transfer_accept(transfer=transfer, by=officer_b, household=HouseholdFactory(group=group_b))
    # From the acceptance on, the child is counted in ward B, no longer in ward A...
    assert (register_children(h2, group_a), register_children(h2, group_b)) == (0, 1)
    assert Child.objects.filter(household__group__ward=ward_a).count() == 0
    # ...while ward A's closed first half keeps the child in its frozen numbers.
    frozen = KpiSnapshot.objects.get(code="K1", group=group_a, period_start=h1.start)
    assert frozen.denominator == 1


def test_the_transfer_list_costs_the_same_queries_for_one_or_many(
    client, officer_a, officer_b, ward_b, group_a, django_assert_num_queries
):
    def send_one():
        c = ChildFactory(household=HouseholdFactory(group=group_a))
        transfer_send(child=c, to_ward=ward_b, by=officer_a)

    send_one()
    client.force_login(officer_b)
    url = reverse("children:transfer_list")
    client.get(url)
    with django_assert_num_queries(6) as one:
        # session, user, profile; count, the page of transfers with their wards and people,
        # the access-log row
        client.get(url)
    for _ in range(4):
        send_one()
    with django_assert_num_queries(len(one.captured_queries)):
        r = client.get(url)
    assert r.content.decode().count("Chuyển đến</td>") == 5


def test_both_wards_kpis_per_period_follow_the_transfer(
    child, officer_a, officer_b, ward_a, ward_b, group_b
):
    """Issue 12.5: at ward level (what the dashboards, reports and the province read), each
    ward counts the child in the periods the child was its own."""
    h1, h2 = parse_period("2026-H1"), parse_period("2026-H2")

    def register(period, ward):
        return next(v for v in kpis.compute(period, ward=ward) if v.code == "K1").denominator

    report_services.snapshot_store(period=h1)  # ward A's first half, closed and frozen
    transfer = transfer_send(child=child, to_ward=ward_b, by=officer_a)
    transfer_accept(transfer=transfer, by=officer_b, household=HouseholdFactory(group=group_b))
    assert (register(h2, ward_a), register(h2, ward_b)) == (0, 1)
    frozen = KpiSnapshot.objects.get(code="K1", ward=ward_a, group=None, period_start=h1.start)
    assert frozen.denominator == 1
    assert not KpiSnapshot.objects.filter(
        code="K1", ward=ward_b, group=None, period_start=h1.start, denominator__gt=0
    ).exists()
    # The province's sum is the child once, in ward B.
    report_services.snapshot_store(period=h2)
    h2_rows = KpiSnapshot.objects.filter(code="K1", group=None, period_start=h2.start)
    assert {r.ward_id: r.denominator for r in h2_rows} == {ward_a.pk: 0, ward_b.pk: 1}
