import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from children.models import Case, Child, IntakeReport, WorkRecord
from dongnguyen.text import normalize_name
from households.models import Household
from inspections.models import Business, Inspection
from outreach.models import OutreachSession


@pytest.mark.django_db
def test_it_builds_a_small_synthetic_ward_in_proportion(settings, capsys):
    settings.DEBUG = True
    call_command("seed_scale", children=400, seed=7)
    assert Child.objects.count() == 400
    assert 245 <= Household.objects.count() <= 255  # children / 1.6, rounded per group
    assert WorkRecord.objects.count() == 12  # 3 %
    assert WorkRecord.objects.filter(lawful__isnull=True).count() == 0
    child = Child.objects.first()
    assert child.search_name == normalize_name(child.full_name)
    assert OutreachSession.households_reached.through.objects.exists()
    assert "400 trẻ em" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_is_deterministic_for_a_seed(settings):
    settings.DEBUG = True
    call_command("seed_scale", children=150, seed=9)
    first = list(Child.objects.order_by("pk").values_list("full_name", "birth_date"))
    # Unique codes would clash: remove the first ward, protected references first.
    for model in (Case, IntakeReport, Inspection, Child, Household, Business):
        model.objects.all().delete()
    call_command("seed_scale", children=150, seed=9)
    assert list(Child.objects.order_by("pk").values_list("full_name", "birth_date")) == first


@pytest.mark.django_db
def test_it_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", children=150)
    call_command("seed_scale", children=150, force=True)
    assert Child.objects.count() == 150


@pytest.mark.django_db
def test_it_leaves_the_tables_analyzed_for_the_planner(settings, capsys):
    from django.db import connection

    settings.DEBUG = True
    call_command("seed_scale", children=200, seed=11)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'children_child'")
            assert cursor.fetchone()[0] == 200  # -1 (never analyzed) before
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'children_child'")
            assert cursor.fetchone()[0].startswith("200")
    assert "ANALYZE" in capsys.readouterr().out
