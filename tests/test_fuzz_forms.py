"""Hostile text into every form of the project: no 500, nothing stored unescaped.

The forms are not listed by hand: each page of the access matrix is opened by a role allowed to
use it, every POST form found in its HTML is filled (free-text fields with hypothesis' hostile
text, the other fields with what the page offers) and sent back. A form added to any page is
fuzzed without touching this file. Every example runs inside a savepoint that is rolled back,
so the same small world serves all of them.
"""

import datetime
import unicodedata
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_access_matrix import MATRIX, make_world

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
NASTY = [
    XSS,
    "<b>đậm</b> & <i>nghiêng</i>",
    "'; DROP TABLE households_household; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM children_child WHERE ('1'='1",
    "%s %d {0} {{ x }} {% if %}",
    "\x00",
    "Nguyễn\x00Văn A",
    "\u202eẢnh\u202c",  # right-to-left override
    "\u200b\u200c\u200d\ufeff",  # zero-width characters
    "Z̴̡̛a̷l̸g̶o̵",  # stacked combining marks
    "👨‍👩‍👧‍👦 🧒🏽 🇻🇳",
    unicodedata.normalize("NFD", "Nguyễn Thị Hương, Đồng Kỵ"),  # decomposed Vietnamese
    "\r\n\t  ",
    "\ud7ff\ue000\U0010fffd",
    "a" * 10_000,
    "Nguyễn " * 1500,
    "",
]
HOSTILE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.lists(st.sampled_from(NASTY[:14]), min_size=1, max_size=4).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40).map(lambda s: s * 300),
)

# Pages whose forms are fuzzed, and the role that opens them (one allowed by the matrix).
# The rest of the matrix is lists, downloads, polling partials and POST-only endpoints whose
# forms live on these pages (screening record, case steps, referrals… on the detail pages).
PAGES = {
    "households:create": "case_officer",
    "households:edit": "case_officer",
    "households:detail": "case_officer",
    "households:caregiver_add": "case_officer",
    "households:caregiver_edit": "case_officer",
    "children:create": "case_officer",
    "children:edit": "case_officer",
    "children:risk": "case_officer",
    "children:detail": "case_officer",
    "children:screening": "collaborator",
    "children:workrecord_add": "case_officer",
    "children:workrecord_edit": "case_officer",
    "children:workrecord_detail": "case_officer",
    "children:public_tip": None,
    "children:public_tip_status": None,
    "children:intake_create": "case_officer",
    "children:intake_create@collaborator": "collaborator",
    "children:intake_detail": "case_officer",
    "children:case_detail": "case_officer",
    "children:case_assess": "case_officer",
    "children:case_plan": "case_officer",
    "children:case_close": "case_officer",
    "children:followup_create": "case_officer",
    "children:support_create": "health",
    "children:tasks": "health",
    "inspections:business_create": "case_officer",
    "inspections:business_edit": "police",
    "inspections:business_commitment": "case_officer",
    "inspections:household_commitment": "collaborator",
    "inspections:inspection_plan": "police",
    "inspections:inspection_record": "police",
    "inspections:inspection_detail": "police",
    "inspections:minor_add": "police",
    "inspections:violation_add": "police",
    "inspections:violation_edit": "case_officer",
    "outreach:session_create": "collaborator",
    "outreach:session_edit": "case_officer",
    "outreach:training_create": "case_officer",
    "outreach:training_edit": "case_officer",
    "reports:report_create": "case_officer",
    "reports:report_detail": "leadership",
    "reports:dashboard": "case_officer",
    "imports:list": "case_officer",
    "imports:detail": "case_officer",
}
SKIP_ACTIONS = {"logout", "set_language"}
# Pages read for the forms they may carry (htmx buttons, state changes) rather than for one
# form of their own: no form there is not a failure.
BROWSED = {
    "children:detail",
    "children:workrecord_detail",
    "children:case_detail",
    "children:intake_detail",
    "children:tasks",
    "households:detail",
    "inspections:inspection_detail",
    "imports:detail",
    "reports:dashboard",
    "reports:report_detail",
}


