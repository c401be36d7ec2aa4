"""Template rules that every page relies on."""


def test_it_groups_digits_only_where_a_template_asks_for_it(settings):
    # Automatic grouping would print ids in links and form values as "1.234" and years as
    # "2.026"; amounts use |intcomma instead.
    assert settings.USE_THOUSAND_SEPARATOR is False


def test_it_renders_ids_above_a_thousand_without_separators(client, officer):
    from django.urls import reverse

    from .factories import ChildFactory

    child = ChildFactory(pk=12345)
    client.force_login(officer)
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "#12345" in html and "12.345" not in html
