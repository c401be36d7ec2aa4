"""The case sheet names jobs as the catalogue does, never by their codes."""

import subprocess

from django.urls import reverse

from children import services
from tests.factories import ChildFactory, WorkRecordFactory


def test_it_prints_job_names_not_codes_on_the_case_sheet(client, officer, tmp_path):
    child = ChildFactory(full_name="Lê Thị Hoa")
    WorkRecordFactory(child=child, job_code="other_general")
    case = services.case_open(child=child, by=officer, summary="Trẻ chà nhám đồ gỗ")
    client.force_login(officer)
    response = client.get(reverse("children:case_sheet", args=[case.pk]))
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    text = " ".join(out.stdout.split())
    assert "Công việc khác" in text
    assert "other_general" not in text
