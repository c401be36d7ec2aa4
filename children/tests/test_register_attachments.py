"""Attachments on the child detail page: the child's own documents, uploaded from there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from children.models import Attachment, Referral
from tests.factories import CaseFactory, ChildFactory, HouseholdFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def child(group_a):
    return ChildFactory(household=HouseholdFactory(group=group_a))


def test_it_uploads_a_document_from_the_child_page_and_lists_it(client, ctv_a, child):
    client.force_login(ctv_a)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert reverse("children:attachment_upload") in page
    assert f'name="child" value="{child.pk}"' in page
    response = client.post(
        reverse("children:attachment_upload"),
        {
            "child": child.pk,
            "kind": "school_letter",
            "description": "Giấy xác nhận của trường",
            "file": SimpleUploadedFile("Thư nhà trường.pdf", PDF),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("children:detail", args=[child.pk])
    att = Attachment.objects.get()
    body = response.content.decode()
    assert "Thư nhà trường.pdf" in body and "Giấy xác nhận của trường" in body
    assert reverse("children:attachment_download", args=[att.pk]) in body


def test_it_lists_only_the_childs_own_documents_not_those_of_a_case(client, officer, child):
    case = CaseFactory(child=child)
    Attachment.objects.create(
        child=child, case=case, kind="minutes", original_name="bien-ban-ho-so.pdf", size=10
    )
    Attachment.objects.create(child=child, kind="photo", original_name="anh-tre.png", size=10)
    client.force_login(officer)
    body = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "anh-tre.png" in body and "bien-ban-ho-so.pdf" not in body


@pytest.mark.parametrize(
    ("role", "form_shown", "list_shown"),
    [
        ("case_officer", True, True),
        ("collaborator", True, True),
        ("leadership", False, True),
        # A referred child: mass organisations see the needs, never the documents.
        ("mass_org", False, False),
    ],
)
def test_it_shows_the_upload_form_only_to_roles_that_may_upload(
    client, personas, officer, child, role, form_shown, list_shown
):
    Referral.objects.create(
        child=child, agency=personas["mass_org"].profile.agency, referred_by=officer
    )
    Attachment.objects.create(child=child, kind="photo", original_name="anh-tre.png", size=10)
    client.force_login(personas[role])
    response = client.get(reverse("children:detail", args=[child.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert (reverse("children:attachment_upload") in body) is form_shown
    assert ("anh-tre.png" in body) is list_shown
