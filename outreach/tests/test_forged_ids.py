"""A forged id past the integer range in the session form's pickers is a form error, not a
500 (the database driver cannot take it)."""

import pytest
from django.urls import reverse

from outreach.models import OutreachSession

TOO_BIG = "99999999999999999999999"


@pytest.mark.parametrize("field", ["households", "businesses"])
def test_it_refuses_an_id_too_big_for_the_database(client, officer, group_a, field):
    client.force_login(officer)
    response = client.post(
        reverse("outreach:session_create"),
        {
            "group": group_a.pk,
            "date": "01/03/2026",
            "channel": "residents_meeting",
            "topic": "Phòng ngừa lao động trẻ em",
            "participants": "30",
            field: [TOO_BIG],
        },
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not OutreachSession.objects.exists()
