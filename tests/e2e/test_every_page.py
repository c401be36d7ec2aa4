"""Issue 18: every demo role, every page of its menu and the forms those pages open, at 1366 px
(a desk) and 375 px (a phone): a screenshot of each into test-artifacts/screenshots/ROLE/ and
no serious or critical axe-core finding.

One browser; per role one context, logged in once; each page is loaded once and checked at
both widths by resizing the tab. The user guides'
screenshots (docs/huong-dan/img/, referenced by the Markdown) come from the same walk when
GUIDE_SCREENSHOTS=1 (`make screenshots`): the home page and the first pages of each role's
menu, at 1366 px, shrunk and reduced to a palette so the set stays small."""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from portal.help import GUIDE_DIR

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
GUIDE_IMG = GUIDE_DIR / "img"
PASSWORD = "dongnguyen2026"
WIDTHS = {"1366": {"width": 1366, "height": 900}, "375": {"width": 375, "height": 812}}
# One user per role of the demo (the second collaborator has the first one's pages) and the
# guide their pictures go into. The service centre has no demo user: the module adds one.
ROLES = [
    ("lanhdao", "lanh-dao"),
    ("vhxh", "vhxh"),
    ("yte", "y-te"),
    ("congan", "cong-an"),
    ("kinhte", "kinh-te"),
    ("ctv1", "cong-tac-vien"),
    ("doanthe", "doan-the"),
    ("gvtruong", "truong-hoc"),
    ("dichvu", "trung-tam-dich-vu"),
    ("tinh", "cap-tinh"),
]
# Pictures per guide: the home page and this many more pages of the role's menu.
GUIDE_PAGES = 2
# Links on a menu page that open a form to fill in (create pages).
FORM_LINK = re.compile(r"/(them|moi|tao|ke-hoach)/$")
MAX_FORMS_PER_PAGE = 2
# Pages of the menu that are not the app's pages to check here: the offline app keeps its
# own journey (tests/e2e/test_offline.py), it needs a service worker and IndexedDB.
SKIP = {"/ngoai-tuyen/"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, live_server):
    from django.core.management import call_command
    from django.test import override_settings

    from dongnguyen.models import Agency
    from dongnguyen.roles import Role
    from dongnguyen.services import user_create

    with django_db_blocker.unblock():
        with override_settings(DEBUG=True):  # seed_demo refuses to run without DEBUG
            call_command("seed_demo", verbosity=0)
        user_create(
            username="dichvu",
            password=PASSWORD,
            full_name="Trịnh Văn Phúc",
            role=Role.SERVICE_CENTRE,
            agency=Agency.objects.get(code="ttdv"),
        )
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper(demo, live_server):
    """As in test_journeys: the demo lives for the whole module, not flushed per test."""
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "trang-chu"


def _axe(page, base: str) -> list[str]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(url=base + "/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _guide_picture(png: bytes, target: Path) -> None:
    """A guide's picture: 1000 px wide, 128 colours (a screenshot of a form stays readable)."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.resize((1000, round(image.height * 1000 / image.width)), Image.LANCZOS)
    image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, optimize=True)


def _login(context, base: str, username: str):
    page = context.new_page()
    # Generous: the machine running the suite may be busy (the dashboard computes its KPIs).
    page.set_default_timeout(60000)
    page.goto(base + "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/dang-nhap/" not in page.url, f"{username}: login failed"
    return page


@pytest.mark.parametrize(("username", "guide"), ROLES, ids=[r[0] for r in ROLES])
def test_every_page_of_every_role_passes_axe_at_both_widths(browser, live_server, username, guide):
    """Each page is loaded once: checked at 1366 px, then the same tab is narrowed to 375 px
    (the layout reflows as on a phone) and checked again."""
    base = live_server.url
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    (SHOTS / username).mkdir(parents=True, exist_ok=True)
    (SHOTS / username / "axe.txt").write_text("", encoding="utf-8")
    try:
        page = _login(context, base, username)
        menu = [
            urlparse(a).path
            for a in page.eval_on_selector_all("#sidebar a.nav-link", "els => els.map(e => e.href)")
        ]
        assert menu and menu[0] == "/", f"{username}: no menu"
        paths, problems = [], []
        guide_pages = [p for p in menu if p not in SKIP and p != "/tro-giup/"][: GUIDE_PAGES + 1]

        def visit(path: str) -> list[str]:
            """The page at both widths; the form links it holds (read at 1366 px)."""
            page.set_viewport_size(WIDTHS["1366"])
            response = page.goto(base + path)
            if response is None or response.status >= 400:
                problems.append(f"{path}: HTTP {response and response.status}")
                return []
            links = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
            if os.environ.get("GUIDE_SCREENSHOTS") == "1" and path in guide_pages:
                _guide_picture(page.screenshot(), GUIDE_IMG / f"{guide}-{_slug(path)}.png")
            for width, size in WIDTHS.items():
                page.set_viewport_size(size)
                shot = SHOTS / username / f"{width}-{_slug(path)}.png"
                page.screenshot(path=str(shot), full_page=True)
                found = [f"{path} at {width}px: {bad}" for bad in _axe(page, base)]
                problems.extend(found)
                # Beside the screenshots, what axe found on each page as the walk goes.
                with (SHOTS / username / "axe.txt").open("a", encoding="utf-8") as log:
                    log.write("\n".join(found or [f"{path} at {width}px: ok"]) + "\n")
            # A form link keeps its query: "Ghi nhận hỗ trợ" opens ?referral=N (a 404 without).
            forms = {}
            for link in map(urlparse, links):
                if FORM_LINK.search(link.path):
                    query = f"?{link.query}" if link.query else ""
                    forms.setdefault(link.path, link.path + query)
            return list(forms.values())

        for path in menu:
            if path in SKIP or path in paths:
                continue
            paths.append(path)
            # The forms this page opens ("Thêm …", "Tạo …"), checked as pages of their own.
            for form in visit(path)[:MAX_FORMS_PER_PAGE]:
                if form not in paths:
                    paths.append(form)
                    visit(form)
        assert len(paths) >= 3, f"{username}: only {paths}"
        assert not problems, f"{username}:\n" + "\n".join(problems)
    finally:
        context.close()


def test_the_printed_guide_carries_its_screenshots(browser, live_server):
    """The guide's "In / lưu PDF" is the browser's print: the pictures are in the PDF."""
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    try:
        page = _login(context, live_server.url, "lanhdao")
        page.goto(live_server.url + "/tro-giup/lanh-dao/")
        loaded = page.eval_on_selector_all(
            "article.guide img", "els => els.map(e => e.complete && e.naturalWidth > 0)"
        )
        assert len(loaded) >= 3 and all(loaded), loaded
        pdf = page.pdf(format="A4", print_background=False)
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Subtype /Image") >= len(loaded)
    finally:
        context.close()
