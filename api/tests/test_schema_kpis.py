from io import StringIO

from django.core.management import call_command

from tests.factories import ChildFactory, HouseholdFactory


def test_the_schema_generates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=StringIO()
    )
    text = out.read_text()
    for path in ("/api/v1/children/{id}/", "/api/v1/kpis/", "/api/v1/work-records/"):
        assert path in text


def test_the_docs_are_served_from_vendored_files(client, officer):
    client.force_login(officer)
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "<script>" not in page
    assert client.get("/api/v1/docs/?script").status_code == 200
    assert client.get("/api/v1/schema/").status_code == 200


def test_the_schema_and_docs_need_a_signed_in_user(client, api_for, officer):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    assert client.get("/api/v1/docs/").status_code in (401, 403)
    assert api_for(officer).get("/api/v1/schema/").status_code == 200


def test_kpis_for_a_period_and_group(api_for, officer, group_a):
    ChildFactory(household=HouseholdFactory(group=group_a))
    response = api_for(officer).get("/api/v1/kpis/", {"period": "2026", "group": "TDP-01"})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["period"], data["group"]) == ("2026", "TDP-01")
    assert {"code", "numerator", "denominator", "value", "target"} <= set(data["values"][0])


def test_kpis_refuse_a_bad_period(api_for, officer):
    response = api_for(officer).get("/api/v1/kpis/", {"period": "20266"})
    assert response.status_code == 400 and "period" in response.json()


def test_a_collaborator_gets_only_their_own_groups_kpis(api_for, ctv_b, group_a, group_b):
    data = api_for(ctv_b).get("/api/v1/kpis/", {"period": "2026", "group": "TDP-01"}).json()
    assert data["group"] == "TDP-08"


def test_finance_has_no_kpi_endpoint(api_for, finance):
    assert api_for(finance).get("/api/v1/kpis/").status_code == 403


def test_kpis_as_a_dhis2_data_value_set(api_for, officer, group_a, settings):
    ChildFactory(household=HouseholdFactory(group=group_a))
    api = api_for(officer)
    kpis = api.get("/api/v1/kpis/", {"period": "2026-H1"}).json()["values"]
    data = api.get("/api/v1/kpis/data-value-sets/", {"period": "2026-H1"}).json()
    assert (data["period"], data["orgUnit"]) == ("2026S1", settings.WARD_CODE)
    rows = {row["dataElement"]: row for row in data["dataValues"]}
    first = kpis[0]
    assert rows[f"{first['code']}.NUMERATOR"] == {
        "dataElement": f"{first['code']}.NUMERATOR",
        "period": "2026S1",
        "orgUnit": settings.WARD_CODE,
        "value": str(first["numerator"]),
    }
    expected = sum((k["numerator"] is not None) + (k["denominator"] is not None) for k in kpis)
    assert len(data["dataValues"]) == expected
    group = api.get("/api/v1/kpis/data-value-sets/", {"period": "2026-Q3", "group": "TDP-01"})
    assert (group.json()["period"], group.json()["orgUnit"]) == ("2026Q3", "TDP-01")


def _report(status, officer, code="2026-H1"):
    from django.utils import timezone

    from reports.models import Report
    from reports.periods import parse_period
    from reports.services import report_data

    p = parse_period(code)
    return Report.objects.create(
        kind="semiannual",
        period=code,
        period_start=p.start,
        period_end=p.end,
        status=status,
        created_by=officer,
        data=report_data(p),
        generated_at=None if status == "ready" else timezone.now(),
    )


def test_finalized_reports_serve_their_frozen_data(api_for, officer, police, group_a):
    ChildFactory(household=HouseholdFactory(group=group_a))
    issued = _report("finalized", officer)
    _report("ready", officer, code="2026-Q1")
    api = api_for(officer)
    listed = api.get("/api/v1/reports/").json()["results"]
    assert [r["id"] for r in listed] == [issued.pk]
    assert listed[0]["data"]["kpis"] == issued.data["kpis"]
    dvs = api.get(f"/api/v1/reports/{issued.pk}/data-value-sets/").json()
    assert dvs["period"] == "2026S1"
    units = {row["orgUnit"] for row in dvs["dataValues"]}
    assert "TDP-01" in units and dvs["orgUnit"] in units
    first = issued.data["kpis"][0]
    assert {
        "dataElement": f"{first['code']}.NUMERATOR",
        "period": "2026S1",
        "orgUnit": dvs["orgUnit"],
        "value": str(first["numerator"]),
    } in dvs["dataValues"]
    assert api_for(police).get("/api/v1/reports/").status_code == 403


def test_kpis_come_from_the_stored_snapshot_when_there_is_one(api_for, officer, group_a):
    from django.utils import timezone

    from reports import catalogue
    from reports.models import KpiSnapshot
    from reports.periods import parse_period

    api = api_for(officer)
    live = api.get("/api/v1/kpis/", {"period": "2025"}).json()
    assert (live["source"], live["computed_at"]) == ("live", None)
    code = catalogue.entries()[0].code
    period = parse_period("2025")
    KpiSnapshot.objects.create(
        code=code,
        period_start=period.start,
        period_end=period.end,
        numerator=7,
        denominator=10,
        value=70,
        computed_at=timezone.now(),
    )
    stored = api.get("/api/v1/kpis/", {"period": "2025"}).json()
    assert stored["source"] == "snapshot" and stored["computed_at"]
    assert [(v["code"], v["numerator"], v["denominator"]) for v in stored["values"]] == [
        (code, 7, 10)
    ]
    # The group's figures were never stored: computed now.
    group = api.get("/api/v1/kpis/", {"period": "2025", "group": "TDP-01"}).json()
    assert group["source"] == "live" and len(group["values"]) > 1
    dhis2 = api.get("/api/v1/kpis/data-value-sets/", {"period": "2025"}).json()
    assert {d["value"] for d in dhis2["dataValues"]} == {"7", "10"}
