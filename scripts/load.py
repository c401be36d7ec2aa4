#!/usr/bin/env python
"""Load test: gunicorn on loopback, N concurrent users for a bounded time, p50/p95 per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dongnguyen \
        .venv/bin/python scripts/load.py --users 50 --duration 60

The database must hold the demo accounts (`manage.py seed_demo`, all with the demo password).
The script starts `gunicorn dongnguyen.wsgi` on 127.0.0.1 and a free port with production
settings (DEBUG=0, a throw-away SECRET_KEY, plain HTTP), waits for /healthz, then each
simulated user (a thread) logs in through the login form as one of the demo accounts and
fetches, round after round, the menu pages that account's role may open. Any response other
than 200 (or a page bounced back to the login form) is an error; the exit status is 1 if there
was any. Only loopback is ever contacted.

By default every user signs in at once and fetches without a pause (the worst case). A realistic
model: `--think 10 --ramp 10` — each user pauses about 10 s between two pages (uniformly 0.5 to
1.5 times that, so the users drift apart) and user i starts at i × 10 s / users, as officers
arriving over the first seconds do; `bench/run` measures both.
"""

import argparse
import http.cookiejar
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        DJANGO_READ_DOT_ENV="0",
        LOG_LEVEL="WARNING",
        # No collectstatic needed: the pages, not the static files, are under test.
        PYTHONWARNINGS="ignore:No directory at:UserWarning",
        # A few hundred logins a minute from one address must not lock the demo accounts.
        AXES_FAILURE_LIMIT="1000",
    )
    return env


def start_gunicorn(port: int, workers: int | None, threads: int | None) -> subprocess.Popen:
    # The README's recommended settings (gunicorn.conf.py), unless told otherwise.
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "dongnguyen.wsgi",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--access-logfile",
        os.devnull,
    ]
    if workers:
        cmd += ["--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    return subprocess.Popen(cmd, cwd=ROOT, env=server_env())  # noqa: S603


def wait_up(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn thoát ngay khi khởi động (xem thông báo ở trên).")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn không trả lời /healthz sau {timeout:.0f} giây.")


def pages_by_user() -> dict[str, list[tuple[str, str]]]:
    """username -> [(label, path)] of the menu pages that user's role may open."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dongnguyen.settings")
    for key, value in server_env().items():
        os.environ.setdefault(key, value)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.urls import reverse

    from dongnguyen.permissions import roles_for
    from portal.demo import USERS
    from portal.navigation import MENU

    result = {}
    for username, _full_name, role, _agency, _groups in USERS:
        result[username] = [
            (entry.url_name, reverse(entry.url_name))
            for entry in MENU
            if role in roles_for(entry.action)
        ]
    return result


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def record(self, page: str, seconds: float, error: str | None = None):
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors[page] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{page}: {error}")


def user_session(
    base, username, password, pages, deadline, stats: Stats, start_at=0.0, think=0.0, rng=None
):
    """One simulated user: waits until `start_at` (monotonic), signs in, then opens `pages` round
    after round until `deadline`, pausing `think` × uniform(0.5, 1.5) seconds between two pages."""
    rng = rng or random.Random()  # noqa: S311 — jitter of a load model, not a secret

    def pause(seconds):
        if seconds > 0:
            time.sleep(max(0.0, min(seconds, deadline - time.monotonic())))
        return time.monotonic() < deadline

    if not pause(start_at - time.monotonic()):
        return
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def fetch(label, path, data=None):
        started = time.perf_counter()
        try:
            with opener.open(base + path, data=data, timeout=30) as r:
                body = r.read().decode("utf-8", "replace")
                final = r.geturl()
            elapsed = time.perf_counter() - started
            if "/dang-nhap/" in final and label != "login-form":
                stats.record(label, elapsed, f"bị chuyển về trang đăng nhập ({final})")
                return None
            stats.record(label, elapsed)
            return body
        except urllib.error.HTTPError as exc:
            stats.record(label, time.perf_counter() - started, f"HTTP {exc.code}")
        except OSError as exc:
            stats.record(label, time.perf_counter() - started, repr(exc))
        return None

    form = fetch("login-form", "/dang-nhap/")
    match = CSRF_RE.search(form or "")
    if not match:
        stats.record("login", 0.0, "không thấy csrf token trên trang đăng nhập")
        return
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
    ).encode()
    # The time to type the password is a pause like any other; the sign-in itself is always
    # measured, even if the pause runs past the deadline.
    pause(think * rng.uniform(0.5, 1.5))
    if fetch("login", "/dang-nhap/", data) is None:
        return
    while time.monotonic() < deadline:
        for label, path in pages:
            if not pause(think * rng.uniform(0.5, 1.5)):
                break
            fetch(label, path)


def pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="giây (mặc định 60)")
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="giây mỗi người dừng giữa hai trang, ngẫu nhiên 0,5–1,5 lần (mặc định 0)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=0,
        help="người thứ i bắt đầu sau i × RAMP / số người giây (mặc định 0: cùng lúc)",
    )
    parser.add_argument("--workers", type=int, help="mặc định: gunicorn.conf.py")
    parser.add_argument("--threads", type=int, help="mặc định: gunicorn.conf.py")
    parser.add_argument("--password", default="dongnguyen2026")
    parser.add_argument(
        "--accounts",
        default="vhxh,lanhdao,ctv1,ctv2,yte,congan,kinhte,doanthe",
        help="tài khoản mẫu dùng luân phiên",
    )
    args = parser.parse_args(argv)
    if args.think < 0 or args.ramp < 0:
        parser.error("--think và --ramp không được âm")
    if not os.environ.get("DATABASE_URL"):
        print("Cảnh báo: DATABASE_URL chưa đặt — dùng SQLite mặc định.", file=sys.stderr)

    pages = pages_by_user()
    accounts = [a for a in args.accounts.split(",") if a]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_gunicorn(port, args.workers, args.threads)
    stats = Stats()
    try:
        wait_up(base, proc)
        started = time.monotonic()
        deadline = started + args.duration
        threads = []
        for i in range(args.users):
            name = accounts[i % len(accounts)]
            t = threading.Thread(
                target=user_session,
                args=(base, name, args.password, pages.get(name, [("home", "/")]), deadline, stats),
                kwargs={
                    "start_at": started + i * args.ramp / args.users,
                    "think": args.think,
                    "rng": random.Random(i),  # noqa: S311 — reproducible jitter
                },
                daemon=True,
            )
            t.start()
            threads.append(t)
        for t in threads:
            t.join(args.duration + 60)
        wall = time.monotonic() - started
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()

    total = sum(len(v) for v in stats.times.values())
    errors = sum(stats.errors.values())
    print(
        f"\n{args.users} người dùng, {wall:.0f} giây, gunicorn {args.workers or 'gunicorn.conf.py'} worker × "
        f"{args.threads or 'gunicorn.conf.py'} luồng, nghĩ {args.think:g} giây, vào dần {args.ramp:g}"
        f" giây, {total} yêu cầu ({total / wall:.1f}/giây)"
    )
    print(f"{'trang':<28} {'số lần':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'lỗi':>5}")
    for page in sorted(stats.times):
        values = stats.times[page]
        print(
            f"{page:<28} {len(values):>7} {pct(values, 50) * 1000:>8.0f} "
            f"{pct(values, 95) * 1000:>8.0f} {max(values) * 1000:>8.0f} "
            f"{stats.errors.get(page, 0):>5}"
        )
    print(f"Tổng số lỗi: {errors}")
    for sample in stats.samples:
        print(f"  - {sample}")
    return 1 if errors or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
