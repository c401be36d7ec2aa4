"""Issue 18: every form page opens with a page-level help text saying, in the ward's words,
what its fields mean (DOMAIN §7).

The pages are found, not listed: every GET URL of the access matrix is opened by a role that
may use it, and any page holding a POST form with a field to fill in (a text box, a date, a
choice, a file) must carry the help block `data-page-help` with some text in it. A new form
page without one fails here."""

from html.parser import HTMLParser

from django.urls import reverse

from .test_access_matrix import MATRIX, make_world

# Who opens a page: the first of these the page allows (the officer sees the most).
ROLE_ORDER = (
    "case_officer",
    "leadership",
    "collaborator",
    "police",
    "health",
    "mass_org",
    "finance",
)
FILL_IN_INPUTS = {"text", "number", "date", "email", "tel", "file", "password", "search", "url"}


class _FormPage(HTMLParser):
    """Counts the fields to fill in inside the page's own POST forms (in <main>: not the
    language switcher of the header) and collects the help blocks' text."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.in_post_form = False
        self.fields = 0
        self.help_depth = 0  # > 0 while inside a data-page-help element
        self.help_text = ""
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.depth += 1
        if tag == "main":
            self.in_main = True
        if tag == "form" and self.in_main and (attrs.get("method") or "").lower() == "post":
            self.in_post_form = True
        elif self.in_post_form and (
            tag in ("textarea", "select")
            or (tag == "input" and (attrs.get("type") or "text") in FILL_IN_INPUTS)
        ):
            self.fields += 1
        if "data-page-help" in attrs and not self.help_depth:
            self.help_depth = self.depth
        if tag in ("input", "br", "img", "meta", "link", "hr"):
            self.depth -= 1  # void elements have no end tag

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False
        if tag == "main":
            self.in_main = False
        if self.help_depth and self.depth == self.help_depth:
            self.help_depth = 0
        self.depth -= 1

    def handle_data(self, data):
        if self.help_depth:
            self.help_text += data


def _opener(rule) -> str | None:
    return next((role for role in ROLE_ORDER if role in rule.allow), None)


def test_it_shows_a_help_text_on_every_form_page(client, personas, group_a, group_b, officer):
    world = make_world(group_a, group_b, officer)
    missing, form_pages = [], []
    for name, rule in sorted(MATRIX.items()):
        role = _opener(rule)
        if rule.method != "get" or rule.public or role is None:
            continue
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
        client.force_login(personas[role])
        response = client.get(url, rule.data(world, role) if rule.data else {})
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _FormPage()
        page.feed(response.content.decode())
        if not page.fields:
            continue
        form_pages.append(name)
        if len(" ".join(page.help_text.split())) < 40:
            missing.append(f"{name} ({url})")
    # The walk did reach the register's forms (a broken walk would find nothing to check).
    assert {"children:create", "households:create"} <= set(form_pages), form_pages
    assert not missing, "form pages without a help text (data-page-help):\n" + "\n".join(missing)


def test_every_help_text_belongs_to_a_page_that_exists():
    from portal.page_help import HELP

    assert set(HELP) <= set(MATRIX), set(HELP) - set(MATRIX)
