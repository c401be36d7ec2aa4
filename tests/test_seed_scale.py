import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from children.models import Case, Child, IntakeReport, WorkRecord
from coordination.models import AgencyInput, Meeting
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
    for model in (Meeting, AgencyInput, Case, IntakeReport, Inspection, Child, Household, Business):
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
            cursor.execute(
                "SELECT stat FROM sqlite_stat1"
                " WHERE tbl = 'children_child' AND idx = 'child_ward_id_idx'"
            )
            assert cursor.fetchone()[0].startswith("200")
    assert "ANALYZE" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_builds_a_province_of_several_wards_each_in_its_own_ward(settings, capsys):
    from dongnguyen.models import Ward
    from households.models import ResidentialGroup

    settings.DEBUG = True
    call_command("seed_scale", wards=3, children=200, seed=5)
    wards = list(Ward.objects.order_by("pk"))
    assert len(wards) == 3
    assert Child.objects.count() == 600
    for ward in wards:
        # Every ward holds its own groups, households, children and businesses: no record
        # falls into the first ward by the model default (bulk inserts skip save()).
        assert ResidentialGroup.objects.filter(ward=ward).count() == 12
        assert Household.objects.filter(ward=ward).exclude(group__ward=ward).count() == 0
        assert Child.objects.filter(household__ward=ward).count() == 200
        assert Business.objects.filter(ward=ward).exclude(group__ward=ward).count() == 0
        assert Business.objects.filter(ward=ward).exists()
        assert IntakeReport.objects.filter(ward=ward).exclude(group__ward=ward).count() == 0
        assert (
            OutreachSession.objects.filter(ward=ward)
            .exclude(group__isnull=True)
            .exclude(group__ward=ward)
            .count()
            == 0
        )
    # The wards differ (one generator per ward), and the first ward is the single-ward seed.
    names = [
        list(
            Child.objects.filter(household__ward=w)
            .order_by("pk")
            .values_list("full_name", flat=True)[:20]
        )
        for w in wards
    ]
    assert names[0] != names[1] != names[2]
    out = capsys.readouterr().out
    assert "3 phường" in out and "600 trẻ em" in out and "ANALYZE" in out


@pytest.mark.django_db
def test_the_first_ward_of_a_province_is_the_single_ward_seed(settings):
    settings.DEBUG = True
    call_command("seed_scale", children=150, seed=9)
    single = list(Child.objects.order_by("pk").values_list("full_name", "birth_date"))
    for model in (Meeting, AgencyInput, Case, IntakeReport, Inspection, Child, Household, Business):
        model.objects.all().delete()
    call_command("seed_scale", children=150, seed=9, wards=2)
    first_ward = list(
        Child.objects.filter(household__ward_id=Household.objects.order_by("pk").first().ward_id)
        .order_by("pk")
        .values_list("full_name", "birth_date")
    )
    assert first_ward == single


@pytest.mark.django_db
def test_copied_rows_read_back_as_the_models_wrote_them(settings):
    if not connection_is_pg():
        pytest.skip("COPY is the PostgreSQL path; SQLite uses bulk_create")
    """The COPY path (PostgreSQL) writes what bulk_create would: text with tabs and
    backslashes, booleans, dates, decimals, nulls and auto_now stamps."""
    settings.DEBUG = True
    call_command("seed_scale", children=120, seed=3)
    record = WorkRecord.objects.order_by("pk").first()
    assert record.lawful in (True, False)
    assert record.hours_per_day > 0
    child = Child.objects.order_by("pk").first()
    assert child.created_at is not None and child.birth_date is not None
    from portal.management.commands.seed_scale import _copy

    household = Household.objects.first()
    odd = Child(
        full_name="Lê Thị\tTab \\ Gạch",
        search_name="le thi tab gach",
        sex="female",
        birth_date=child.birth_date,
        household=household,
        registered_on=child.registered_on,
        notes="dòng một\ndòng hai\r\n",
    )
    _copy(Child, [odd])
    again = Child.objects.get(pk=odd.pk)
    assert again.full_name == "Lê Thị\tTab \\ Gạch"
    assert again.notes == "dòng một\ndòng hai\r\n"
    assert again.moved_out_on is None


