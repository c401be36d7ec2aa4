"""`python manage.py restore DIR [--force]`: put back what `manage.py backup` wrote.

It refuses to write over a database that already has tables (or a MEDIA_ROOT that already has
files) unless --force: a restore is meant for a fresh, empty database, and an accidental run
against the live one must not wipe it.

Before anything is written it verifies the backup (dongnguyen/backups.py): every file against
the manifest's SHA-256 and, for an encrypted backup, the manifest's seal and each chunk with
BACKUP_ENCRYPTION_KEY. A truncated, altered or foreign file, or a wrong key, is refused.
"""

import json
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from dongnguyen import backups

from .backup import MANIFEST_FILE, pg_args, pg_tool


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và tệp đính kèm từ một bản sao lưu (manage.py backup)."

    def add_arguments(self, parser):
        parser.add_argument("dir", help="Thư mục bản sao lưu.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ghi đè cả khi cơ sở dữ liệu hoặc MEDIA_ROOT đã có dữ liệu.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, dir, force, database, **options):
        src = Path(dir)
        try:
            manifest = json.loads((src / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{src} không phải là bản sao lưu hợp lệ ({exc}).") from exc
        if not isinstance(manifest, dict):
            raise CommandError(f"{src} không phải là bản sao lưu hợp lệ.")
        key = settings.BACKUP_ENCRYPTION_KEY
        backups.verify(src, manifest, key)
        with tempfile.TemporaryDirectory(prefix="restore-") as plain:
            if manifest.get("encrypted"):
                # Decrypted into a private temporary folder, verified chunk by chunk.
                files = {}
                for field in ("database_file", "media_file"):
                    name = manifest[field]
                    target = Path(plain) / name.removesuffix(backups.ENCRYPTED_SUFFIX)
                    backups.decrypt_file(src / name, target, key)
                    files[field] = target
            else:
                files = {field: src / manifest[field] for field in ("database_file", "media_file")}
            self._restore(src, manifest, files, force=force, database=database)

    def _restore(self, src, manifest, files, *, force, database):
        connection = connections[database]
        if manifest["vendor"] != connection.vendor:
            raise CommandError(
                f"Bản sao lưu là của {manifest['vendor']}, cơ sở dữ liệu hiện tại là "
                f"{connection.vendor}."
            )
        tables = connection.introspection.table_names()
        media_root = Path(settings.MEDIA_ROOT)
        media_busy = media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*"))
        if (tables or media_busy) and not force:
            what = "cơ sở dữ liệu đã có bảng" if tables else f"{media_root} đã có tệp"
            raise CommandError(
                f"Từ chối khôi phục: {what}. Khôi phục vào cơ sở dữ liệu trống, "
                "hoặc thêm --force để ghi đè (mất dữ liệu hiện có)."
            )

        db_file = files["database_file"]
        if connection.vendor == "postgresql":
            args, env = pg_args(database)
            connection.close()
            cmd = [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", *args]
            if tables:
                cmd += ["--clean", "--if-exists"]
            result = subprocess.run(  # noqa: S603 — fixed tool, arguments from settings
                [*cmd, str(db_file)], env=env, capture_output=True, text=True
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore thất bại: {result.stderr.strip()}")
        else:
            connection.ensure_connection()
            source = sqlite3.connect(db_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()

        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(files["media_file"], "r:gz") as tar:
            # "data" refuses absolute paths, links out of the folder and device files.
            tar.extractall(media_root, filter="data")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục từ {src}: cơ sở dữ liệu ({connection.vendor}) và "
                f"{manifest['media_files']} tệp đính kèm vào {media_root}."
            )
        )