class _Forms(HTMLParser):
    """The POST forms of a page: action, enctype and their fields as the browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = {
                    "action": a.get("action", ""),
                    "fields": [],
                    "enctype": a.get("enctype", ""),
                }
                self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))
            return
        if self._form is None or not a.get("name") or "disabled" in a:
            return
        if tag == "input":
            self._form["fields"].append(
                {"tag": "input", **a, "type": a.get("type", "text").lower()}
            )
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", **a, "value": ""}
            self._form["fields"].append(self._textarea)
        elif tag == "select":
            self._select = {"tag": "select", **a, "options": [], "selected": []}
            self._form["fields"].append(self._select)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: str, page_url: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    out = []
    for form in parser.forms:
        action = form["action"] or page_url
        path = urlparse(action).path or page_url
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.url_name in SKIP_ACTIONS:
            continue
        out.append({**form, "url": path, "name": match.view_name})
    return out


def _today() -> str:
    return datetime.date.today().strftime("%d/%m/%Y")


def fill(form: dict, text: str, *, everything: bool = False) -> dict:
    """A POST body: hostile `text` in the free-text fields (every field if `everything`), the
    rest as the page offers it (selected option, else the first real one; dates valid)."""
    data: dict[str, list] = {}

    def put(name, value):
        data.setdefault(name, []).append(value)

    radios_done = set()
    for f in form["fields"]:
        name, kind = f["name"], f.get("type", f["tag"])
        if name == "csrfmiddlewaretoken":
            continue
        if f["tag"] == "select":
            chosen = [v for v in f["selected"] if v] or [o for o in f["options"] if o][:1] or [""]
            for value in [text] if everything else chosen:
                put(name, value)
        elif kind == "hidden":
            put(name, text if everything and name not in ("started",) else f.get("value", ""))
        elif kind == "checkbox":
            if everything:
                put(name, text)
            elif "checked" in f:
                put(name, f.get("value", "on"))
        elif kind == "radio":
            if name not in radios_done and ("checked" in f or everything):
                put(name, text if everything else f.get("value", ""))
                radios_done.add(name)
        elif kind == "file":
            blob = text.encode("utf-8", "surrogatepass")[:20_000] or b"\x00\xff"
            put(name, SimpleUploadedFile("rác<script>.xlsx", blob, content_type="application/zip"))
        elif kind in ("submit", "button", "image", "reset"):
            continue
        elif name == "website":  # the public form's honeypot: a person leaves it empty
            put(name, "")
        elif everything:
            put(name, text)
        elif "dd/mm/yyyy hh:mm" in f.get("placeholder", ""):
            put(name, f.get("value") or f"{_today()} 08:00")
        elif "dd/mm/yyyy" in f.get("placeholder", "") or kind == "date":
            put(name, f.get("value") or _today())
        elif kind == "number" or f.get("inputmode") in ("numeric", "decimal"):
            put(name, f.get("value") or "1")
        elif kind in ("email",):
            put(name, "a@example.vn")
        else:
            put(name, text)
    # Radio groups with nothing checked: take the first choice.
    for f in form["fields"]:
        if f.get("type") == "radio" and f["name"] not in radios_done:
            put(f["name"], f.get("value", ""))
            radios_done.add(f["name"])
    return data


@pytest.fixture
def world(personas, group_a, group_b, officer, monkeypatch):
    from children.forms_cases import PublicTipForm

    # The public form refuses answers faster than a person types; the fuzzer is not a person.
    monkeypatch.setattr(PublicTipForm, "MIN_SECONDS", 0)
    return make_world(group_a, group_b, officer)


def _open(client, personas, world, page):
    name, _sep, _role = page.partition("@")
    role = PAGES[page]
    rule = MATRIX[name]
    client.logout()
    if role:
        assert role in rule.allow, f"{page}: {role} may not use it"
        client.force_login(personas[role])
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    data = rule.data(world, role) if rule.data else {}
    response = client.get(url, data)
    assert response.status_code == 200, f"{page}: GET {url} → {response.status_code}"
    return url, page_forms(response.content.decode(), url)


def _post(client, form, data):
    if form["enctype"] == "multipart/form-data" or any(
        isinstance(v, SimpleUploadedFile) for vs in data.values() for v in vs
    ):
        return client.post(form["url"], data)
    return client.post(form["url"], data)


def _send(client, form, data):
    """POST in a savepoint that is rolled back: every example starts from the same world."""
    cache.clear()  # rate limits of the public form
    with transaction.atomic():
        response = _post(client, form, data)
        followed = None
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            location = response["Location"]
            if not location.startswith(reverse("login")):
                followed = client.get(location)
        transaction.set_rollback(True)
    return response, followed


def _typed(form) -> bool:
    """Whether a person types anything into the form (not just a button with hidden fields)."""
    return any(
        f["tag"] in ("textarea", "select")
        or f.get("type") not in ("hidden", "submit", "button", "checkbox", "radio")
        for f in form["fields"]
    )


def _markup_absent(form, *responses):
    for shown in responses:
        if shown is None or "html" not in shown.get("Content-Type", ""):
            continue
        body = shown.content.decode()
        assert "<script>alert(1)" not in body, f"{form['name']}: raw script on the page"
        assert "<img src=x onerror" not in body, f"{form['name']}: raw tag on the page"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_it_survives_hostile_text_in_every_form(client, personas, world, page):
    url, forms = _open(client, personas, world, page)
    assert forms or page in BROWSED, f"{page}: no POST form found on {url}"
    # First the plain case: a script typed into every text field is accepted or refused,
    # and never comes back as markup on the page shown next.
    for form in forms:
        response, followed = _send(client, form, fill(form, XSS))
        assert response.status_code < 500, f"{form['name']} → {response.status_code}"
        _markup_absent(form, response, followed)
    typed = [f for f in forms if _typed(f)]
    if not typed:
        return

    @FUZZ
    @given(text=HOSTILE, everything=st.booleans())
    def run(text, everything):
        # The report PDF was rendered for real above and in test_it_renders_hostile_text_in_a_
        # report_pdf; here it would cost a second per example.
        with mock.patch("reports.services.render_report_pdf", return_value=b"%PDF-1.4"):
            send_all(text, everything)

    def send_all(text, everything):
        for form in typed:
            response, followed = _send(client, form, fill(form, text, everything=everything))
            assert response.status_code < 500, f"{form['name']} → {response.status_code}"
            if followed is not None:
                assert followed.status_code < 500, f"{form['name']} → then {followed.status_code}"

    run()


def test_it_shows_a_scripted_name_as_text_on_the_list_and_the_detail(client, officer, group_a):
    from households.models import Household

    client.force_login(officer)
    response = client.post(
        reverse("households:create"),
        {
            "code": "HGD-XSS-1",
            # Names refuse "<" and ">" outright; addresses and notes are free text.
            "head_name": "Nguyễn Văn Hùng",
            "address": "<script>alert(1)</script>",
            "notes": "<img src=x onerror=alert(2)>",
            "group": group_a.pk,
            "poverty_status": "none",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    household = Household.objects.get(code="HGD-XSS-1")
    for url in (reverse("households:list"), reverse("households:detail", args=[household.pk])):
        body = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
        assert "<script>alert(1)" not in body, url
        assert "<img src=x" not in body, url


def test_it_refuses_a_nul_byte_with_a_vietnamese_message(client, officer, group_a):
    from households.models import Household

    client.force_login(officer)
    response = client.post(
        reverse("households:create"),
        {
            "code": "HGD-NUL-1",
            "head_name": "Nguyễn\x00Văn A",
            "address": "Số 1, đường 277",
            "group": group_a.pk,
            "poverty_status": "none",
        },
    )
    assert response.status_code == 200
    assert "ký tự NUL" in response.content.decode()
    assert 'value="HGD-NUL-1"' in response.content.decode()  # what was typed is kept
    assert not Household.objects.filter(code="HGD-NUL-1").exists()


# Query strings of the list and search pages: typed into search boxes, or tampered with.
QUERY_PAGES = {
    "households:list": "case_officer",
    "children:list": "case_officer",
    "children:screening": "collaborator",
    "children:intake_list": "case_officer",
    "children:case_list": "case_officer",
    "inspections:business_list": "police",
    "inspections:inspection_list": "police",
    "inspections:violation_list": "police",
    "inspections:commitment_list": "case_officer",
    "inspections:household_search": "collaborator",
    "outreach:session_list": "case_officer",
    "outreach:household_picker": "collaborator",
    "outreach:business_picker": "collaborator",
    "outreach:coverage": "case_officer",
    "reports:dashboard": "case_officer",
    "reports:finance": "finance",
    "imports:export_children": "case_officer",
}
PARAMS = ["q", "status", "group", "period", "page", "kind", "channel", "next", "code", "child"]


@pytest.mark.parametrize("name", sorted(QUERY_PAGES))
def test_it_survives_hostile_query_strings(client, personas, group_a, name):
    client.force_login(personas[QUERY_PAGES[name]])
    url = reverse(name)

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(params=st.dictionaries(st.sampled_from(PARAMS), HOSTILE, min_size=1, max_size=4))
    def run(params):
        response = client.get(url, params)
        assert response.status_code < 500, f"{name} {params!r} → {response.status_code}"

    run()


def test_it_renders_hostile_text_in_a_report_pdf(world):
    """Difficulties and proposals go into the PDF as typed: markup stays text, odd Unicode and
    very long text do not break WeasyPrint."""
    from reports.services import render_report_pdf

    report = world["report"]
    report.difficulties = "\n".join([XSS, *NASTY[8:14]])
    report.proposals = NASTY[15][:6000] + " " + NASTY[16][:3000]
    pdf = render_report_pdf(report)
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("name", sorted(QUERY_PAGES))
def test_it_survives_a_nul_in_any_query_parameter(client, personas, group_a, name):
    """PostgreSQL refuses NUL in a query: every parameter, one at a time, deterministically."""
    client.force_login(personas[QUERY_PAGES[name]])
    for param in PARAMS:
        for value in ("\x00", "TDP-01\x00", "1\x00"):
            response = client.get(reverse(name), {param: value})
            assert response.status_code < 500, f"{name} ?{param}={value!r}"
