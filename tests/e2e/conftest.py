"""Browser end-to-end tests: Playwright driving Debian's Chromium against a live server.

Every page a journey visits is checked with axe-core (vendored) for serious or critical
accessibility violations, and screenshotted into test-artifacts/e2e/ for review."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Journey:
    """A logged-in browser tab that checks accessibility and takes a screenshot per step."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base = base_url
        self.name = name
        self.step = 0
        self.console_errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))

    def goto(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        return response

    def login(self, username: str, password: str = "dongnguyen2026"):
        self.goto("/dang-nhap/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        # Wait for the POST's own navigation: the login page's URL also ends in "/".
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        assert "/dang-nhap/" not in self.page.url, f"{username}: login failed"

    def check(self, label: str):
        """axe-core on the current page (no serious/critical violations) and a screenshot."""
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(
            path=str(ARTIFACTS / f"{self.name}-{self.step:02d}-{slug}.png"), full_page=True
        )
        self.page.add_script_tag(url=self.base + "/static/vendor/axe-core/axe.min.js")
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"{label}: accessibility violations:\n" + "\n".join(bad)
        assert not self.console_errors, f"{label}: browser console errors: {self.console_errors}"


@pytest.fixture
def journey(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield Journey(page, live_server.url, request.node.name)
    context.close()


@pytest.fixture
def new_journey(browser, live_server, request):
    """A factory of journeys, one browser context (own cookies, own login) per role."""
    contexts = []

    def make(role: str) -> Journey:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return Journey(page, live_server.url, f"{request.node.name}-{role}")

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo_ward(transactional_db, settings):
    """The full demo ward of seed_demo (every feature, realistic data)."""
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
