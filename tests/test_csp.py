"""The Content-Security-Policy allows no inline style or script: every style is in static/css."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
# Rendered by WeasyPrint into PDFs, never served to a browser: the CSP does not apply.
PDF_TEMPLATES = ("pdf/",)
INLINE_STYLE = re.compile(r"""<style[\s>]|\sstyle\s*=\s*["']""", re.IGNORECASE)


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.mark.parametrize("who", [None, "case_officer"])
def test_it_sends_a_csp_without_unsafe_inline(client, personas, who):
    if who:
        client.force_login(personas[who])
    response = client.get(reverse("home") if who else reverse("login"))
    assert response.status_code == 200
    csp = _directives(response)
    assert csp["style-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_it_keeps_no_inline_style_in_the_pages_served_to_browsers():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT / "templates").as_posix()
        if any(part in relative for part in PDF_TEMPLATES):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_STYLE.search(line):
                offenders.append(f"templates/{relative}:{number}")
    assert not offenders, "inline styles (blocked by the CSP; use static/css): " + ", ".join(
        offenders
    )


@pytest.mark.parametrize("progress,step", [(0, 0), (37, 7), (100, 20)])
def test_it_draws_the_import_progress_with_a_css_class(db, progress, step):
    from imports.models import ImportJob

    job = ImportJob(pk=1, progress=progress, status="checking")
    html = render_to_string("imports/_progress.html", {"job": job})
    assert f"progress-w-{step}" in html
    css = (ROOT / "static/css/app.css").read_text()
    assert f".progress-w-{step} {{ width: {step * 5}%; }}" in css
