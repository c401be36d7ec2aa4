import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from children.models import Child
from dongnguyen.models import AccessLog
from households.models import Household
from imports import views
from imports.models import ImportJob
from reports import freshness
from tests.factories import BusinessFactory, ChildFactory, HouseholdFactory

from .helpers import (
    HOUSEHOLD_HEADERS,
    csv_bytes,
    household_rows,
    upload,
    xlsx_bytes,
)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _upload(client, kind, name, data):
    return client.post(reverse("imports:upload"), {"kind": kind, "file": upload(name, data)})


def test_it_previews_then_imports_on_confirm(
    officer_client, officer, group_a, django_capture_on_commit_callbacks
):
    response = _upload(
        officer_client, "households", "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(3))
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[job.pk])
    assert job.status == "previewed" and job.count_new == 3 and job.uploaded_by == officer
    assert Household.objects.count() == 0  # the preview is a dry run
    page = officer_client.get(response.url)
    assert "Xác nhận nhập (3 mới, 0 cập nhật)" in page.content.decode()
    assert "HGD-0003" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.confirmed_by == officer and job.finished_at
    assert Household.objects.count() == 3
    assert Household.objects.get(code="HGD-0001").history.first().history_user == officer


def test_it_refuses_to_confirm_a_preview_with_errors(officer_client, group_a):
    rows = household_rows(2) + [["HGD-9", "Ngô Bình", "Số 3", "TDP-77", "", ""]]
    _upload(officer_client, "households", "ho.csv", csv_bytes(HOUSEHOLD_HEADERS, rows))
    job = ImportJob.objects.get()
    page = officer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Xác nhận nhập" not in page and "không có tổ dân phố mã “TDP-77”" in page
    response = officer_client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assert "Chỉ nhập được tệp đã kiểm tra, không có dòng lỗi." in response.content.decode()
    assert Household.objects.count() == 0
    job.refresh_from_db()
    assert job.status == "previewed"


def test_it_shows_a_wrong_file_type_on_the_form(officer_client, group_a):
    response = _upload(officer_client, "households", "ho.xls", b"old excel")
    assert response.status_code == 400
    assert "Sai loại tệp" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_it_shows_a_missing_column_in_the_preview(officer_client, group_a):
    _upload(
        officer_client,
        "children",
        "tre.csv",
        csv_bytes(["Họ và tên", "Ngày sinh"], [["An", "01/01/2015"]]),
    )
    job = ImportJob.objects.get()
    page = officer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Tệp thiếu cột: “Giới tính”, “Mã hộ”" in page
    assert not job.can_confirm


def test_it_paginates_a_big_preview_and_filters_errors(officer_client, group_a):
    rows = household_rows(250) + [["HGD-X", "Ngô Bình", "Số 3", "TDP-77", "", ""]]
    _upload(officer_client, "households", "ho.csv", csv_bytes(HOUSEHOLD_HEADERS, rows))
    job = ImportJob.objects.get()
    url = reverse("imports:detail", args=[job.pk])
    first = officer_client.get(url).content.decode()
    assert "HGD-0100" in first and "HGD-0101" not in first and "Trang 1/3" in first
    errors = officer_client.get(url, {"status": "error"}).content.decode()
    assert "HGD-X" in errors and "HGD-0001" not in errors


