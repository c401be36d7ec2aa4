"""A ward's report counts the ward's own records: with many wards in one deployment, the
commitments and the materials given out were the whole province's."""

import datetime as dt

from dongnguyen.models import Ward
from inspections.models import Commitment
from outreach.models import MaterialDistribution
from reports import selectors
from reports.periods import parse_period
from tests.factories import (
    BusinessFactory,
    GroupFactory,
    HouseholdFactory,
    OutreachSessionFactory,
)

DAY = dt.date(2026, 3, 2)


def test_a_wards_statistics_count_only_its_own_commitments_and_materials(db):
    first = Ward.first()
    other = Ward.objects.create(code="09412", name="Vân Hà", province_name="Bắc Ninh")
    ours, theirs = GroupFactory(code="TDP-01"), GroupFactory(code="TDP-01", ward=other)
    Commitment.objects.create(household=HouseholdFactory(group=ours), signed_on=DAY)
    Commitment.objects.create(household=HouseholdFactory(group=theirs), signed_on=DAY)
    Commitment.objects.create(business=BusinessFactory(group=theirs, ward=other), signed_on=DAY)
    MaterialDistribution.objects.create(kind="leaflet", quantity=5, group=ours, date=DAY)
    MaterialDistribution.objects.create(
        kind="leaflet", quantity=7, group=theirs, ward=other, date=DAY
    )
    OutreachSessionFactory(group=ours, leaflets=3)
    OutreachSessionFactory(group=theirs, ward=other, leaflets=11)

    def leaflets(stats):
        return {m["kind"]: m["quantity"] for m in stats["materials"]}["leaflet"]

    p = parse_period("2026-H1")
    mine = selectors.statistics(p, ward=first)
    assert mine["commitments"] == {"households": 1, "businesses": 0}
    assert leaflets(mine) == 5 + 3
    neighbour = selectors.statistics(p, ward=other)
    assert neighbour["commitments"] == {"households": 1, "businesses": 1}
    assert leaflets(neighbour) == 7 + 11
    # Without a ward (the province's own use): everything.
    everything = selectors.statistics(p)
    assert everything["commitments"] == {"households": 2, "businesses": 1}
    assert leaflets(everything) == 26
