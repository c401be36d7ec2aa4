"""Issue 14: materials given out and their totals, caregivers reached, who may record
sessions (police) and intake reports (health station, mass organisations)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from children.models import IntakeReport
from children.services import intake_create
from dongnguyen.errors import ServiceError
from outreach import services
from outreach.coverage import materials_by_kind
from outreach.models import MaterialDistribution, OutreachSession
from tests.factories import ChildFactory, HouseholdFactory, OutreachSessionFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_totals_materials_with_the_counts_typed_on_sessions(officer, group_a):
    services.material_record(
        distribution=MaterialDistribution(kind="leaflet", quantity=300, date=D(2026, 3, 1)),
        by=officer,
    )
    services.material_record(
        distribution=MaterialDistribution(
            kind="banner", quantity=2, group=group_a, date=D(2026, 4, 1)
        ),
        by=officer,
    )
    MaterialDistribution.objects.create(kind="leaflet", quantity=999, date=D(2025, 12, 31))
    OutreachSessionFactory(date=D(2026, 5, 1), leaflets=50, booklets=10)
    totals = {t["kind"]: t["quantity"] for t in materials_by_kind(D(2026, 1, 1), D(2026, 12, 31))}
    assert totals["leaflet"] == 350 and totals["banner"] == 2 and totals["qa_booklet"] == 10
    assert totals["loudspeaker_broadcast"] == 0


def test_a_collaborator_records_materials_of_their_own_group_only(ctv_a, group_a, group_b):
    mine = MaterialDistribution(kind="poster", quantity=5, group=group_a, date=D(2026, 3, 1))
    assert services.material_record(distribution=mine, by=ctv_a).pk
    with pytest.raises(ServiceError):
        services.material_record(
            distribution=MaterialDistribution(kind="poster", quantity=5, group=group_b),
            by=ctv_a,
        )
    with pytest.raises(ServiceError):  # a quantity of 0 is refused by the model
        services.material_record(
            distribution=MaterialDistribution(kind="poster", quantity=0, group=group_a),
            by=ctv_a,
        )


def test_the_material_page_and_the_dashboard_show_the_totals(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("outreach:material_create"),
        {"date": "02/03/2026", "kind": "qa_booklet", "quantity": "120"},
    )
    assert response.status_code == 302
    page = client.get(reverse("outreach:material_list"), {"year": "2026"}).content.decode()
    assert "Sổ tay hỏi đáp" in page and "120" in page
    dash = client.get(reverse("reports:dashboard"), {"period": "2026"}).content.decode()
    assert "Tài liệu tuyên truyền đã phát trong kỳ" in dash and "<strong>120</strong>" in dash


def test_caregivers_reached_stay_within_the_editors_scope(ctv_a, group_a, group_b):
    mine = HouseholdFactory(group=group_a).caregivers.create(name="Đỗ Thị Hoa", relation="Mẹ")
    theirs = HouseholdFactory(group=group_b).caregivers.create(name="Vũ Văn Nam", relation="Bố")
    session = OutreachSession(group=group_a, channel="door_to_door", topic="Luật Trẻ em")
    services.session_save(session=session, by=ctv_a, caregivers=[mine])
    assert list(session.caregivers_reached.all()) == [mine]
    with pytest.raises(ServiceError):
        services.session_save(session=session, by=ctv_a, caregivers=[mine, theirs])


def test_the_police_may_record_an_awareness_session(client, police):
    client.force_login(police)
    assert client.get(reverse("outreach:session_create")).status_code == 200
    saved = services.session_save(
        session=OutreachSession(channel="conference", topic="Phổ biến Bộ luật Lao động"),
        by=police,
    )
    assert saved.created_by == police


def test_health_and_mass_orgs_report_children_in_their_scope(health, mass_org):
    at_risk = ChildFactory(at_risk=True)  # on the managed list: the health station's scope
    report = intake_create(
        by=health, channel="phone", description="Em đi làm xưởng gỗ", child=at_risk
    )
    assert report.channel == "agency" and report.child == at_risk
    assert IntakeReport.objects.for_user(health).filter(pk=report.pk).exists()
    assert not IntakeReport.objects.for_user(mass_org).filter(pk=report.pk).exists()
    with pytest.raises(PermissionDenied):  # a child not referred to it
        intake_create(by=mass_org, channel="phone", description="…", child=at_risk)
    anonymous = intake_create(by=mass_org, channel="phone", description="Trẻ bán hàng rong")
    assert anonymous.channel == "agency"