def connection_is_pg():
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.mark.django_db
def test_the_ward_has_its_meetings_and_report_inputs_each_valid_by_its_own_rules(settings):
    """The coordination the task list, the case file and the report read: a year of monthly
    meetings with their actions (some open, some done), case conferences, and the report
    inputs of the last and the current half-year, every record passing its model's clean()."""
    from coordination.models import MeetingAction

    settings.DEBUG = True
    call_command("seed_scale", children=400, seed=7)
    assert Meeting.objects.filter(kind=Meeting.Kind.PERIODIC).count() == 12
    # One case conference for every eighth case with an approved plan (the first included).
    supported = Case.objects.filter(status__in=["plan_approved", "in_progress", "monitoring"])
    assert supported.count() > 0
    conferences = Meeting.objects.filter(kind=Meeting.Kind.CASE_CONFERENCE)
    assert conferences.count() == (supported.count() + 7) // 8
    assert set(conferences.values_list("case__status", flat=True)) <= set(
        supported.values_list("status", flat=True)
    )
    statuses = set(MeetingAction.objects.values_list("status", flat=True))
    assert statuses == {MeetingAction.Status.OPEN, MeetingAction.Status.DONE}
    # Two half-years × (the health station, the police, the 12 groups).
    assert AgencyInput.objects.count() == 2 * 14
    assert AgencyInput.objects.pending().exists()
    assert AgencyInput.objects.filter(submitted_at__isnull=False).exists()
    # What the services exclude: who made the record is the service's to stamp.
    for model, stamped in (
        (Meeting, "created_by"),
        (MeetingAction, ""),
        (AgencyInput, "requested_by"),
    ):
        for obj in model.objects.all():
            obj.full_clean(exclude=[stamped])


@pytest.mark.django_db
def test_cases_have_their_assessment_and_plan_actions(settings):
    """The case file's assessment and plan, and the task list's due plan actions, are read
    from seeded rows: six assessment items for every assessed case, two to four plan actions
    for every case with a plan (all done once it is closed, some open and overdue otherwise)."""
    from children.models import CasePlanAction

    settings.DEBUG = True
    call_command("seed_scale", children=1200, seed=7)
    assessed = Case.objects.filter(assessed_at__isnull=False)
    assert assessed.exists()
    for case in assessed.prefetch_related("assessment_items", "actions"):
        assert len(case.assessment_items.all()) == 6
        n = len(case.actions.all())
        assert (2 <= n <= 4) if case.plan_drafted_at else n == 0
        for action in case.actions.all():
            action.full_clean()
            assert action.due_on > case.plan_drafted_at.date()
            if case.status == Case.Status.CLOSED:
                assert action.done_on is not None
    today = timezone.localdate()
    open_overdue = CasePlanAction.objects.filter(done_on__isnull=True, due_on__lt=today)
    assert open_overdue.exclude(case__status=Case.Status.CLOSED).exists()
    assert CasePlanAction.objects.filter(done_on__isnull=False).exists()


@pytest.mark.django_db
def test_children_in_unlawful_work_have_their_health_checks(settings):
    """K15 (a health check for every child found in unlawful work) and the health panels are
    measured with rows: six in ten such children checked, each check valid by its own rules."""
    from children.models import HealthCheck

    settings.DEBUG = True
    call_command("seed_scale", children=1200, seed=7)
    unlawful = set(WorkRecord.objects.filter(lawful=False).values_list("child_id", flat=True))
    checks = list(HealthCheck.objects.select_related("child"))
    assert checks
    assert {h.child_id for h in checks} <= unlawful
    assert len(checks) < len(unlawful)
    for check in checks:
        check.full_clean(exclude=["by"])
