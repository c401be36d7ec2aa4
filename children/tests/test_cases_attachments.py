"""Attachments: type whitelist, size limit, content sniffing, scope, safe download, log."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from children.models import Attachment
from dongnguyen.models import AccessLog
from tests.factories import CaseFactory, ChildFactory, HouseholdFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def office(kind):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buf.getvalue()


def upload(client, case, name, content, kind="minutes"):
    return client.post(
        reverse("children:attachment_upload"),
        {"case": case.pk, "kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content", "ctype"),
    [
        ("bien-ban.pdf", PDF, "application/pdf"),
        ("anh.PNG", PNG, "image/png"),
        ("anh.jpg", JPG, "image/jpeg"),
        (
            "thu.docx",
            office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "bang.xlsx",
            office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
    # Named by the file: the office files' bytes carry the zip's clock time, and ids made
    # from them differ between the xdist workers' collections (pytest -n refuses to run).
    ids=["pdf", "png", "jpg", "docx", "xlsx"],
)
def test_it_accepts_the_allowed_types_under_a_random_name(client, officer, name, content, ctype):
    case = CaseFactory()
    client.force_login(officer)
    upload(client, case, name, content)
    att = Attachment.objects.get()
    assert att.content_type == ctype and att.original_name == name and att.child == case.child
    assert name.split(".")[0] not in att.file.name and att.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trang.html", b"<html><script>alert(1)</script></html>", "Chỉ nhận tệp PDF"),
        ("anh.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Chỉ nhận tệp PDF"),
        ("gia.pdf", b"<html><script>alert(1)</script></html>", "không đúng với định dạng PDF"),
        ("gia.png", PDF, "không đúng với định dạng PNG"),
        ("gia.docx", office("xlsx"), "không đúng với định dạng DOCX"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip", "không đúng với định dạng XLSX"),
    ],
    ids=["html", "svg", "html-as-pdf", "pdf-as-png", "xlsx-as-docx", "broken-xlsx"],
)
def test_it_refuses_other_types_and_disguised_files(client, officer, name, content, message):
    case = CaseFactory()
    client.force_login(officer)
    response = upload(client, case, name, content)
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(client, officer, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    case = CaseFactory()
    client.force_login(officer)
    response = upload(client, case, "lon.pdf", PDF + b"0" * 2048)
    assert "Tệp quá lớn" in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_downloads_only_as_an_attachment_and_logs_it(client, officer):
    case = CaseFactory()
    client.force_login(officer)
    upload(client, case, "Biên bản kiểm tra.pdf", PDF)
    att = Attachment.objects.get()
    response = client.get(reverse("children:attachment_download", args=[att.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    log = AccessLog.objects.get(action="download")
    assert log.user == officer and log.object_id == str(att.pk)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leadership", 200),
        ("health", 200),
        ("collaborator", 404),
        ("collaborator_b", 404),
        ("mass_org", 404),
        ("finance", 404),
        ("police", 404),
    ],
)
def test_it_lets_only_those_who_see_the_case_download(
    client, personas, officer, group_a, role, status
):
    child = ChildFactory(household=HouseholdFactory(group=group_a))
    case = CaseFactory(child=child)
    client.force_login(officer)
    upload(client, case, "quyet-dinh.pdf", PDF, kind="decision")
    att = Attachment.objects.get()
    client.force_login(personas[role])
    assert client.get(reverse("children:attachment_download", args=[att.pk])).status_code == status
    assert AccessLog.objects.filter(action="download").count() == (1 if status == 200 else 0)


def test_it_lets_a_collaborator_attach_a_school_letter_to_a_child_of_their_group(
    client, ctv_a, ctv_b, group_a
):
    child = ChildFactory(household=HouseholdFactory(group=group_a))
    client.force_login(ctv_a)
    client.post(
        reverse("children:attachment_upload"),
        {"child": child.pk, "kind": "school_letter", "file": SimpleUploadedFile("thu.pdf", PDF)},
    )
    att = Attachment.objects.get()
    assert att.case is None
    assert client.get(reverse("children:attachment_download", args=[att.pk])).status_code == 200
    client.force_login(ctv_b)
    assert client.get(reverse("children:attachment_download", args=[att.pk])).status_code == 404
    r = client.post(
        reverse("children:attachment_upload"),
        {"child": child.pk, "kind": "photo", "file": SimpleUploadedFile("a.png", PNG)},
    )
    assert r.status_code == 404 and Attachment.objects.count() == 1


def test_it_keeps_the_kind_and_description_of_a_refused_file(client, officer):
    """Issue 18 point 6: a rejected attachment used to clear what was typed beside it."""
    case = CaseFactory()
    client.force_login(officer)
    response = client.post(
        reverse("children:attachment_upload"),
        {
            "case": case.pk,
            "kind": "photo",
            "description": "Ảnh xưởng may chụp ngày 12/5",
            "file": SimpleUploadedFile("gia.png", PDF),
        },
        follow=True,
    )
    form = response.context["attachment_form"]
    assert form.initial == {"kind": "photo", "description": "Ảnh xưởng may chụp ngày 12/5"}
    assert 'value="Ảnh xưởng may chụp ngày 12/5"' in response.content.decode()
    again = client.get(reverse("children:case_detail", args=[case.pk]))
    assert again.context["attachment_form"].initial == {}  # shown once, then forgotten
