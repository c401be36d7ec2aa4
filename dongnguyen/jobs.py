"""Enqueue background jobs without letting a broker outage break the page.

Views call `enqueue(task, *args)` and tell the user what happened: True → "đã xếp hàng",
False → "không gửi được, thử lại". With no broker configured the task runs in-process (eager)
and True means it ran.
"""

import logging

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# A page must answer quickly even when Redis is down. Celery's own publish path retries the
# broker and the Redis result backend for about 20 s before giving up, so the broker is probed
# once, briefly, before publishing.
BROKER_CONNECT_TIMEOUT = 2.0

_BROKER_DOWN = (OperationalError, ConnectionError, TimeoutError, OSError)


def broker_reachable(app=None, timeout: float = BROKER_CONNECT_TIMEOUT) -> bool:
    """One quick connection attempt to the broker, no retries."""
    if app is None:
        from dongnguyen.celery import app
    try:
        with app.connection_for_write(connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=0, timeout=timeout)
    except _BROKER_DOWN:
        return False
    return True


def enqueue(task, *args, **kwargs) -> bool:
    """Send `task(*args, **kwargs)` to the workers; False (logged) when the broker is out of
    reach, never an exception."""
    app = task.app
    if not app.conf.task_always_eager and not broker_reachable(app):
        logger.error("Không gửi được tác vụ %s: không kết nối được hàng đợi (broker)", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except (*_BROKER_DOWN, RuntimeError):
        # RuntimeError: the Redis result backend gave up reconnecting.
        logger.exception("Không gửi được tác vụ %s tới hàng đợi (broker)", task.name)
        return False
    return True
