"""gunicorn settings for a 2-core server (README "Deployment"; DESIGN.md "Scale path").

    gunicorn dongnguyen.wsgi:application          # reads this file from the current folder

Every value can be overridden by the environment (GUNICORN_WORKERS, GUNICORN_THREADS, …) or
on the command line. Sized from a load test of 50 simultaneous users, logins included: with
gunicorn's defaults (1 sync worker, 30 s timeout) every login queued behind the others and
timed out. Here: one process per core plus one (a request blocked on the database does not
idle a core), each with a few threads so that slow clients and database waits overlap; password
hashing is Argon2id at a few tens of milliseconds (dongnguyen/hashers.py), so a burst of
logins no longer holds every thread.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A PDF report or a large export can take a while; anything longer is a bug to see in the log.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5  # behind nginx on the same host or network
# Recycle workers now and then (slow leaks in libraries), never all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200
# Behind the proxy: trust its X-Forwarded-* headers from these addresses only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
