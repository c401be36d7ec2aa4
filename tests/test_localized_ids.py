"""USE_THOUSAND_SEPARATOR renders the integer 1234 as "1.234" in Vietnamese: an id written
into a form value or a query string that way is no longer an id. A ward of 12,000 children
has such ids; the e2e run found the officer could not open a case from a tip because of it."""

from django.urls import reverse

from children.models import Case

from .factories import ChildFactory, IntakeFactory


def test_it_writes_ids_above_999_without_a_thousands_separator(client, officer):
    child = ChildFactory(pk=12345, full_name="Lê Minh Khoa")
    intake = IntakeFactory()
    client.force_login(officer)
    page = client.get(
        reverse("children:intake_detail", args=[intake.pk]), {"child_q": "Le Minh Khoa"}
    ).content.decode()
    assert 'name="child" value="12345"' in page
    assert "12.345" not in page

    response = client.post(
        reverse("children:intake_triage", args=[intake.pk]),
        {"action": "open_case", "child": "12345"},
    )
    case = Case.objects.get(intake=intake)
    assert response.url == reverse("children:case_detail", args=[case.pk])
    assert case.child == child


def test_it_shows_a_child_number_above_999_as_typed_and_a_year_without_grouping(client, officer):
    child = ChildFactory(pk=23456, birth_date="2014-05-17")
    client.force_login(officer)
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "#23456" in html and "23.456" not in html
    assert "2014" in html and "2.014" not in html
