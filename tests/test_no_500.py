"""No 500 on any input, over every URL pattern of the project (not a list of pages).

The resolver is walked (the admin included); each pattern's converters are filled with the ids
of real rows (the access matrix's world, or the first row of an admin page's model). Each URL is
then sent NUL bytes, invalid UTF-8 and hostile Unicode in its query string (GET) and its form
body (POST), anonymously and as the case officer. Any 5xx, or any exception reaching the test
client, fails.

SQLite accepts NUL in a query where PostgreSQL refuses it (the 500s of issue 11 were on
PostgreSQL): a wrapper around every query here refuses a NUL parameter the way psycopg does,
so the suite finds them on SQLite too.

The parameter names are read from the code: every `request.GET/POST` key and `query_text`
name of the view's own module, and every `name="…"` of the templates.
"""

import inspect
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import DataError, connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_access_matrix import MATRIX, make_world

ROOT = Path(__file__).resolve().parent.parent
APPS = ("children", "households", "inspections", "outreach", "reports", "imports",
        "notifications", "dongnguyen", "portal")  # fmt: skip

_KEY = re.compile(
    r"""(?:GET|POST|QUERY|data)(?:\.get|\.getlist|\.pop)?[\[(]\s*["']([\w-]+)["']"""
    r"""|query_text\(\s*request\s*,\s*["']([\w-]+)["']"""
)
_TEMPLATE_NAME = re.compile(r"""name=["']([\w-]+)["']""")


def _keys_in(text: str) -> set[str]:
    return {a or b for a, b in _KEY.findall(text)}


def template_keys() -> set[str]:
    keys = set()
    for path in (ROOT / "templates").rglob("*.html"):
        keys |= set(_TEMPLATE_NAME.findall(path.read_text(encoding="utf-8")))
    return keys - {"csrfmiddlewaretoken"}


# What Django's admin reads from a query string besides field lookups.
ADMIN_KEYS = {"q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters", "next"}
ALL_KEYS = sorted(
    template_keys()
    | ADMIN_KEYS
    | {k for app in APPS for p in (ROOT / app).rglob("*.py") for k in _keys_in(p.read_text())}
)


def view_keys(callback) -> list[str]:
    """The query/form keys the view's module reads (its module's source), else all of them."""
    module = inspect.getmodule(getattr(callback, "view_class", callback))
    try:
        own = _keys_in(inspect.getsource(module))
    except (TypeError, OSError):
        own = set()
    return sorted(own | ADMIN_KEYS) if own else ALL_KEYS


# ----------------------------------------------------------------------------- the URL patterns
def all_patterns() -> list[tuple[str, str, str | None]]:
    """(id, route template, view name) of every URL pattern; the route's converters are kept
    as `<conv:name>` and a regex's groups as `(?P<name>…)`."""
    out = []

    def walk(patterns, prefix="", ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(
                    p.url_patterns,
                    prefix + _route(p.pattern),
                    ns + (f"{p.namespace}:" if p.namespace else ""),
                )
            elif isinstance(p, URLPattern):
                route = prefix + _route(p.pattern)
                name = f"{ns}{p.name}" if p.name else None
                out.append((route, route, name))

    walk(get_resolver().url_patterns)
    return out


def _route(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    assert isinstance(pattern, RegexPattern)
    return pattern._regex.lstrip("^").rstrip("$")


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_UNNAMED = re.compile(r"\((?!\?)[^)]*\)")


def concrete_path(route: str, name: str | None, world: dict) -> str:
    """A path for `route`: the matrix's objects for the project's pages, the first row of the
    model for an admin page, a harmless value for the rest."""
    rule = MATRIX.get(name or "")
    given_kwargs = rule.kwargs(world) if rule and rule.kwargs else {}

    def value(arg: str) -> str:
        if arg in given_kwargs:
            return str(given_kwargs[arg])
        if arg == "history_id":
            model = apps.get_model(*route.split("/")[1:3])
            row = model.history.order_by("pk").first()
            return str(row.history_id) if row else "1"
        if arg == "object_id":
            try:
                model = apps.get_model(*route.split("/")[1:3])
            except (LookupError, ValueError):  # the admin's "view on site" shortcut
                return "1"
            row = model._default_manager.order_by("pk").first()
            return quote(str(row.pk)) if row else "1"
        return {"pk": str(world["child_a"].pk), "app_label": "children", "url": "khong-co/",
                "token": "khong-co-token", "kind": "children",
                "format": "json"}.get(arg, "1")  # fmt: skip

    path = _GROUP.sub(lambda m: value(m.group(1)), route)
    path = _CONVERTER.sub(
        lambda m: ".json" if m.group(1) == "drf_format_suffix" else value(m.group(2)), path
    )
    unnamed = iter(["object_id", "history_id"])  # simple_history's ([^/]+)/history/([^/]+)/
    path = _UNNAMED.sub(lambda m: value(next(unnamed)), path)
    path = path.replace("\\", "").replace("/?", "/")  # DRF's optional trailing slash
    return "/" + path


PATTERNS = all_patterns()


def test_it_walks_every_url_pattern_of_the_project(world):
    """Each pattern gives a path that resolves back to that very pattern."""
    resolver_patterns = {route for route, _, _ in PATTERNS}
    assert len(resolver_patterns) == len(PATTERNS) > 300
    for route, _id, name in PATTERNS:
        path = concrete_path(route, name, world)
        match = resolve(path)
        if name:
            assert match.view_name == name or route.endswith("(?P<url>.*)"), (path, name)


# ----------------------------------------------------------------------------- hostile input
# PostgreSQL refuses NUL in text; psycopg raises DataError before the query is sent.
def _refuse_nul(execute, sql, params, many, context):
    rows = params if many else [params]
    for row in rows or ():
        values = row.values() if isinstance(row, dict) else (row or ())
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return execute(sql, params, many, context)


@pytest.fixture
def world(personas, group_a, group_b, officer):
    return make_world(group_a, group_b, officer)


@pytest.fixture
def nul_refused():
    with connection.execute_wrapper(_refuse_nul):
        yield


# Raw query-string / body bytes: NUL, invalid and overlong UTF-8, lone surrogates' UTF-8.
RAW_VALUES = ["%00", "1%00", "%ff%fe", "%c0%80", "%ed%a0%80", "99999999999999999999999",
              "%EF%BC%91%EF%BC%92"]  # fmt: skip
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "\x00",
            "1\x00",
            "\x00" * 50,
            "a\x00b",
            "\ufeff1",
            "\u202e",
            "１２",
            "١",
            "2026-13-45",
            "31/02/2026",
            "K1\x00",
            "<script>",
            "' OR 1=1 --",
        ]
    ),  # fmt: skip
    st.text(max_size=30),
)
EXAMPLES = settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


