def test_it_lets_an_officer_log_in_see_the_home_page_and_switch_language(journey, demo_ward):
    journey.goto("/dang-nhap/")
    journey.check("login page")
    journey.login("vhxh")
    assert "Xin chào" in journey.page.content()
    journey.check("home case officer")
    with journey.page.expect_navigation():  # the select submits its form on change
        journey.page.select_option("#lang-select", "en")
    assert journey.page.locator("html").get_attribute("lang") == "en"


def test_it_keeps_a_collaborator_inside_their_group(journey, demo_ward):
    from households.models import Household

    other = Household.objects.exclude(group__code="TDP-01").first()
    journey.login("ctv1")
    journey.check("home collaborator")
    if other is not None:
        response = journey.page.goto(journey.base + f"/ho-gia-dinh/{other.pk}/")
        assert response.status == 404
        assert "Không tìm thấy" in journey.page.content()
