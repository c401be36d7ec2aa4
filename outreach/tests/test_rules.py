"""Row rules of awareness sessions (issue 10 point 1): the service refuses with the form's
Vietnamese message, the form shows it beside its field, and a valid session passes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outreach.models import OutreachSession, Training
from outreach.services import session_save, training_save

TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)
COUNTS = "Tổng số cha mẹ, người chăm sóc và trẻ em không được lớn hơn số người tham dự."


def _session(group, **extra):
    values = {
        "group": group,
        "date": TODAY,
        "channel": "residents_meeting",
        "topic": "Phòng, chống lao động trẻ em",
        "attendee_count": 40,
        "caregiver_count": 30,
        "children_count": 5,
    }
    return OutreachSession(**{**values, **extra})


def _form(group, **extra):
    return {
        "group": group.pk,
        "date": TODAY.strftime("%d/%m/%Y"),
        "channel": "residents_meeting",
        "topic": "Phòng, chống lao động trẻ em",
        "attendee_count": 40,
        "caregiver_count": 30,
        "children_count": 5,
        "leaflets": 0,
        "posters": 0,
        "booklets": 0,
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "form", "field", "message"),
    [
        (
            {"date": TOMORROW},
            {"date": TOMORROW.strftime("%d/%m/%Y")},
            "date",
            "Ngày tuyên truyền không được sau ngày hôm nay.",
        ),
        (
            {"attendee_count": 20, "caregiver_count": 18, "children_count": 5},
            {"attendee_count": 20, "caregiver_count": 18, "children_count": 5},
            "attendee_count",
            COUNTS,
        ),
    ],
    ids=["future", "counts-over-attendees"],
)
def test_it_refuses_an_impossible_session(client, ctv_a, group_a, extra, form, field, message):
    with pytest.raises(ValidationError) as refused:
        session_save(session=_session(group_a, **extra), by=ctv_a)
    assert refused.value.message_dict == {field: [message]}
    client.force_login(ctv_a)
    response = client.post(reverse("outreach:session_create"), _form(group_a, **form))
    assert response.context["form"].errors[field] == [message]
    assert not OutreachSession.objects.exists()


def test_it_saves_a_valid_session(ctv_a, group_a):
    assert session_save(session=_session(group_a), by=ctv_a).pk


def test_it_lets_a_session_without_attendance_figures_pass(ctv_a, group_a):
    # A loudspeaker broadcast has no attendee count: nothing to compare with.
    session = _session(group_a, channel="loudspeaker", attendee_count=0, caregiver_count=3)
    assert session_save(session=session, by=ctv_a).pk


def test_it_checks_a_training_row_in_the_service(officer):
    with pytest.raises(ValidationError) as refused:
        training_save(training=Training(title="", date=TODAY), by=officer)
    assert set(refused.value.message_dict) == {"title"}
    assert training_save(training=Training(title="Tập huấn CTV", date=TODAY), by=officer).pk
