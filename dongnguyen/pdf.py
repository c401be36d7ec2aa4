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
    """The issuer and signer are the document's ward (`ward` in the context; default the
    first ward, whose values the WARD_*/SIGNER_* settings gave)."""
    from dongnguyen.models import Ward

    ward = (extra or {}).get("ward") or Ward.first()
    return {
        "FONT_DIR_URL": FONT_DIR.as_uri(),
        "WARD_NAME": ward.name,
        "WARD_NAME_UPPER": ward.name.upper(),
        "PROVINCE_NAME": ward.province_name,
        "SIGNER_NAME": ward.signer_name,
        "SIGNER_TITLE": ward.signer_title,
        "SIGNER_PREFIX": ward.signer_prefix,
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
