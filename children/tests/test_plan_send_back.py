"""Issue 18 point 3: leadership may send a draft plan back with a note instead of approving it."""

from django.contrib.messages import get_messages
from django.urls import reverse

from children.models import Case
from tests.factories import CaseFactory


def _send_back(client, case, note):
    return client.post(
        reverse("children:case_step", args=[case.pk]),
        {"step": "send_back", "version": case.version, "note": note},
    )


def test_it_lets_leadership_send_a_plan_back_with_a_note(client, leader, officer):
    case = CaseFactory(status="plan_drafted")
    client.force_login(leader)
    page = client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    assert "Trả lại, yêu cầu sửa" in page and "Phê duyệt kế hoạch" in page
    response = _send_back(client, case, "Bổ sung hỗ trợ học phí cho cháu")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSED
    event = case.events.last()
    assert (event.from_status, event.note) == ("plan_drafted", "Bổ sung hỗ trợ học phí cho cháu")

    client.force_login(officer)
    page = client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    assert "Kế hoạch bị trả lại bởi" in page
    assert "Bổ sung hỗ trợ học phí cho cháu" in page
    assert "Sửa kế hoạch theo yêu cầu" in page


def test_it_refuses_to_send_a_plan_back_without_saying_what_to_change(client, leader):
    case = CaseFactory(status="plan_drafted")
    client.force_login(leader)
    response = _send_back(client, case, "   ")
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Ghi rõ nội dung yêu cầu sửa" in said
    case.refresh_from_db()
    assert case.status == Case.Status.PLAN_DRAFTED


def test_it_lets_only_leadership_send_a_plan_back(client, officer):
    case = CaseFactory(status="plan_drafted")
    client.force_login(officer)
    assert _send_back(client, case, "Sửa").status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.PLAN_DRAFTED
    page = client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    assert "Trả lại, yêu cầu sửa" not in page


def test_it_offers_no_send_back_once_the_plan_is_approved(client, leader):
    case = CaseFactory(status="plan_approved")
    client.force_login(leader)
    assert _send_back(client, case, "Sửa").status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.PLAN_APPROVED
    page = client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    assert "Trả lại, yêu cầu sửa" not in page
