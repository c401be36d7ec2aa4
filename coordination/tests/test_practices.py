"""The good-practice library (issue 15 point 5): every staff role reads, the officer curates,
the report cites the practices shared in its period."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.models import Practice
from dongnguyen.models import Agency
from reports import mgmt
from reports.periods import Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _practice(officer, **kw):
    kw.setdefault("title", "Tủ sách cho trẻ em làng nghề")
    kw.setdefault("description", "Tổ dân phố mở tủ sách và lớp học hè cho con em các hộ làm mộc.")
    kw.setdefault("shared_on", TODAY - dt.timedelta(days=3))
    return services.practice_save(practice=Practice(**kw), by=officer)


def test_a_practice_belongs_to_a_group_or_an_agency(officer, group_a):
    with pytest.raises(ValidationError) as err:
        _practice(officer)
    assert "group" in err.value.error_dict
    assert _practice(officer, group=group_a).owner_name == "TDP-01 Thanh Bình"
    hoi = Agency.objects.get(code="hoiphunu")
    assert _practice(officer, agency=hoi).owner_name == hoi.name


def test_only_the_officer_curates(leader, ctv_a, group_a):
    for user in (leader, ctv_a):
        with pytest.raises(ValidationError):
            _practice(user, group=group_a)


def test_every_staff_role_reads_it_with_its_attachment(client, personas, officer, group_a):
    p = services.practice_save(
        practice=Practice(
            title="Cam kết không sử dụng lao động trẻ em",
            description="Các xưởng mộc ký cam kết tại buổi họp tổ.",
            group=group_a,
            tags=",cam kết,làng nghề,",
        ),
        by=officer,
        attachment=SimpleUploadedFile("mau-cam-ket.pdf", b"%PDF-1.4 mau", "application/pdf"),
    )
    attachment = p.attachments.get()
    for role, user in personas.items():
        client.force_login(user)
        page = client.get(reverse("coordination:practice_list")).content.decode()
        assert "Cam kết không sử dụng lao động trẻ em" in page, role
        response = client.get(reverse("coordination:practice_file", args=[attachment.pk]))
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == b"%PDF-1.4 mau"


def test_the_list_finds_by_tag_and_by_words(client, officer, group_a, group_b):
    _practice(officer, group=group_a, title="Tủ sách", tags=",học tập,")
    _practice(
        officer,
        group=group_b,
        title="Loa phát thanh tổ",
        tags=",tuyên truyền,",
        description="Phát thanh luật lao động mỗi sáng thứ Hai.",
    )
    client.force_login(officer)
    page = client.get(reverse("coordination:practice_list"), {"tag": "Tuyên truyền"})
    body = page.content.decode()
    assert "Loa phát thanh tổ" in body and "Tủ sách" not in body
    body = client.get(reverse("coordination:practice_list"), {"q": "sách"}).content.decode()
    assert "Tủ sách" in body and "Loa phát thanh tổ" not in body


def test_the_form_stores_tags_and_refuses_a_bad_file(client, officer, group_a):
    client.force_login(officer)
    response = client.post(
        reverse("coordination:practice_create"),
        {
            "title": "Lớp học hè",
            "group": group_a.pk,
            "description": "Mô tả",
            "shared_on": TODAY.strftime("%d/%m/%Y"),
            "tags_input": "Học tập,  làng nghề , học tập",
            "attachment": SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert response.status_code == 200 and not Practice.objects.exists()
    assert "Lớp học hè" in response.content.decode()
    response = client.post(
        reverse("coordination:practice_create"),
        {
            "title": "Lớp học hè",
            "group": group_a.pk,
            "description": "Mô tả",
            "shared_on": TODAY.strftime("%d/%m/%Y"),
            "tags_input": "Học tập,  làng nghề , học tập",
        },
    )
    assert response.status_code == 302
    assert Practice.objects.get().tag_list == ["học tập", "làng nghề"]


def test_the_report_cites_the_practices_shared_in_its_period(officer, group_a):
    _practice(officer, group=group_a, title="Tủ sách", shared_on=TODAY - dt.timedelta(days=40))
    _practice(officer, group=group_a, title="Loa phát thanh tổ")
    p = Period(TODAY - dt.timedelta(days=10), TODAY, "x")
    assert [x["title"] for x in mgmt.practices(p)] == ["Loa phát thanh tổ"]


def test_the_practice_list_costs_the_same_queries_for_more_rows(
    client, officer, group_a, django_assert_max_num_queries
):
    client.force_login(officer)
    _practice(officer, group=group_a)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("coordination:practice_list"))
    for n in range(10):
        _practice(officer, agency=Agency.objects.get(code="mttq"), title=f"Mô hình {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("coordination:practice_list")).status_code == 200
