"""Backup and restore: a dump restored into a fresh database holds the same records."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from children.models import Child
from households.models import Household

from .factories import ChildFactory, HouseholdFactory

ROOT = Path(__file__).resolve().parent.parent


def _records():
    household = HouseholdFactory(head_name="Nguyễn Văn Bình")
    ChildFactory(full_name="Nguyễn Thị Thu Hà", household=household)
    ChildFactory(full_name="Nguyễn Đức Anh", household=household)
    HouseholdFactory(head_name="Trần Văn Cường")


def _media(settings, name="reports/bao-cao.pdf", body=b"%PDF-1.7 bao cao"):
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True)
    path.write_bytes(body)


def _manage(*args, database_url, media_root):
    """manage.py in a fresh process against another database, as an operator would run it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        DEBUG="0",
        SECRET_KEY="k" * 60,
        DJANGO_READ_DOT_ENV="0",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


_SEED_SQLITE = """
from households.models import ResidentialGroup, Household
from children.models import Child
import datetime as dt
g = ResidentialGroup.objects.create(code="TDP-01", name="Thanh Bình")
h = Household.objects.create(code="HGD-1", head_name="Nguyễn Văn Bình", address="277", group=g)
Household.objects.create(code="HGD-2", head_name="Trần Văn Cường", address="277", group=g)
for name in ("Nguyễn Thị Thu Hà", "Nguyễn Đức Anh"):
    Child.objects.create(full_name=name, sex="female", birth_date=dt.date(2014, 1, 1), household=h)
"""


def test_it_restores_a_sqlite_backup_into_a_fresh_database(tmp_path):
    # Whatever database the suite runs on, this is the SQLite path end to end, in the
    # processes an operator would run: migrate, records, backup, restore into a new file.
    source, media = tmp_path / "source.sqlite3", tmp_path / "media"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "bao-cao.pdf").write_bytes(b"%PDF-1.7 bao cao")
    src = {"database_url": f"sqlite:///{source}", "media_root": media}
    assert _manage("migrate", "-v0", **src).returncode == 0
    seeded = _manage("shell", "-c", _SEED_SQLITE, **src)
    assert seeded.returncode == 0, seeded.stderr
    backup = _manage("backup", "--out", str(tmp_path / "bk"), **src)
    assert backup.returncode == 0, backup.stderr

    fresh = tmp_path / "fresh.sqlite3"
    restored_media = tmp_path / "media-restored"
    result = _manage(
        "restore",
        str(tmp_path / "bk"),
        database_url=f"sqlite:///{fresh}",
        media_root=restored_media,
    )
    assert result.returncode == 0, result.stderr

    with sqlite3.connect(fresh) as db_conn:
        assert db_conn.execute("SELECT count(*) FROM children_child").fetchone()[0] == 2
        assert db_conn.execute("SELECT count(*) FROM households_household").fetchone()[0] == 2
        names = {r[0] for r in db_conn.execute("SELECT full_name FROM children_child")}
    assert names == {"Nguyễn Thị Thu Hà", "Nguyễn Đức Anh"}
    assert (restored_media / "reports" / "bao-cao.pdf").read_bytes() == b"%PDF-1.7 bao cao"

    # Restoring again over the now non-empty database is refused without --force.
    again = _manage(
        "restore",
        str(tmp_path / "bk"),
        database_url=f"sqlite:///{fresh}",
        media_root=restored_media,
    )
    assert again.returncode != 0
    assert "Từ chối khôi phục" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_restore_over_a_database_with_tables(tmp_path, settings):
    _records()
    call_command("backup", out=str(tmp_path / "bk"))
    with pytest.raises(CommandError, match="Từ chối khôi phục"):
        call_command("restore", str(tmp_path / "bk"))
    assert Child.objects.count() == 2


@pytest.mark.django_db
def test_it_refuses_to_back_up_into_a_folder_with_files(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("backup", out=str(tmp_path))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_restores_a_postgres_dump_into_a_fresh_database(settings, tmp_path):
    import psycopg2
    from django.db import connection

    _records()
    _media(settings)
    call_command("backup", out=str(tmp_path / "bk"))
    assert (tmp_path / "bk" / "db.dump").stat().st_size > 0

    params = connection.settings_dict
    fresh = f"{params['NAME']}_restore"
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"],
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cur.execute(f'CREATE DATABASE "{fresh}"')
    try:
        url = urlparse(os.environ["DATABASE_URL"])._replace(path=f"/{fresh}").geturl()
        media = tmp_path / "media-restored"
        result = _manage("restore", str(tmp_path / "bk"), database_url=url, media_root=media)
        assert result.returncode == 0, result.stderr
        restored = psycopg2.connect(
            dbname=fresh,
            user=params["USER"],
            password=params["PASSWORD"],
            host=params["HOST"],
            port=params["PORT"],
        )
        with restored, restored.cursor() as cur:
            cur.execute("SELECT count(*) FROM children_child")
            assert cur.fetchone()[0] == Child.objects.count() == 2
            cur.execute("SELECT count(*) FROM households_household")
            assert cur.fetchone()[0] == Household.objects.count() == 2
            cur.execute("SELECT full_name FROM children_child ORDER BY full_name")
            assert [r[0] for r in cur.fetchall()] == ["Nguyễn Thị Thu Hà", "Nguyễn Đức Anh"]
        restored.close()
        assert (media / "reports" / "bao-cao.pdf").read_bytes() == b"%PDF-1.7 bao cao"
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.close()
