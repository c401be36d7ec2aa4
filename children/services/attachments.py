"""Files attached to a child or a case: type sniffing, size and archive checks, storing."""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError
from dongnguyen.permissions import require
from dongnguyen.roles import Role

from ..models import (
    Attachment,
    AttachmentKind,
    Case,
    Child,
)
from .care import _child_in_scope

# Extension → the type its first bytes must show. Nothing else is accepted: HTML, SVG and
# scripts never get in, whatever they are named.
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_type(uploaded) -> str | None:
    """The real type of an uploaded file from its content (magic bytes), or None."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return ATTACHMENT_TYPES[".docx"]
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return ATTACHMENT_TYPES[".xlsx"]
    return None


def attachment_check(uploaded) -> str:
    """Validate an upload; returns its sniffed content type or raises ServiceError."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ServiceError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {
                "size": f"{uploaded.size / 1048576:.1f}".replace(".", ","),
                "limit": f"{limit / 1048576:.0f}",
            }
        )
    if uploaded.size == 0:
        raise ServiceError(_("Tệp rỗng."))
    ext = Path(uploaded.name or "").suffix.lower()
    expected = ATTACHMENT_TYPES.get(ext)
    if expected is None:
        raise ServiceError(
            _("Chỉ nhận tệp PDF, JPG, PNG, DOCX hoặc XLSX (tệp «%(name)s» không được phép).")
            % {"name": uploaded.name}
        )
    if sniff_type(uploaded) != expected:
        raise ServiceError(
            _(
                "Nội dung tệp «%(name)s» không đúng với định dạng %(ext)s; "
                "tệp có thể bị đổi tên hoặc bị hỏng."
            )
            % {"name": uploaded.name, "ext": ext.lstrip(".").upper()}
        )
    return expected


@transaction.atomic
def attachment_add(
    *,
    by,
    uploaded,
    kind: str,
    child: Child | None = None,
    case: Case | None = None,
    description: str = "",
) -> Attachment:
    """Attach a file to a case (officers) or to a child (officers; collaborators for children
    of their own groups). Stored under a random name; served only by the download view."""
    role = require(by, "attachment.upload")
    if case is not None:
        if role != Role.CASE_OFFICER:
            raise PermissionDenied(_("Chỉ công chức VH-XH đính kèm tài liệu vào hồ sơ vụ việc."))
        child = case.child
    if child is None:
        raise ServiceError(_("Tài liệu cần gắn với một trẻ em hoặc một hồ sơ."))
    _child_in_scope(child, by)
    if kind not in AttachmentKind.values:
        raise ServiceError(_("Hãy chọn loại tài liệu."))
    content_type = attachment_check(uploaded)
    original = Path(uploaded.name).name[:255]
    attachment = Attachment(
        child=child,
        case=case,
        kind=kind,
        description=description,
        original_name=original,
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=by,
    )
    attachment.file.save(original, uploaded, save=False)
    attachment.save()
    return attachment