def test_it_checks_and_imports_big_files_in_tasks(
    officer_client, group_a, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(views, "SYNC_CHECK_BYTES", 10)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _upload(
            officer_client,
            "households",
            "ho.xlsx",
            xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(30)),
        )
    assert len(callbacks) == 1  # the check task, enqueued once the upload committed
    job = ImportJob.objects.get()
    assert job.status == "previewed" and job.count_new == 30
    progress = officer_client.get(reverse("imports:progress", args=[job.pk]))
    assert progress["HX-Refresh"] == "true"
    cache.delete(freshness.STALE_KEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        officer_client.post(reverse("imports:confirm", args=[job.pk]))
    assert callbacks  # the import task, enqueued once the confirmation committed
    job.refresh_from_db()
    assert job.status == "done" and Household.objects.count() == 30
    assert freshness.stale_since() is not None  # the committed import marked the KPIs stale


def test_it_polls_progress_while_a_job_runs(officer_client, officer):
    job = ImportJob.objects.create(
        kind="children", original_name="x.xlsx", uploaded_by=officer, status="running", progress=40
    )
    response = officer_client.get(reverse("imports:progress", args=[job.pk]))
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html and "40%" in html and "HX-Refresh" not in response


def test_it_runs_an_import_task_only_once(officer, group_a, tmp_path):
    from imports.services import import_job_check, import_job_create, import_job_run
    from imports.tasks import import_run_task

    job = import_job_create(
        kind="households",
        name="h.csv",
        data=csv_bytes(HOUSEHOLD_HEADERS, household_rows(2)),
        user=officer,
    )
    import_job_check(job=job)
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    import_run_task.delay(job.pk)
    import_run_task.delay(job.pk)  # delivered twice: the second finds it done
    assert Household.objects.count() == 2
    assert ImportJob.objects.get().status == "done"
    assert import_job_run(job=job).status == "done"


def test_it_saves_nothing_when_data_changed_since_the_preview(
    officer_client, group_a, django_capture_on_commit_callbacks
):
    _upload(officer_client, "households", "ho.csv", csv_bytes(HOUSEHOLD_HEADERS, household_rows(2)))
    job = ImportJob.objects.get()
    group_a.delete()  # the group is gone between the preview and the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "failed" and job.count_error == 2
    assert Household.objects.count() == 0


def test_it_lists_every_import_with_who_and_counts(
    officer_client, group_a, django_assert_max_num_queries
):
    for n in range(3):
        _upload(
            officer_client,
            "households",
            f"ho{n}.csv",
            csv_bytes(HOUSEHOLD_HEADERS, household_rows(2)),
        )
    # session, user, profile (role), count, jobs with uploader, menu role lookups
    with django_assert_max_num_queries(8):
        page = officer_client.get(reverse("imports:list")).content.decode()
    assert "ho0.csv" in page and "ho2.csv" in page and "vhxh" not in page or "An" in page


def test_it_lists_in_the_same_queries_for_3_and_30_jobs(officer_client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n):
        ImportJob.objects.bulk_create(
            ImportJob(kind="households", original_name=f"h{i}.csv", uploaded_by=officer)
            for i in range(n)
        )
        with CaptureQueriesContext(connection) as ctx:
            officer_client.get(reverse("imports:list"))
        return len(ctx.captured_queries)

    assert count(3) == count(27)


@pytest.mark.parametrize(
    "role", ["leadership", "health", "police", "finance", "collaborator", "mass_org"]
)
def test_it_forbids_imports_to_other_roles(client, personas, role, officer):
    job = ImportJob.objects.create(kind="households", original_name="h.csv", uploaded_by=officer)
    client.force_login(personas[role])
    for url in (
        reverse("imports:list"),
        reverse("imports:detail", args=[job.pk]),
        reverse("imports:progress", args=[job.pk]),
        reverse("imports:template", args=["children"]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 403
    response = client.post(
        reverse("imports:upload"), {"kind": "households", "file": upload("h.csv", b"x")}
    )
    assert response.status_code == 403
    assert ImportJob.objects.count() == 1


def test_it_sends_anonymous_users_to_login(client):
    assert client.get(reverse("imports:list")).status_code == 302


@pytest.mark.parametrize("kind", ["households", "children", "businesses", "attendance"])
def test_it_offers_templates_with_vietnamese_headers_and_a_guide(officer_client, kind):
    from imports.resources import RESOURCES

    response = officer_client.get(reverse("imports:template", args=[kind]))
    wb = load_workbook(io.BytesIO(response.content))
    data, guide = wb.worksheets
    headers = [c.value for c in data[1]]
    assert headers == [str(c.header) for c in RESOURCES[kind].columns]
    assert data.cell(row=1, column=1).comment is not None
    assert guide.title == "Hướng dẫn" and "dd/mm/yyyy" in " ".join(
        str(c.value) for row in guide for c in row
    )


def test_it_imports_the_template_example_rows(
    officer_client, group_a, django_capture_on_commit_callbacks
):
    """The example rows of the templates are valid: households first, then children."""
    for kind in ("households", "children"):
        wb_bytes = officer_client.get(reverse("imports:template", args=[kind])).content
        _upload(officer_client, kind, f"mau-{kind}.xlsx", wb_bytes)
        job = ImportJob.objects.latest("pk")
        assert job.count_new == 1, (job.message, job.errors)
        with django_capture_on_commit_callbacks(execute=True):
            officer_client.post(reverse("imports:confirm", args=[job.pk]))
    assert Child.objects.get().household.code == "HGD-01-001"


# --- exports ---------------------------------------------------------------------------


@pytest.fixture
def register(group_a, group_b):
    ha = HouseholdFactory(code="HGD-A1", head_name="Nguyễn Văn An", group=group_a)
    hb = HouseholdFactory(code="HGD-B1", head_name="Lê Văn Bình", group=group_b)
    ChildFactory(
        full_name="Nguyễn Thị Hoa", household=ha, birth_date=dt.date(2015, 3, 1), sex="female"
    )
    ChildFactory(
        full_name="Nguyễn Văn Tùng", household=ha, birth_date=dt.date(2010, 3, 1), sex="male"
    )
    ChildFactory(full_name="Lê Thị Cúc", household=hb, birth_date=dt.date(2012, 3, 1), sex="female")
    BusinessFactory(code="CS-A", name="Xưởng gỗ An Phát", group=group_a)
    BusinessFactory(code="CS-B", name="Xưởng sơn Bình Minh", group=group_b)


def _csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_it_exports_children_in_scope_and_logs_it(client, officer, register):
    client.force_login(officer)
    response = client.get(reverse("imports:export_children"), {"format": "csv"})
    rows = _csv(response)
    assert rows[0][:4] == ["Họ và tên", "Giới tính", "Ngày sinh", "Mã hộ"]
    assert {r[0] for r in rows[1:]} == {"Nguyễn Thị Hoa", "Nguyễn Văn Tùng", "Lê Thị Cúc"}
    log = AccessLog.objects.get()
    assert log.action == "export" and log.user == officer and "trẻ em" in log.detail


def test_it_exports_only_the_collaborators_group(client, ctv_a, register):
    client.force_login(ctv_a)
    for name, expected in (
        ("export_children", {"Nguyễn Thị Hoa", "Nguyễn Văn Tùng"}),
        ("export_households", {"HGD-A1"}),
        ("export_businesses", {"CS-A"}),
    ):
        rows = _csv(client.get(reverse(f"imports:{name}"), {"format": "csv"}))
        assert {r[0] for r in rows[1:]} == expected, name
        # Asking for another group's rows gives nothing, not a leak.
        rows = _csv(client.get(reverse(f"imports:{name}"), {"format": "csv", "group": "TDP-08"}))
        assert rows[1:] == []
    assert AccessLog.objects.filter(user=ctv_a, action="export").count() == 6


def test_it_exports_the_filtered_list_as_xlsx(client, officer, register):
    client.force_login(officer)
    response = client.get(reverse("imports:export_households"), {"format": "xlsx", "q": "binh"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [r[0] for r in ws.iter_rows(values_only=True)] == ["Mã hộ", "HGD-B1"]
    assert 'filename="ho-gia-dinh-' in response["Content-Disposition"]


def test_it_exports_in_a_fixed_number_of_queries(
    client, officer, register, django_assert_num_queries
):
    client.force_login(officer)
    # session, user, profile; children with household and group; their special groups;
    # the ids exported (named in the access log; its content type is cached, see conftest.py);
    # the access-log insert
    with django_assert_num_queries(7):
        client.get(reverse("imports:export_children"), {"format": "csv"})


def test_it_round_trips_an_export_into_an_unchanged_import(client, officer, register):
    client.force_login(officer)
    for kind, name in (
        ("households", "export_households"),
        ("children", "export_children"),
        ("businesses", "export_businesses"),
    ):
        data = client.get(reverse(f"imports:{name}"), {"format": "xlsx"}).content
        _upload(client, kind, f"{kind}.xlsx", data)
        job = ImportJob.objects.latest("pk")
        assert job.count_unchanged == job.total_rows > 0, (kind, job.message, job.errors)


@pytest.mark.parametrize("name", ["export_households", "export_children", "export_businesses"])
def test_it_forbids_list_exports_to_finance(client, finance, register, name):
    client.force_login(finance)
    assert client.get(reverse(f"imports:{name}")).status_code == 403
    assert AccessLog.objects.count() == 0


def test_it_gives_finance_aggregates_without_names(client, finance, register):
    client.force_login(finance)
    response = client.get(reverse("imports:export_aggregates"), {"format": "csv"})
    text = response.content.decode("utf-8")
    for personal in ("Nguyễn", "Lê Thị", "HGD-A1", "Xưởng"):
        assert personal not in text
    rows = list(csv.reader(io.StringIO(text[1:])))
    children = [r for r in rows if len(r) == 4 and r[0] in ("TDP-01", "TDP-08")]
    assert sum(int(r[3]) for r in children) == 3
    assert ["TDP-01", "16–17", "Nam", "1"] in children
    assert AccessLog.objects.get().user == finance


def test_it_limits_a_collaborators_aggregates_to_their_group(client, ctv_a, register):
    client.force_login(ctv_a)
    wb = load_workbook(io.BytesIO(client.get(reverse("imports:export_aggregates")).content))
    groups = {r[0] for ws in wb.worksheets for r in list(ws.iter_rows(values_only=True))[1:]}
    assert groups == {"TDP-01"}


def test_it_rejects_an_unknown_format(client, officer):
    client.force_login(officer)
    assert client.get(reverse("imports:export_children"), {"format": "pdf"}).status_code == 404


def test_it_offers_the_filtered_list_for_export_to_the_roles_that_may_take_it(
    client, officer, finance
):
    client.force_login(officer)
    html = client.get(reverse("children:list"), {"q": "an", "page": "2"}).content.decode()
    assert "/nhap-du-lieu/xuat/tre-em/?format=xlsx&amp;q=an" in html
    client.force_login(finance)
    assert client.get(reverse("inspections:business_list")).status_code in (403, 404)
