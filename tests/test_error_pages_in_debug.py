"""Issue 18 point 4: the first run (`make run`, DEBUG=1) looks like the product: a page out of
scope or missing answers the ward's Vietnamese 404 page, not Django's English debug page
with the whole URL map; DEBUG_ERROR_PAGES=1 brings the debug pages back for a developer."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import debug

from dongnguyen.middleware import ProductErrorPagesMiddleware
from tests.factories import ChildFactory, HouseholdFactory


@pytest.fixture
def other_groups_child(group_b):
    return ChildFactory(household=HouseholdFactory(group=group_b))


def test_it_shows_the_vietnamese_404_for_another_groups_child_in_debug(
    client, ctv_a, other_groups_child, settings
):
    settings.DEBUG = True
    client.force_login(ctv_a)
    response = client.get(reverse("children:detail", args=[other_groups_child.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy" in html and "nằm ngoài phạm vi bạn được xem" in html
    assert "URLconf" not in html and "DEBUG = True" not in html


def test_it_shows_the_vietnamese_404_for_an_unknown_address_in_debug(client, officer, settings):
    settings.DEBUG = True
    client.force_login(officer)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
    assert "URLconf" not in response.content.decode()


def test_it_keeps_the_debug_page_for_a_developer_who_asks(client, officer, settings):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = True
    client.force_login(officer)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "URLconf" in response.content.decode()


def test_it_shows_the_vietnamese_500_instead_of_the_traceback_in_debug(settings, officer):
    settings.DEBUG = True
    request = RequestFactory().get("/")
    request.user = officer

    def crash(request):
        try:
            raise RuntimeError("bí mật nội bộ")
        except RuntimeError:
            import sys

            return debug.technical_500_response(request, *sys.exc_info())

    response = ProductErrorPagesMiddleware(crash)(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi hệ thống" in html and "bí mật nội bộ" not in html


def test_it_leaves_a_deliberate_404_of_the_app_alone(settings, officer):
    settings.DEBUG = True
    request = RequestFactory().get("/")
    request.user = officer
    own = ProductErrorPagesMiddleware(lambda r: HttpResponse("Mã không đúng", status=404))
    assert own(request).content.decode() == "Mã không đúng"
