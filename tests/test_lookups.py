"""A value no integer column can hold, in a list of ids, matches nothing (and is no error)."""

from children.models import Child
from tests.factories import ChildFactory


def test_an_id_list_with_a_number_beyond_64_bits_finds_the_others(db):
    child = ChildFactory()
    huge = 10**23  # as a hostile form sends it: "99999999999999999999999"
    assert list(Child.objects.filter(pk__in=[child.pk, huge])) == [child]
    assert not Child.objects.filter(pk__in=[huge]).exists()
    assert list(Child.objects.filter(pk__in=[str(huge), str(child.pk)])) == [child]
