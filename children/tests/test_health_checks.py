"""Health checks: the WHO band helper, who records and reads them, the health station's task
for a child found in unlawful work."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from children import services
from children.models import HealthCheck, nutrition_band
from dongnguyen.errors import ServiceError
from tests.factories import ChildFactory, HouseholdFactory, WorkRecordFactory

pytestmark = pytest.mark.django_db
Z = Decimal


def test_it_bands_nutrition_by_the_who_z_scores():
    assert nutrition_band() == ""
    assert nutrition_band(height_for_age_z=Z("-2.0"), bmi_for_age_z=Z("1.0")) == "normal"
    assert nutrition_band(height_for_age_z=Z("-2.01")) == "stunted"
    assert nutrition_band(bmi_for_age_z=Z("-2.1"), height_for_age_z=Z("-3")) == "wasted"
    assert nutrition_band(weight_for_age_z=Z("-2.5")) == "underweight"
    assert nutrition_band(bmi_for_age_z=Z("1.01")) == "overweight"


def _check(child, **kw):
    return HealthCheck(child=child, date=dt.date(2026, 10, 1), height_cm=140, weight_kg=30, **kw)


def test_it_derives_the_status_and_refuses_one_that_contradicts_the_z_scores(health):
    child = ChildFactory(at_risk=True)  # on the managed list: in the health station's scope
    saved = services.healthcheck_record(check=_check(child, height_for_age_z=Z("-2.4")), by=health)
    assert saved.nutrition_status == "stunted" and saved.by == health
    with pytest.raises(ServiceError) as exc:
        services.healthcheck_record(
            check=_check(child, height_for_age_z=Z("-2.4"), nutrition_status="normal"), by=health
        )
    assert "không khớp" in exc.value.text
    with pytest.raises(ServiceError):
        services.healthcheck_record(check=_check(child), by=health)  # neither status nor z


def test_only_health_officer_and_leadership_see_health_data(client, personas, group_a):
    child = ChildFactory(household=HouseholdFactory(group=group_a), at_risk=True)
    HealthCheck.objects.create(
        child=child,
        date=dt.date(2026, 10, 1),
        height_cm=140,
        weight_kg=30,
        nutrition_status="stunted",
        work_related_problems="Đau lưng do bê vác gỗ",
    )
    url = reverse("children:detail", args=[child.pk])
    for role in ("health", "case_officer", "leadership"):
        client.force_login(personas[role])
        assert "Đau lưng do bê vác gỗ" in client.get(url).content.decode(), role
    client.force_login(personas["collaborator"])  # sees the child, not the health data
    page = client.get(url)
    assert page.status_code == 200 and "Đau lưng do bê vác gỗ" not in page.content.decode()
    assert client.get(reverse("children:healthcheck_add", args=[child.pk])).status_code == 403


def test_a_child_in_unlawful_work_is_a_health_check_task_until_examined(client, health):
    child = ChildFactory(at_risk=True, full_name="Phạm Văn Cường")
    WorkRecordFactory(child=child, started_on=dt.date(2026, 9, 1), lawful=False)
    client.force_login(health)
    assert "Phạm Văn Cường" in client.get(reverse("children:tasks")).content.decode()
    response = client.post(
        reverse("children:healthcheck_add", args=[child.pk]),
        {
            "date": "05/10/2026",
            "height_cm": "150",
            "weight_kg": "38",
            "bmi_for_age_z": "-0.5",
            "work_related_problems": "Ho kéo dài, tiếp xúc bụi gỗ",
            "advice": "Đeo khẩu trang",
        },
    )
    assert response.status_code == 302
    assert HealthCheck.objects.get(child=child).nutrition_status == "normal"
    assert "Phạm Văn Cường" not in client.get(reverse("children:tasks")).content.decode()
