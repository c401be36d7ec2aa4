"""HTML → PDF with WeasyPrint, in the official layout (Nghị định 30/2020).

Templates extend templates/pdf/base.html, which embeds the vendored Liberation Serif TTF (a full
font: subset woff2 files make WeasyPrint draw Vietnamese diacritics as wrong glyphs) and sets
A4 margins and page numbers from page 2."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def pdf_context(extra: dict | None = None) -> dict:
    return {
        "FONT_DIR_URL": FONT_DIR.as_uri(),
        "WARD_NAME": settings.WARD_NAME,
        "WARD_NAME_UPPER": settings.WARD_NAME.upper(),
        "PROVINCE_NAME": settings.PROVINCE_NAME,
        "SIGNER_NAME": settings.SIGNER_NAME,
        "SIGNER_TITLE": settings.SIGNER_TITLE,
        "SIGNER_PREFIX": settings.SIGNER_PREFIX,
        **(extra or {}),
    }


def render_html(template_name: str, context: dict) -> str:
    # Official documents are Vietnamese even when the user reads the site in English: choice
    # labels and dates rendered into the PDF must not follow the UI language.
    with translation.override("vi"):
        return render_to_string(template_name, pdf_context(context))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template_name, context))
