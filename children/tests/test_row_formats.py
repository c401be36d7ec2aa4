"""The per-page shortcuts of the lists give exactly what Django's own tags would."""

import datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from children.models import Case
from dongnguyen.paging import choice_labels, row_url


def _render(source, value, library="child_dates"):
    return engines["django"].from_string(f"{{% load {library} %}}" + source).render({"v": value})


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2024, 3, 5),
        datetime.date(987, 12, 31),
        datetime.datetime(2024, 3, 5, 23, 30, tzinfo=datetime.UTC),  # the next day in Hà Nội
        datetime.datetime(2024, 3, 5, 7, 8),
        None,
        "",
        "05/03/2024",
    ],
)
@pytest.mark.parametrize("library", ["child_dates", "dates"])  # children's name, the core's
def test_dmy_and_dmy_hm_give_the_text_of_the_date_filter(value, library):
    with timezone.override("Asia/Ho_Chi_Minh"):
        assert _render("{{ v|dmy }}", value, library) == _render('{{ v|date:"d/m/Y" }}', value)
        if type(value) is datetime.date:  # |date raises on a time format for a plain date
            assert _render("{{ v|dmy_hm }}", value, library) == ""
        else:
            assert _render("{{ v|dmy_hm }}", value, library) == _render(
                '{{ v|date:"d/m/Y H:i" }}', value
            )


def test_row_url_is_reverse():
    url = row_url("children:case_detail")
    for pk in (1, 42, 123456789):
        assert url(pk) == reverse("children:case_detail", args=[pk])


def test_choice_labels_are_get_display():
    labels = choice_labels(Case, "status")
    for value in Case.Status.values:
        assert labels[value] == Case(status=value).get_status_display()
