from celery import shared_task


@shared_task(name="dongnguyen.ping")
def ping(value: int) -> dict:
    """Proves the Celery wiring end to end: a worker receives, computes and returns."""
    import os
    import socket

    return {"pong": value * 2, "host": socket.gethostname(), "pid": os.getpid()}
