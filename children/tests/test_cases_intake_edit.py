"""Correcting an intake report after it was recorded, with the change history kept."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from children import services
from children.models import IntakeReport
from tests.factories import IntakeFactory


def _data(**changes):
    return {
        "channel": "hotline_111",
        "reporter_name": "Trần Văn Bình",
        "reporter_phone": "0912345678",
        "description": "Hai trẻ khoảng 13 tuổi bê gỗ ở xưởng cuối đường 277",
        "location": "Xưởng gỗ đường 277, thôn Đồng Kỵ",
        **changes,
    }


@pytest.mark.parametrize("role", ["case_officer", "police"])
def test_it_lets_officer_and_police_correct_a_report_and_keeps_history(client, personas, role):
    intake = IntakeFactory(channel="phone", description="Trẻ bê gỗ", anonymous=True)
    client.force_login(personas[role])
    url = reverse("children:intake_edit", args=[intake.pk])
    assert 'name="description"' in client.get(url).content.decode()
    response = client.post(url, _data())
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.channel == "hotline_111" and intake.location.startswith("Xưởng gỗ đường 277")
    assert intake.reporter_name == "Trần Văn Bình" and not intake.anonymous
    body = client.get(reverse("children:intake_detail", args=[intake.pk])).content.decode()
    assert "Lịch sử thay đổi" in body and "Trẻ bê gỗ" in body  # the old text, in the history
    assert intake.history.latest().history_user == personas[role]


def test_it_keeps_what_was_typed_and_saves_nothing_on_bad_input(client, officer):
    intake = IntakeFactory(description="Trẻ bê gỗ")
    client.force_login(officer)
    response = client.post(
        reverse("children:intake_edit", args=[intake.pk]),
        _data(description="", location="Chợ Đồng Kỵ"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert "Chợ Đồng Kỵ" in response.content.decode()
    assert IntakeReport.objects.get(pk=intake.pk).description == "Trẻ bê gỗ"


def test_it_offers_the_edit_link_only_to_those_who_may_edit(client, leader, officer):
    intake = IntakeFactory()
    url = reverse("children:intake_edit", args=[intake.pk])
    client.force_login(officer)
    assert url in client.get(reverse("children:intake_detail", args=[intake.pk])).content.decode()
    client.force_login(leader)
    assert (
        url not in client.get(reverse("children:intake_detail", args=[intake.pk])).content.decode()
    )
    assert client.get(url).status_code == 403


def test_it_hides_the_history_from_those_who_may_not_see_the_reporter(
    client, officer, ctv_a, group_a
):
    intake = IntakeFactory(group=group_a, reporter_name="Trần Văn Bình", anonymous=False)
    services.intake_update(intake=intake, by=officer, reporter_name="Trần Văn Bính")
    client.force_login(ctv_a)
    body = client.get(reverse("children:intake_detail", args=[intake.pk])).content.decode()
    assert "Trần Văn B" not in body and "Lịch sử thay đổi" not in body


def test_it_refuses_the_service_to_other_roles_and_other_fields(leader, officer):
    intake = IntakeFactory()
    with pytest.raises(PermissionDenied):
        services.intake_update(intake=intake, by=leader, description="x")
    with pytest.raises(ValueError):
        services.intake_update(intake=intake, by=officer, status="unfounded")
