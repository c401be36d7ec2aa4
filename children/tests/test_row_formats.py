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


def test_account_name_is_person_name_of_the_account(django_user_model):
    from dongnguyen.text import account_name, person_name

    for last, first, username in [
        ("Trần Thị", "Hà", "ha"),
        ("", "", "canbo1"),
        (" Lê ", "An", "x"),
    ]:
        user = django_user_model(last_name=last, first_name=first, username=username)
        assert account_name(last, first, username) == person_name(user)


@pytest.mark.django_db
@pytest.mark.parametrize("search", [False, True])
def test_page_of_values_reads_the_page_as_tuples_and_counts_without_the_joins(search):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from children.models import Child
    from dongnguyen.paging import page_of_values
    from tests.factories import ChildFactory

    made = sorted(ChildFactory.create_batch(7), key=lambda c: c.pk)
    qs = Child.objects.order_by("pk")
    columns = ("pk", "full_name", "household__group__name")
    with CaptureQueriesContext(connection) as ctx:
        first = page_of_values(qs, columns, 3, "1", search=search, keys_first=search)
        last = page_of_values(qs, columns, 3, "3", search=search, keys_first=search)
    expected = [(c.pk, c.full_name, c.household.group.name) for c in made]
    assert list(first.object_list) == expected[:3]
    assert list(last.object_list) == expected[6:]
    assert first.has_next() and not last.has_next()
    assert last.paginator.count == 7
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    # A list counts once per page (a search never): on the children alone, not their joins.
    assert len(counts) == (0 if search else 2)
    if search:  # one query a page: its keys in a sub-select of the children alone (the
        # order index answers it), the columns' joins outside it
        assert len(ctx.captured_queries) == 2
        for query in ctx.captured_queries:
            outer, keys = query["sql"].split("IN (SELECT", 1)
            assert "JOIN" in outer and "JOIN" not in keys.split("LIMIT")[0]
    assert all("JOIN" not in sql for sql in counts)


@pytest.mark.django_db
def test_presence_says_which_related_sets_have_rows_as_exists_would():
    from children.models import Child, SpecialGroup
    from dongnguyen.paging import presence
    from households.models import Caregiver
    from tests.factories import ChildFactory, ScreeningFactory, WorkRecordFactory

    relations = ("work_records", "screenings", "special_groups", "household__caregivers")
    bare, full = ChildFactory(), ChildFactory()
    WorkRecordFactory(child=full)
    ScreeningFactory(child=full)
    full.special_groups.add(SpecialGroup.objects.order_by("order").first())
    Caregiver.objects.create(household=full.household, name="Trần Thị Hoa", relation="Mẹ")
    for child in (bare, full, ChildFactory(household=full.household)):  # a sibling: caregivers
        child = Child.objects.get(pk=child.pk)
        expected = {
            "work_records": child.work_records.exists(),
            "screenings": child.screenings.exists(),
            "special_groups": child.special_groups.exists(),
            "household__caregivers": child.household.caregivers.exists(),
        }
        assert presence(child, *relations) == expected
    assert set(presence(Child.objects.get(pk=bare.pk), *relations).values()) == {False}
    assert set(presence(Child.objects.get(pk=full.pk), *relations).values()) == {True}
    with pytest.raises(ValueError):
        presence(bare, "household")  # a foreign key, not a set of rows
