"""Every UI string goes through gettext with a Vietnamese msgid; English comes from
locale/en. These tests keep the English catalogue complete and catch new untranslated text."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .factories import HouseholdFactory

BASE = Path(settings.BASE_DIR)
EN_PO = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|%%|\{\w*\}")


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return bytes(body, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _po_entries(path: Path) -> list[dict]:
    """A minimal .po reader: flags, msgctxt, msgid, msgid_plural and msgstr[n] of each entry."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": "", "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if isinstance(field, int):
                entry["msgstr"][field] += _unquote(line)
            else:
                entry[field] += _unquote(line)
        else:
            keyword = line.split(" ", 1)[0]
            if keyword.startswith("msgstr"):
                field = int(keyword[7:-1]) if "[" in keyword else 0
                entry["msgstr"][field] = _unquote(line)
            else:
                field = keyword
                entry[field] = _unquote(line)
    return [e for e in entries if e["msgid"]]


@pytest.fixture(scope="module")
def english():
    return _po_entries(EN_PO)


def test_it_has_an_english_translation_for_every_msgid(english):
    assert len(english) > 1000
    missing = [e["msgid"] for e in english if not all(e["msgstr"].values())]
    assert missing == []
    fuzzy = [e["msgid"] for e in english if "fuzzy" in e["flags"]]
    assert fuzzy == []


def test_it_keeps_placeholders_in_the_english_text(english):
    for e in english:
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for n, text in e["msgstr"].items():
            source = sources[min(n, 1)]
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), e[
                "msgid"
            ]


def test_it_ships_compiled_catalogues():
    # A fresh machine has no msgfmt: the .mo files in the repository are what it runs.
    for lang in ("en", "vi"):
        po = BASE / "locale" / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert mo.exists()
        assert mo.stat().st_size > 100


def _switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_it_shows_the_home_page_and_menu_in_english_after_switching(client, officer):
    client.force_login(officer)
    _switch_to_english(client)
    response = client.get(reverse("home"))
    html = response.content.decode()
    labels = {str(item["label"]) for item in response.context["nav_menu"]}
    assert {"Home", "Children", "Households"} <= labels
    assert "Hộ gia đình" not in html
    assert "Hello" in html


def test_it_shows_a_list_page_in_english(client, officer):
    HouseholdFactory.create_batch(2)
    client.force_login(officer)
    _switch_to_english(client)
    html = client.get(reverse("households:list")).content.decode()
    assert "Add household" in html
    assert "Total: 2 households" in html
    assert "Thêm hộ" not in html


def test_it_shows_a_form_and_its_errors_in_english(client, officer):
    client.force_login(officer)
    _switch_to_english(client)
    html = client.get(reverse("households:create")).content.decode()
    assert "Add a household" in html
    assert "Head of household" in html
    assert ">Cancel<" in html
    response = client.post(reverse("households:create"), {"code": "", "phone": "12"})
    html = response.content.decode()
    assert "The phone number must have 10 digits" in html


def test_it_switches_back_to_vietnamese(client, officer):
    client.force_login(officer)
    _switch_to_english(client)
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    labels = {str(i["label"]) for i in client.get(reverse("home")).context["nav_menu"]}
    assert "Hộ gia đình" in labels


def test_it_translates_period_labels_and_service_errors():
    from reports.periods import PeriodError, parse_period

    with translation.override("en"):
        assert parse_period("2026-Q1").label == "Quarter I, 2026"
        assert parse_period("2026-H2").label == "Second half of 2026"
        with pytest.raises(PeriodError, match="Invalid period"):
            parse_period("soon")
    with translation.override("vi"):
        assert parse_period("2026-Q1").label == "Quý I năm 2026"


def test_it_keeps_the_cancel_button_and_the_cancelled_status_apart():
    from inspections.models import Inspection

    with translation.override("en"):
        assert str(Inspection.Status.CANCELLED.label) == "Cancelled"
        assert translation.gettext("Hủy") == "Cancel"


def test_it_renders_official_pdfs_in_vietnamese_whatever_the_ui_language(db):
    # The PDF context carries the ward (its name, signer): read from the database.
    from dongnguyen.pdf import render_html

    with translation.override("en"):
        html = render_html("500.html", {})
        assert translation.get_language() == "en"
    assert "Đã xảy ra lỗi hệ thống" in html


