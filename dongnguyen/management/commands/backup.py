"""`python manage.py backup --out DIR`: the database and the media files, in one folder.

PostgreSQL is dumped with `pg_dump -Fc` (db.dump); SQLite is copied with the sqlite3 online
backup API (db.sqlite3), which is consistent even while the app is writing. MEDIA_ROOT goes
into media.tar.gz. manifest.json says what was written, with each file's SHA-256.
`manage.py restore DIR` reverses it.

Every file is mode 0600 in a 0700 folder (personal data). With BACKUP_ENCRYPTION_KEY set, the
files are encrypted (db.dump.enc, media.tar.gz.enc) and the manifest is sealed with the key
(dongnguyen/backups.py).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from dongnguyen import backups

PG_DUMP_FILE = "db.dump"
SQLITE_FILE = "db.sqlite3"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"


def pg_args(alias: str = "default") -> tuple[list[str], dict]:
    """Connection arguments and environment for pg_dump/pg_restore from Django's settings."""
    db = connections[alias].settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"Không tìm thấy {name}. Cài gói postgresql-client (Debian/Ubuntu: "
            "sudo apt-get install -y postgresql-client)."
        )
    return path


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm (MEDIA_ROOT) vào một thư mục."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Thư mục chứa bản sao lưu (tạo mới).")
        parser.add_argument("--database", default="default")

    def handle(self, *args, out, database, **options):
        out_dir = Path(out)
        if out_dir.exists() and any(out_dir.iterdir()):
            raise CommandError(f"Thư mục {out_dir} đã có dữ liệu; chọn một thư mục trống hoặc mới.")
        backups.private_dir(out_dir)
        old_umask = os.umask(0o077)  # pg_dump, sqlite3 and tarfile create files 0600
        try:
            manifest = self._write(out_dir, database)
        finally:
            os.umask(old_umask)
        size = sum(p.stat().st_size for p in out_dir.iterdir())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {out_dir}: cơ sở dữ liệu ({manifest['vendor']}, "
                f"{manifest['database_file']}), {manifest['media_files']} tệp đính kèm "
                f"({manifest['media_file']}); tổng {size / 1e6:.1f} MB"
                + ("; đã mã hóa." if manifest["encrypted"] else "; KHÔNG mã hóa.")
            )
        )

    def _write(self, out_dir: Path, database: str) -> dict:
        connection = connections[database]
        vendor = connection.vendor
        if vendor == "postgresql":
            db_file = PG_DUMP_FILE
            args, env = pg_args(database)
            result = subprocess.run(  # noqa: S603 — fixed tool, arguments from settings
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(out_dir / db_file),
                    *args,
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump thất bại: {result.stderr.strip()}")
        elif vendor == "sqlite":
            db_file = SQLITE_FILE
            if connection.in_atomic_block:
                # The online backup waits for the connection's own open write transaction,
                # forever: refuse instead of hanging.
                raise CommandError("Không sao lưu được từ bên trong một giao dịch đang mở.")
            connection.ensure_connection()
            target = sqlite3.connect(out_dir / db_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            raise CommandError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {vendor}.")

        media_root = Path(settings.MEDIA_ROOT)
        media_files = 0
        with tarfile.open(out_dir / MEDIA_FILE, "w:gz") as tar:
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=str(path.relative_to(media_root)))
                        media_files += 1
        files = [db_file, MEDIA_FILE]
        key = settings.BACKUP_ENCRYPTION_KEY
        if key:
            for name in list(files):
                backups.encrypt_file(
                    out_dir / name, out_dir / (name + backups.ENCRYPTED_SUFFIX), key
                )
                (out_dir / name).unlink()
            files = [name + backups.ENCRYPTED_SUFFIX for name in files]
        for name in files:
            backups.make_private(out_dir / name)
        manifest = {
            "vendor": vendor,
            "database_file": files[0],
            "media_file": files[1],
            "media_files": media_files,
            "encrypted": bool(key),
            "sha256": {name: backups.sha256(out_dir / name) for name in files},
            "created_at": timezone.now().isoformat(),
        }
        if key:
            manifest = backups.seal(manifest, key)
        path = out_dir / MANIFEST_FILE
        path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        backups.make_private(path)
        return manifest
