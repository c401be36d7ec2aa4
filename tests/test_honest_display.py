"""Honest display (issue 10 points 9 and 10): history in Vietnamese, names in Vietnamese order,
amounts grouped the Vietnamese way, and ids/decimals typed the way people type them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dongnguyen.text import as_id
from tests.factories import ChildFactory

# -- ids and decimals from the browser -------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12", 12),
        (" 7 ", 7),
        (12, 12),
        ("¹", None),  # str.isdigit() is True, int() refuses it
        ("١٢", None),  # Arabic-Indic digits: int() reads 12
        ("１２", None),  # full-width digits: int() reads 12
        ("0", None),
        ("-3", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (str(2**63), None),
    ],
    ids=lambda v: repr(v),
)
def test_it_reads_an_id_from_ascii_digits_only(raw, expected):
    assert as_id(raw) == expected


@pytest.mark.parametrize("raw", ["¹", "١٢", "１２"], ids=["superscript", "arabic", "fullwidth"])
def test_it_answers_a_garbled_household_id_without_a_500(client, ctv_a, raw):
    client.force_login(ctv_a)
    url = reverse("inspections:household_commitment")
    response = client.post(url, {"household": raw, "signed_on": "01/06/2026"})
    assert response.status_code == 200
    assert "chosen" in response.context and response.context["chosen"] is None


@pytest.mark.parametrize("raw", ["¹", "１２"], ids=["superscript", "fullwidth"])
def test_it_answers_garbled_group_and_year_filters_without_a_500(client, officer, raw):
    client.force_login(officer)
    assert client.get(reverse("outreach:session_list"), {"group": raw}).status_code == 200
    assert client.get(reverse("outreach:coverage"), {"year": raw}).status_code == 200


def _work_post(**extra):
    data = {
        "job_code": "software",
        "workplace_code": "normal",
        "started_on": "01/03/2026",
        "hours_per_day": "6,5",
        "hours_per_week": "32,5",
        "save": "1",
    }
    data.update(extra)
    return data


def test_it_accepts_hours_with_a_decimal_comma(client, officer):
    from children.models import WorkRecord

    child = ChildFactory(birth_date=dt.date(2010, 5, 17))
    client.force_login(officer)
    response = client.post(reverse("children:workrecord_add", args=[child.pk]), _work_post())
    assert response.status_code == 302, response.context["form"].errors
    record = WorkRecord.objects.get(child=child)
    assert record.hours_per_day == Decimal("6.5")
    assert record.hours_per_week == Decimal("32.5")
    page = client.get(reverse("children:workrecord_edit", args=[record.pk])).content.decode()
    assert 'value="6,5"' in page


def test_it_still_accepts_hours_with_a_decimal_point(client, officer):
    from children.models import WorkRecord

    child = ChildFactory(birth_date=dt.date(2010, 5, 17))
    client.force_login(officer)
    data = _work_post(hours_per_day="6.5", hours_per_week="30")
    response = client.post(reverse("children:workrecord_add", args=[child.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert WorkRecord.objects.get(child=child).hours_per_day == Decimal("6.5")
