"""Template rules that every page relies on."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# {{ obj.pk }} is localized like any number: 1234 would render as "1.234" in Vietnamese and
# break every link, form value and htmx target once a table passes a thousand rows.
RAW_ID = re.compile(r"\{\{ *[\w.]*\.(pk|id) *(\}\}|\|(?!unlocalize|stringformat))")


def test_it_never_prints_a_database_id_with_thousand_separators():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{n}"
        for path in TEMPLATES.rglob("*.html")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if RAW_ID.search(line)
    ]
    assert not offenders, f"use |unlocalize on ids: {offenders}"


def test_it_renders_ids_above_a_thousand_without_separators(client, officer):
    from django.urls import reverse

    from .factories import ChildFactory

    child = ChildFactory(pk=12345)
    client.force_login(officer)
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "#12345" in html and "12.345" not in html