def _check(response, what):
    assert response.status_code < 500, f"{what} → {response.status_code}"


def _as(client, who, personas):
    client.logout()
    if who:
        client.force_login(personas[who])


def _get_raw(client, path, query: str):
    return client.get(path, QUERY_STRING=query)


def _post_raw(client, path, body: str):
    with transaction.atomic():
        response = client.post(
            path, data=body.encode("latin-1"), content_type="application/x-www-form-urlencoded"
        )
        transaction.set_rollback(True)
    return response


def _post(client, path, data):
    with transaction.atomic():
        response = client.post(path, data)
        transaction.set_rollback(True)
    return response


def _hostile_requests(client, path, keys, login):
    """Every request sent to one URL; raises on the first 5xx or exception."""
    # Each key the view reads, alone, with a NUL (a view may stop at the first bad key).
    for key in keys:
        _check(_get_raw(client, path, f"{key}=1%00"), f"GET {path}?{key}=1NUL")
    # Every key at once, with each raw bad value, in the query string and in the body.
    for raw in RAW_VALUES:
        query = "&".join(f"{k}={raw}" for k in keys)
        _check(_get_raw(client, path, query), f"GET {path} all keys={raw}")
        _check(_post_raw(client, path, query), f"POST {path} all keys={raw}")
        login()  # a POST to the logout URL signs the client out

    @EXAMPLES
    @given(params=st.dictionaries(st.sampled_from(keys), HOSTILE, min_size=1, max_size=5))
    def run(params):
        _check(client.get(path, params), f"GET {path} {params!r}")
        _check(_post(client, path, params), f"POST {path} {params!r}")
        login()

    run()


# The patterns in interleaved slices, so `pytest -n auto` spreads them over the workers.
SLICES = 8


ADMIN_PREFIX = "quan-tri/"


@pytest.mark.parametrize("part", range(SLICES), ids=lambda n: f"slice{n}")
@pytest.mark.parametrize("who", [None, "case_officer", "superuser"])
def test_it_answers_hostile_input_on_every_url_without_a_500(
    client, personas, world, nul_refused, who, part, django_user_model
):
    """One world for all the patterns (every POST is rolled back); all failures are listed.

    The superuser walks the admin's patterns (the others are sent to its login page there)."""
    if who == "superuser":
        personas = {**personas, who: django_user_model.objects.create_superuser("quantri")}

    def login():
        if who:
            client.force_login(personas[who])
        else:
            client.logout()

    failures = []
    patterns = PATTERNS[part::SLICES]
    if who == "superuser":
        patterns = [p for p in patterns if p[0].startswith(ADMIN_PREFIX)]
    for route, _id, name in patterns:
        path = concrete_path(route, name, world)
        keys = view_keys(resolve(path).func)
        login()
        cache.clear()  # rate limits of the public form and the login
        try:
            _hostile_requests(client, path, keys, login)
        except Exception as exc:  # noqa: BLE001 — listed with the others below
            failures.append(f"{route}: {type(exc).__name__}: {str(exc)[:300]}")
    assert not failures, f"{len(failures)} of {len(patterns)} URL patterns failed:\n" + "\n".join(
        failures
    )
