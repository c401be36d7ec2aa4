"""A report's reads on two database connections that see one snapshot (PostgreSQL).

A ward's report runs about 40 statements, one after the other, on one connection: one core of
the server works while the other waits. `Reads` lets the statements that do not depend on each
other run on a second connection at the same time, in a transaction that imports the first
one's snapshot (`pg_export_snapshot`, `SET TRANSACTION SNAPSHOT`; allowed on a hot standby
too). Both see the database exactly as the report's first statement saw it, so the report's
tables still agree with each other (reports/tests/test_report_snapshot.py).

The calling thread is one of the two workers: it takes queued work itself while it waits for a
result, so if the second connection cannot be opened (the server's connections are used up, a
standby that refuses the snapshot) everything still runs, one statement after the other, as
before. Each piece of work runs in a copy of the submitter's context (the active language, the
replica routing of dongnguyen/db_router.py); the helper's connections are its own and closed
when the block ends.
"""

import contextvars
import logging
import threading
from collections import deque

from django.db import connections, transaction

log = logging.getLogger(__name__)

READY_TIMEOUT = 0.5  # seconds the calling thread waits for the helper's connection at most


class Job:
    """One piece of work; its result (or its exception) once `done`."""

    __slots__ = ("context", "done", "error", "fn", "value")

    def __init__(self, fn):
        self.fn = fn
        self.context = contextvars.copy_context()
        self.done = threading.Event()
        self.value = self.error = None

    def run(self) -> None:
        try:
            self.value = self.context.run(self.fn)
        except BaseException as exc:  # re-raised where the result is asked for
            self.error = exc
        finally:
            self.done.set()


class Reads:
    """Work queued for the calling thread and, once `start`ed, a helper thread on a second
    connection. Without a helper (SQLite, inside a caller's transaction, or none asked for)
    `map` and `result` simply run the work in turn."""

    def __init__(self):
        self._queue: deque[Job] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._helper: threading.Thread | None = None
        self._ready = threading.Event()

    def submit(self, fn) -> Job:
        job = Job(fn)
        with self._cond:
            self._queue.append(job)
            self._cond.notify()
        return job

    def result(self, job: Job):
        """The job's result: while it is not done, this thread runs queued work itself (the
        job too, if no one has taken it yet)."""
        while not job.done.is_set():
            with self._cond:
                taken = self._queue.popleft() if self._queue else None
            if taken is None:
                job.done.wait()
                break
            taken.run()
        if job.error is not None:
            raise job.error
        return job.value

    def map(self, fns) -> list:
        jobs = [self.submit(fn) for fn in fns]
        return [self.result(job) for job in jobs]

    # The helper ---------------------------------------------------------------------------

    def start(self, alias: str, snapshot: str, settings: dict) -> None:
        self._helper = threading.Thread(
            target=self._work,
            args=(alias, snapshot, settings),
            name="report-reads",
            daemon=True,
        )
        self._helper.start()
        # Until the helper has its connection and the snapshot, this thread waits rather than
        # plans the report's statements: building them holds the interpreter, and the helper
        # then took 25 ms instead of 6 to be ready (at 100×).
        self._ready.wait(timeout=READY_TIMEOUT)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._helper is not None:
            self._helper.join()

    def _next(self) -> Job | None:
        with self._cond:
            while not self._queue and not self._closed:
                self._cond.wait()
            return self._queue.popleft() if self._queue else None

    def _work(self, alias: str, snapshot: str, settings: dict) -> None:
        try:
            connection = connections[alias]  # this thread's own
            with transaction.atomic(using=alias):
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                    set_local(cursor, settings)
                self._ready.set()
                while (job := self._next()) is not None:
                    job.run()
        except Exception:  # the calling thread does the rest of the work itself
            log.warning("Second connection for a report's reads unavailable", exc_info=True)
        finally:
            self._ready.set()
            connections.close_all()  # this thread's connections only


def set_local(cursor, settings: dict) -> None:
    """SET LOCAL each of `settings` in one statement (set_config(..., true) is SET LOCAL)."""
    if not settings:
        return
    calls = ", ".join("set_config(%s, %s, true)" for _ in settings)
    cursor.execute(f"SELECT {calls}", [x for kv in settings.items() for x in kv])  # noqa: S608 (placeholders only)
