"""The public tip form in a province of several wards (issue 12): the ward comes first (from
the link's ?phuong=CODE or a ward step), only that ward's groups are offered, the tip lands in
that ward, and a group of another ward is refused in Vietnamese with nothing saved."""

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from children.forms_cases import PublicTipForm
from children.models import IntakeReport
from children.services.intake import public_tip_submit
from dongnguyen.errors import ServiceError
from dongnguyen.models import Ward
from tests.factories import GroupFactory

DESCRIPTION = "Cháu Hùng khoảng 12 tuổi làm chà nhám ở xưởng gỗ cuối ngõ 5 đường 277 cả ngày."


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two_wards(db):
    first = Ward.first()
    van_ha = Ward.objects.create(code="09412", name="Phường Vân Hà", province_name="Bắc Ninh")
    ours = GroupFactory(code="TDP-01", name="Tổ Thanh Bình", ward=first)
    theirs = GroupFactory(code="TDP-01", name="Tổ Vân Hà Một", ward=van_ha)
    return first, van_ha, ours, theirs


def _post(client, **extra):
    started = signing.dumps(time.time() - 10, salt=PublicTipForm.SALT)
    data = {"description": DESCRIPTION, "location": "Ngõ 5", "started": started, **extra}
    return client.post(reverse("children:public_tip"), data)


def test_without_a_ward_the_page_asks_for_it_and_lists_no_group(client, two_wards):
    first, van_ha, ours, theirs = two_wards
    body = client.get(reverse("children:public_tip")).content.decode()
    assert 'name="phuong"' in body and van_ha.name in body and first.name in body
    assert ours.name not in body and theirs.name not in body
    assert 'name="description"' not in body  # the form itself comes after the ward


def test_the_link_of_a_ward_lists_only_that_wards_groups(client, two_wards):
    first, van_ha, ours, theirs = two_wards
    body = client.get(reverse("children:public_tip"), {"phuong": van_ha.code}).content.decode()
    assert theirs.name in body and ours.name not in body
    assert f'name="ward" value="{van_ha.code}"' in body and van_ha.name in body
    unknown = client.get(reverse("children:public_tip"), {"phuong": "99999"}).content.decode()
    assert "không ghi đúng phường, xã" in unknown and theirs.name not in unknown


def test_the_tip_belongs_to_the_chosen_ward(client, two_wards):
    first, van_ha, ours, theirs = two_wards
    response = _post(client, ward=van_ha.code, group=theirs.pk)
    tip = IntakeReport.objects.get()
    assert tip.receipt_code in response.content.decode()
    assert (tip.ward, tip.group) == (van_ha, theirs)
    # Without a group it still lands in the ward chosen, not the first ward.
    cache.clear()
    _post(client, ward=van_ha.code)
    assert IntakeReport.objects.filter(ward=van_ha, group__isnull=True).count() == 1


def test_a_group_of_another_ward_is_refused_and_the_text_is_kept(client, two_wards):
    first, van_ha, ours, theirs = two_wards
    response = _post(client, ward=van_ha.code, group=ours.pk)
    body = response.content.decode()
    assert "không thuộc phường, xã đã chọn" in body
    assert "chà nhám" in body and theirs.name in body  # what was typed; the ward's groups
    assert not IntakeReport.objects.exists()


def test_with_several_wards_a_post_without_a_ward_is_refused(client, two_wards):
    body = _post(client).content.decode()
    assert "Hãy chọn phường, xã nơi xảy ra sự việc" in body
    assert not IntakeReport.objects.exists()
    body = _post(client, ward="99999").content.decode()
    assert "Không có phường, xã này" in body
    assert not IntakeReport.objects.exists()


def test_the_model_refuses_a_group_of_another_ward_whatever_the_caller(two_wards):
    first, van_ha, ours, theirs = two_wards
    with pytest.raises(ServiceError) as err:
        public_tip_submit(description=DESCRIPTION, group=ours, ward=van_ha)
    assert "group" in err.value.message_dict
    assert "không thuộc phường, xã" in err.value.message_dict["group"][0]
    assert not IntakeReport.objects.exists()


def test_a_deployment_of_one_ward_needs_no_ward_step(client, db):
    group = GroupFactory(code="TDP-07", name="Tổ Bảy")
    body = client.get(reverse("children:public_tip")).content.decode()
    assert group.name in body and 'name="description"' in body
    _post(client, group=group.pk)
    assert IntakeReport.objects.get().ward == Ward.first()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("09412\x00", "ký tự không hợp lệ"),
        ("' OR 1=1 --", "Không có phường, xã này"),
        ("x" * 40, "Không có phường, xã này"),
    ],
)
def test_a_malformed_ward_code_is_a_clear_error_never_a_crash(client, two_wards, code, message):
    page = client.get(reverse("children:public_tip"), {"phuong": code})
    assert page.status_code == 200 and "không ghi đúng phường, xã" in page.content.decode()
    response = _post(client, ward=code)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IntakeReport.objects.exists()
