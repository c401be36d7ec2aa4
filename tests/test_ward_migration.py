"""An existing single-ward database upgrades in place (issue 12 point 1): a database made at
the previous release's migrations, with its rows, migrates to wards with nothing lost and
everything in the first ward, made from the settings."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migrations of the release before wards.
BEFORE = [
    ("dongnguyen", "0005_accesslog_object_ids"),
    ("households", "0005_version_verbose_name"),
    ("children", "0013_version_verbose_name"),
    ("reports", "0006_version_verbose_name"),
    ("inspections", "0006_version_verbose_name"),
    ("outreach", "0006_version_verbose_name"),
    ("imports", "0003_verbose_names"),
]


@pytest.mark.django_db(transaction=True)
def test_a_single_ward_database_upgrades_with_nothing_lost(settings, monkeypatch):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    with monkeypatch.context() as patch:
        if connection.vendor == "sqlite":
            # Going back (only to build the old database): sibling migrations are unapplied
            # in an order where SQLite's table rebuild for one (made from the state before
            # it) already dropped the index the other then removes. Forward, the users' way,
            # is unchanged.
            from django.db.backends.sqlite3.schema import DatabaseSchemaEditor

            patch.setattr(DatabaseSchemaEditor, "sql_delete_index", "DROP INDEX IF EXISTS %(name)s")
        executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps

    User = old.get_model("auth", "User")
    Profile = old.get_model("dongnguyen", "Profile")
    Group = old.get_model("households", "ResidentialGroup")
    Household = old.get_model("households", "Household")
    Child = old.get_model("children", "Child")
    Report = old.get_model("reports", "Report")
    user = User.objects.create(username="vhxh_cu")
    Profile.objects.create(user=user, role="case_officer")
    groups = [Group.objects.create(code=f"TDP-0{i}", name=f"Tổ {i}") for i in (1, 2)]
    household = Household.objects.create(
        code="HGD-01-001",
        head_name="Nguyễn Văn Cũ",
        search_name="nguyen van cu",
        address="Số 1",
        group=groups[0],
    )
    child = Child.objects.create(
        full_name="Nguyễn Thị Cũ",
        search_name="nguyen thi cu",
        sex="female",
        birth_date=date(2015, 3, 1),
        household=household,
        registered_on=date(2025, 1, 1),
    )
    report = Report.objects.create(
        kind="annual", period="2025", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    new = MigrationExecutor(connection).loader.project_state(leaves).apps

    Ward = new.get_model("dongnguyen", "Ward")
    ward = Ward.objects.get()
    assert (ward.code, ward.name, ward.signer_name) == (
        settings.WARD_CODE,
        settings.WARD_NAME,
        settings.SIGNER_NAME,
    )
    g = new.get_model("households", "ResidentialGroup").objects.order_by("code")
    assert [(x.code, x.ward_id) for x in g] == [("TDP-01", ward.pk), ("TDP-02", ward.pk)]
    h = new.get_model("households", "Household").objects.get(pk=household.pk)
    assert (h.code, h.head_name, h.group_id, h.ward_id) == (
        "HGD-01-001",
        "Nguyễn Văn Cũ",
        groups[0].pk,
        ward.pk,
    )
    c = new.get_model("children", "Child").objects.get(pk=child.pk)
    assert (c.full_name, c.household_id) == ("Nguyễn Thị Cũ", household.pk)
    r = new.get_model("reports", "Report").objects.get(pk=report.pk)
    assert (r.kind, r.period, r.ward_id) == ("annual", "2025", ward.pk)
    p = new.get_model("dongnguyen", "Profile").objects.get(user__username="vhxh_cu")
    assert (p.role, p.ward_id) == ("case_officer", ward.pk)
