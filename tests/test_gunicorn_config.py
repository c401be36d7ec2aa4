"""The recommended gunicorn settings load and keep their documented sizes (README
"Deployment"); the environment overrides them."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_the_config_is_sized_for_a_small_server(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["worker_class"], conf["threads"]) == (3, "gthread", 4)
    assert conf["timeout"] == 60


def test_the_environment_overrides_it(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "9")
    monkeypatch.setenv("GUNICORN_THREADS", "2")
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["threads"]) == (9, 2)