# -- regressions: Vietnamese text that bypasses gettext ---------------------------------------

TRANS_BLOCK = re.compile(r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", re.S)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)


def _untranslated_lines(text: str) -> list[str]:
    text = COMMENT_BLOCK.sub("", text)
    text = TRANS_BLOCK.sub("", text)
    text = re.sub(r"{#.*?#}", "", text, flags=re.S)
    # Every other tag goes too: {% trans "…" %} is translated, and strings inside other tags
    # ({% url %}, filters' arguments) are not shown as text.
    text = re.sub(r"{%.*?%}", "", text, flags=re.S)
    text = re.sub(r"_\((\"[^\"]*\"|'[^']*')\)", "", text)  # {{ x|yesno:_("Có,Không") }}
    return [line.strip() for line in text.splitlines() if VIETNAMESE.search(line)]


def _is_official_document(path: Path) -> bool:
    # Official documents (Nghị định 30 layout) stay Vietnamese in any UI language.
    return "pdf" in path.relative_to(BASE / "templates").parts


def test_it_finds_vietnamese_outside_trans_tags_in_a_sample():
    sample = (
        '{% trans "Lưu" %}{% blocktrans with n=x %}Còn {{ n }} trẻ{% endblocktrans %}'
        '{{ x|yesno:_("Có,Không") }}\n<p>Xóa</p>'
    )
    assert _untranslated_lines(sample) == ["<p>Xóa</p>"]


def test_it_has_no_untranslated_vietnamese_in_templates():
    found = {}
    for path in sorted((BASE / "templates").rglob("*.html")):
        if _is_official_document(path):
            continue
        lines = _untranslated_lines(path.read_text(encoding="utf-8"))
        if lines:
            found[str(path.relative_to(BASE))] = lines
    assert found == {}


# Calls and keywords whose string argument the user reads.
MESSAGE_CALLS = {"success", "error", "warning", "info"}
USER_FACING_CALLS = {"ValidationError", "PermissionDenied", *MESSAGE_CALLS}
USER_FACING_KEYWORDS = {"verbose_name", "verbose_name_plural", "label", "help_text", "description"}
APPS = ["children", "dongnguyen", "households", "imports", "inspections", "outreach", "reports"]


def _raw_vietnamese(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(VIETNAMESE.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_raw_vietnamese(v) for v in node.values)
    if isinstance(node, ast.Dict):
        return any(_raw_vietnamese(v) for v in node.values)
    return False


def test_it_has_no_untranslated_vietnamese_in_user_facing_python():
    found = []
    for app in APPS:
        for path in sorted((BASE / app).rglob("*.py")):
            if {"migrations", "tests", "management"} & set(path.parts) or "demo" in path.stem:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                on_messages = getattr(node.func, "value", None)
                if name in MESSAGE_CALLS and getattr(on_messages, "id", "") != "messages":
                    continue  # a logger's .warning(), not a message to the user
                args = list(node.args) if name in USER_FACING_CALLS else []
                args += [k.value for k in node.keywords if k.arg in USER_FACING_KEYWORDS]
                if any(_raw_vietnamese(a) for a in args):
                    found.append(f"{path.relative_to(BASE)}:{node.lineno}")
    assert found == []


def test_it_translates_module_level_text_lazily():
    """gettext() at import time freezes the text in the language active then (Vietnamese):
    module- and class-level text must use gettext_lazy."""
    eager_names = {"gettext", "ngettext", "pgettext"}
    found = []

    def visit(node, path, eager, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            )
            called = getattr(getattr(child, "func", None), "id", None)
            if not in_function and isinstance(child, ast.Call) and called in eager:
                found.append(f"{path.relative_to(BASE)}:{child.lineno}")
            visit(child, path, eager, inside)

    for app in APPS:
        for path in sorted((BASE / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            eager = {
                alias.asname or alias.name
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
                for alias in node.names
                if alias.name in eager_names
            }
            if eager:
                visit(tree, path, eager, False)
    assert found == []
