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


def _manage(*args, database_url, media_root, key=""):
    """manage.py in a fresh process against another database, as an operator would run it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        DEBUG="0",
        SECRET_KEY="k" * 60,
        DJANGO_READ_DOT_ENV="0",
        BACKUP_ENCRYPTION_KEY=key,
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


# --- Private, encrypted, verified ------------------------------------------------------------
KEY = "0Yf8mM6Cz3kJcV5qQ1w2e3r4t5y6u7i8o9p0a1s2d3f="  # a Fernet key (32 bytes, base64)
OTHER_KEY = "ZZf8mM6Cz3kJcV5qQ1w2e3r4t5y6u7i8o9p0a1s2d3f="


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", ["", KEY], ids=["plain", "encrypted"])
def test_it_writes_every_backup_file_readable_by_the_owner_only(tmp_path, settings, key):
    settings.BACKUP_ENCRYPTION_KEY = key
    _records()
    _media(settings)
    out = tmp_path / "bk"
    call_command("backup", out=str(out))
    files = sorted(out.iterdir())
    assert len(files) == 3  # database, media, manifest
    assert _mode(out) == 0o700
    for path in files:
        assert _mode(path) == 0o600, f"{path.name} is {oct(_mode(path))}"


@pytest.mark.django_db(transaction=True)
def test_it_encrypts_the_backup_when_a_key_is_set(tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = KEY
    _records()
    _media(settings)
    out = tmp_path / "bk"
    call_command("backup", out=str(out))
    names = {p.name for p in out.iterdir()}
    db = _db_file(out)  # db.sqlite3.enc, or db.dump.enc on PostgreSQL
    assert names == {db, "media.tar.gz.enc", "manifest.json"} and db.endswith(".enc")
    for name in (db, "media.tar.gz.enc"):
        blob = (out / name).read_bytes()
        assert b"SQLite format" not in blob and b"PGDMP" not in blob
        assert "Nguyễn".encode() not in blob
        assert b"%PDF" not in blob


def _db_file(backup_dir) -> str:
    """The database file of a backup (its name depends on the database vendor)."""
    return next(p.name for p in backup_dir.iterdir() if p.name.startswith("db."))


@pytest.fixture
def encrypted_backup(tmp_path, settings, transactional_db):
    settings.BACKUP_ENCRYPTION_KEY = KEY
    _records()
    out = tmp_path / "bk"
    call_command("backup", out=str(out))
    return out


def _refused(settings, backup_dir, key, match):
    settings.BACKUP_ENCRYPTION_KEY = key
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(backup_dir), force=True)


def test_it_refuses_an_encrypted_backup_with_the_wrong_key_or_none(settings, encrypted_backup):
    _refused(settings, encrypted_backup, OTHER_KEY, "sai khóa")
    _refused(settings, encrypted_backup, "", "đặt BACKUP_ENCRYPTION_KEY")
    assert Child.objects.count() == 2  # nothing was touched


def test_it_refuses_a_truncated_backup_file(settings, encrypted_backup):
    path = encrypted_backup / _db_file(encrypted_backup)
    path.write_bytes(path.read_bytes()[:-100])
    _refused(settings, encrypted_backup, KEY, "không khớp mã kiểm tra")


def test_it_refuses_a_tampered_manifest(settings, encrypted_backup):
    import json

    path = encrypted_backup / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["media_files"] = 99
    path.write_text(json.dumps(manifest))
    _refused(settings, encrypted_backup, KEY, "manifest.json đã bị sửa")


def test_it_refuses_a_file_swapped_with_its_checksum_rewritten(settings, encrypted_backup):
    """Without the key no one can make a file restore accepts, even with a matching SHA-256."""
    import hashlib
    import json

    from cryptography.fernet import Fernet

    path = encrypted_backup / _db_file(encrypted_backup)
    path.write_bytes(Fernet(OTHER_KEY).encrypt(b"SQLite format 3 forged") + b"\n")
    manifest_path = encrypted_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["sha256"][path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    _refused(settings, encrypted_backup, KEY, "manifest.json đã bị sửa")


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_plain_backup_whose_file_was_changed(tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = ""
    _records()
    out = tmp_path / "bk"
    call_command("backup", out=str(out))
    with (out / "media.tar.gz").open("ab") as f:
        f.write(b"x")
    _refused(settings, out, "", "không khớp mã kiểm tra")
    (out / "media.tar.gz").unlink()
    _refused(settings, out, "", "thiếu tệp")


def test_it_refuses_a_backup_without_checksums(tmp_path, settings):
    """A backup of the old format (no SHA-256) cannot be verified: refused."""
    import json

    (tmp_path / "manifest.json").write_text(
        json.dumps({"vendor": "sqlite", "database_file": "db.sqlite3", "media_file": "m.tgz"})
    )
    _refused(settings, tmp_path, "", "mã kiểm tra")


def test_it_restores_an_encrypted_sqlite_backup_into_a_fresh_database(tmp_path):
    source, media = tmp_path / "source.sqlite3", tmp_path / "media"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "bao-cao.pdf").write_bytes(b"%PDF-1.7 bao cao")
    src = {"database_url": f"sqlite:///{source}", "media_root": media, "key": KEY}
    assert _manage("migrate", "-v0", **src).returncode == 0
    assert _manage("shell", "-c", _SEED_SQLITE, **src).returncode == 0
    backup = _manage("backup", "--out", str(tmp_path / "bk"), **src)
    assert backup.returncode == 0, backup.stderr
    assert "đã mã hóa" in backup.stdout

    fresh, restored_media = tmp_path / "fresh.sqlite3", tmp_path / "media-restored"
    target = {"database_url": f"sqlite:///{fresh}", "media_root": restored_media}
    wrong = _manage("restore", str(tmp_path / "bk"), **target, key=OTHER_KEY)
    assert wrong.returncode != 0 and "sai khóa" in wrong.stderr
    assert not fresh.exists() or fresh.stat().st_size == 0
    result = _manage("restore", str(tmp_path / "bk"), **target, key=KEY)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(fresh) as db_conn:
        assert db_conn.execute("SELECT count(*) FROM children_child").fetchone()[0] == 2
    assert (restored_media / "reports" / "bao-cao.pdf").read_bytes() == b"%PDF-1.7 bao cao"


def test_it_stops_start_up_on_a_key_that_is_not_a_fernet_key(tmp_path):
    result = _manage("check", database_url="sqlite:///x", media_root=tmp_path, key="ngắn quá")
    assert result.returncode != 0
    assert "BACKUP_ENCRYPTION_KEY is not a Fernet key" in result.stderr
