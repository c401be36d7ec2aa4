"""Wards are data: the first ward comes from the single-ward settings, every group and user
belongs to one (DESIGN "Province and wards")."""

import pytest
from django.core.exceptions import ValidationError

from dongnguyen.models import Ward
from dongnguyen.roles import ward_id_of
from households.models import ResidentialGroup


def test_the_first_ward_is_the_one_the_settings_describe(db, settings):
    ward = Ward.first()
    assert (ward.code, ward.name, ward.province_name) == (
        settings.WARD_CODE,
        settings.WARD_NAME,
        settings.PROVINCE_NAME,
    )
    assert ward.signer_name == settings.SIGNER_NAME
    assert ward.report_due_dates() == {"semiannual": (6, 20), "annual": (12, 20)}


def test_a_new_group_and_user_belong_to_the_first_ward_unless_told(db, officer):
    group = ResidentialGroup.objects.create(code="TDP-99", name="Tổ 99")
    assert group.ward == Ward.first()
    assert ward_id_of(officer) == Ward.first().pk
    other = Ward.objects.create(code="09386", name="Phường Bên", province_name="Bắc Ninh")
    assert ResidentialGroup.objects.create(code="TDP-98", name="Tổ 98", ward=other).ward == other


def test_a_due_day_must_exist_every_year(db):
    ward = Ward(code="1", name="X", province_name="Bắc Ninh", report_due_annual="29/02")
    with pytest.raises(ValidationError) as err:
        ward.full_clean()
    assert "report_due_annual" in err.value.message_dict
