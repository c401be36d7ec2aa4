"""The admin works under the site's Content-Security-Policy (issue 11 point 8).

The policy allows no inline script or style ('unsafe-inline' in neither script-src nor
style-src), so an inline <script>, a <style> block, a style="…" attribute, an on…= handler or a
javascript: link on an admin page would be blocked by the browser (and the page partly
broken). Every change list, add, change and history page of every registered model is fetched
as a superuser and its HTML is read for such inline code.
"""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from .test_access_matrix import make_world

EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_inline_script = False
        self._script_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style":
            self.found.append("<style> block")
        executable = (attrs.get("type") or "").lower() in EXECUTABLE_SCRIPT_TYPES
        if tag == "script" and not attrs.get("src") and executable:
            self._in_inline_script = True
            self._script_text = ""
        for name, value in attrs.items():
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_data(self, data):
        if self._in_inline_script:
            self._script_text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_inline_script:
            self._in_inline_script = False
            if self._script_text.strip():
                self.found.append(f"inline <script>{self._script_text.strip()[:60]}…")


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_each_kind_of_inline_code():
    assert inline_code('<p style="color:red">x</p>') == ['<p style="color:red">']
    assert inline_code("<style>p{}</style>") == ["<style> block"]
    assert inline_code("<script>alert(1)</script>")[0].startswith("inline <script>alert(1)")
    assert inline_code('<a onclick="go()">x</a>') == ["<a onclick=…>"]
    assert inline_code('<a href="javascript:go()">x</a>') == ["<a href=javascript:…>"]
    assert (
        inline_code('<script src="/s.js"></script><script type="application/json">{}</script>')
        == []
    )


def admin_pages(world) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        urls.append(reverse(f"{prefix}_add"))
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            urls.append(reverse(f"{prefix}_change", args=[row.pk]))
            urls.append(reverse(f"{prefix}_history", args=[row.pk]))
    return urls


@pytest.fixture
def world(personas, group_a, group_b, officer):
    return make_world(group_a, group_b, officer)


def test_every_admin_page_has_no_inline_script_or_style(admin_client, world):
    offenders = {}
    pages = admin_pages(world)
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        found = inline_code(response.content.decode())
        if found:
            offenders[url] = sorted(set(found))
    assert len(pages) > 50
    assert not offenders, "\n".join(f"{url}: {found}" for url, found in offenders.items())


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("admin:dongnguyen_accesslog_changelist", "action=view%00"),
        ("admin:django_celery_beat_periodictask_changelist", "q=a%00b"),
        ("admin:children_child_changelist", "q=%00"),
    ],
)
def test_a_nul_byte_in_an_admin_query_is_a_clear_400(admin_client, url_name, query):
    """PostgreSQL refuses NUL in text: an admin filter or search would have been a 500."""
    response = admin_client.get(reverse(url_name), QUERY_STRING=query)
    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()
