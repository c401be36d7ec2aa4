"""What `manage.py backup` and `restore` share: private files, checksums and encryption.

A backup is personal data about children: every file is written mode 0600 in a 0700 folder.
The manifest lists each file with its SHA-256, so restore refuses a truncated or altered file.
With BACKUP_ENCRYPTION_KEY set, each file is encrypted with Fernet (AES-128-CBC + HMAC-SHA256)
in chunks (a large dump is never held in memory whole), and the manifest carries a Fernet
token of its own content, so a wrong key, an edited manifest or a swapped file is refused
before anything is written to the database.
"""

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

CHUNK = 8 * 1024 * 1024  # bytes of plain text per Fernet token
ENCRYPTED_SUFFIX = ".enc"


def private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)


def make_private(path: Path) -> None:
    path.chmod(0o600)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _open_private(path: Path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "wb")


def encrypt_file(src: Path, dst: Path, key: str) -> None:
    """`src` as one Fernet token per CHUNK bytes, one token a line."""
    fernet = Fernet(key)
    with src.open("rb") as plain, _open_private(dst) as out:
        while block := plain.read(CHUNK):
            out.write(fernet.encrypt(block) + b"\n")


def _tokens(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        for line in f:
            yield line.rstrip(b"\n")


def decrypt_file(src: Path, dst: Path, key: str) -> None:
    fernet = Fernet(key)
    try:
        with _open_private(dst) as out:
            for token in _tokens(src):
                out.write(fernet.decrypt(token))
    except InvalidToken:
        dst.unlink(missing_ok=True)
        raise CommandError(
            _("Không giải mã được %(name)s: sai khóa BACKUP_ENCRYPTION_KEY hoặc tệp đã bị sửa.")
            % {"name": src.name}
        ) from None


def _body(manifest: dict) -> bytes:
    return json.dumps(
        {k: v for k, v in manifest.items() if k != "seal"}, sort_keys=True, ensure_ascii=False
    ).encode()


def seal(manifest: dict, key: str) -> dict:
    """The manifest with a Fernet token of its own content: only the key holder can write one."""
    return {**manifest, "seal": Fernet(key).encrypt(_body(manifest)).decode()}


def verify(src: Path, manifest: dict, key: str) -> None:
    """Refuse a backup whose manifest or files are not what was written (CommandError)."""
    if manifest.get("encrypted"):
        if not key:
            raise CommandError(
                _("Bản sao lưu đã mã hóa: đặt BACKUP_ENCRYPTION_KEY (khóa dùng khi sao lưu).")
            )
        try:
            sealed = Fernet(key).decrypt(str(manifest.get("seal", "")).encode())
        except InvalidToken:
            raise CommandError(
                _(
                    "Không xác minh được bản sao lưu: sai khóa BACKUP_ENCRYPTION_KEY hoặc "
                    "manifest.json đã bị sửa."
                )
            ) from None
        if sealed != _body(manifest):
            raise CommandError(_("Không xác minh được bản sao lưu: manifest.json đã bị sửa."))
    checksums = manifest.get("sha256")
    if not isinstance(checksums, dict) or not checksums:
        raise CommandError(_("Bản sao lưu không có mã kiểm tra (sha256); không khôi phục."))
    for name, expected in sorted(checksums.items()):
        path = src / name
        if Path(name).name != name or not path.is_file():
            raise CommandError(_("Bản sao lưu thiếu tệp %(name)s.") % {"name": name})
        if sha256(path) != expected:
            raise CommandError(
                _("Tệp %(name)s không khớp mã kiểm tra: bị cắt cụt hoặc đã bị sửa.")
                % {"name": name}
            )
