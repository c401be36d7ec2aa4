"""`manage.py import_records --ward CODE` (issue 12): the rows land in that ward (default: the
first) and their group codes are looked up in that ward only."""

import pytest
from django.core.management import CommandError, call_command

from children.models import Child
from dongnguyen.models import Ward
from households.models import Household
from imports.models import ImportJob
from tests.factories import GroupFactory

from .helpers import CHILD_HEADERS, HOUSEHOLD_HEADERS, child_rows, household_rows, write, xlsx_bytes


@pytest.fixture
def van_ha(db):
    Ward.first()  # the first ward exists before its neighbour
    ward = Ward.objects.create(code="09412", name="Vân Hà", province_name="Bắc Ninh")
    GroupFactory(code="TDP-01", name="Vân Hà 1", ward=ward)
    GroupFactory(code="TDP-VH", name="Vân Hà riêng", ward=ward)
    return ward


def test_the_ward_option_imports_into_that_ward_with_its_groups(tmp_path, group_a, van_ha):
    path = write(tmp_path, "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(2)))
    call_command("import_records", "households", str(path), "--ward", "09412")
    made = Household.objects.filter(code__in=["HGD-0001", "HGD-0002"])
    assert {h.ward for h in made} == {van_ha}
    assert {h.group.ward for h in made} == {van_ha}  # TDP-01 of Vân Hà, not of the first ward
    assert ImportJob.objects.get().ward == van_ha


def test_without_the_option_rows_go_to_the_first_ward(tmp_path, group_a, van_ha):
    path = write(tmp_path, "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(1)))
    call_command("import_records", "households", str(path))
    assert Household.objects.get().ward == Ward.first() == group_a.ward


def test_a_group_of_another_ward_is_an_error_and_nothing_is_saved(
    tmp_path, group_a, van_ha, capsys
):
    # TDP-VH exists in Vân Hà only: imported into the first ward it is not found there.
    rows = household_rows(1) + household_rows(1, group="TDP-VH", start=2)
    path = write(tmp_path, "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, rows))
    with pytest.raises(CommandError):
        call_command("import_records", "households", str(path))
    assert "TDP-VH" in capsys.readouterr().err
    assert not Household.objects.exists()
    # Into Vân Hà, both rows' groups are found there.
    call_command("import_records", "households", str(path), "--ward", "09412")
    assert Household.objects.filter(ward=van_ha).count() == 2


def test_an_unknown_ward_code_is_refused(tmp_path, group_a):
    path = write(tmp_path, "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(1)))
    with pytest.raises(CommandError, match="Không có phường, xã mã"):
        call_command("import_records", "households", str(path), "--ward", "00000")
    assert not Household.objects.exists()


def test_children_imported_into_a_ward_are_that_wards_children(tmp_path, group_a, van_ha):
    # The same household code in both wards: the rows join Vân Hà's household, and its
    # officer's lists (which read the child's own ward column) hold them.
    for ward in (group_a.ward.code, "09412"):
        path = write(tmp_path, "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(1)))
        call_command("import_records", "households", str(path), "--ward", ward)
    path = write(tmp_path, "tre.xlsx", xlsx_bytes(CHILD_HEADERS, child_rows(2)))
    call_command("import_records", "children", str(path), "--ward", "09412")
    made = Child.objects.filter(full_name__startswith="Trần Thị Mai")
    assert made.count() == 2
    assert set(made.values_list("ward_id", flat=True)) == {van_ha.pk}
    assert {c.household.ward_id for c in made} == {van_ha.pk}


def test_a_national_id_of_another_wards_child_is_refused_without_naming_them(
    tmp_path, group_a, van_ha, capsys
):
    # Child.validate_unique refuses a national ID already on a child of any ward; the import
    # refuses it too, with the model's message, and says nothing of the other ward's child.
    from children.models.register import NATIONAL_ID_TAKEN

    for ward in (group_a.ward.code, "09412"):
        path = write(tmp_path, "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(1)))
        call_command("import_records", "households", str(path), "--ward", ward)
    first = Household.objects.get(ward=group_a.ward)
    other = Child.objects.create(
        full_name="Lê Văn Bình",
        sex="male",
        birth_date="2015-03-02",
        household=first,
        national_id="001215000123",
    )
    rows = child_rows(2)
    rows[1][4] = other.national_id
    path = write(tmp_path, "tre.xlsx", xlsx_bytes(CHILD_HEADERS, rows))
    with pytest.raises(CommandError):
        call_command("import_records", "children", str(path), "--ward", "09412")
    err = capsys.readouterr().err
    assert str(NATIONAL_ID_TAKEN) in err
    assert "Dòng 3" in err
    assert "Bình" not in err and first.code not in err and group_a.ward.name not in err
    # All or nothing: the good row is not saved either.
    assert list(Child.objects.all()) == [other]
    # The same file without that ID imports.
    rows[1][4] = ""
    path = write(tmp_path, "tre.xlsx", xlsx_bytes(CHILD_HEADERS, rows))
    call_command("import_records", "children", str(path), "--ward", "09412")
    assert Child.objects.filter(ward=van_ha).count() == 2


def test_the_model_and_the_import_refuse_the_same_national_id(group_a, van_ha):
    # The import's message is the one the form shows (the rule lives in the model).
    from children.models.register import NATIONAL_ID_TAKEN
    from households.models import Household as H

    h = H.objects.create(code="HGD-A", head_name="Nguyễn Văn An", address="x", group=group_a)
    Child.objects.create(
        full_name="Lê Văn Bình",
        sex="male",
        birth_date="2015-03-02",
        household=h,
        national_id="001215000123",
    )
    c = Child(
        full_name="Lê Văn Cường",
        sex="male",
        birth_date="2015-03-02",
        household=h,
        national_id="001215000123",
    )
    with pytest.raises(Exception) as exc:
        c.full_clean()
    assert str(NATIONAL_ID_TAKEN) in exc.value.message_dict["national_id"]
