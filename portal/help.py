"""The user guide (Hướng dẫn sử dụng): Markdown files in docs/huong-dan/, one per role and one
for everyone, rendered by the app under "Trợ giúp" and printable from the browser."""

import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dongnguyen.roles import Role

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "huong-dan"
# The guides' pictures: screenshots of the app written by tests/e2e/test_every_page.py.
IMAGE_DIR = GUIDE_DIR / "img"
_IMAGE_NAME = re.compile(r"^[a-z0-9-]+\.png$")
# In the Markdown a picture is ![what it shows](img/NAME.png), as a Markdown viewer of the
# repository expects; on the app's page it is served by the help_image URL.
_IMAGE_SRC = re.compile(r'src="img/([a-z0-9-]+\.png)"')


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    role: str | None  # None: for everyone


GUIDES = [
    Guide("chung", _("Hướng dẫn chung"), None),
    Guide("lanh-dao", _("Lãnh đạo UBND phường"), Role.LEADERSHIP),
    Guide("vhxh", _("Công chức Văn hóa - Xã hội"), Role.CASE_OFFICER),
    Guide("cong-tac-vien", _("Cộng tác viên tổ dân phố"), Role.COLLABORATOR),
    Guide("cong-an", _("Công an phường"), Role.POLICE),
    Guide("y-te", _("Trạm Y tế phường"), Role.HEALTH),
    Guide("doan-the", _("Ủy ban MTTQ và các đoàn thể"), Role.MASS_ORG),
    Guide("kinh-te", _("Phòng Kinh tế, Hạ tầng và Đô thị"), Role.FINANCE),
    Guide("truong-hoc", _("Giáo viên phụ trách của nhà trường"), Role.SCHOOL),
    Guide("trung-tam-dich-vu", _("Trung tâm cung ứng dịch vụ sự nghiệp công"), Role.SERVICE_CENTRE),
    Guide("cap-tinh", _("Cán bộ cấp tỉnh"), Role.PROVINCE),
]
BY_SLUG = {g.slug: g for g in GUIDES}


def render_guide(slug: str) -> str:
    """The guide's HTML. The Markdown is ours (in the repository), never a user's text."""
    text = (GUIDE_DIR / f"{slug}.md").read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    html = _IMAGE_SRC.sub(lambda m: f'src="{reverse("help_image", args=[m[1]])}"', html)
    return mark_safe(html)  # noqa: S308


def image_path(name: str) -> Path | None:
    """The file of a guide's picture, or None for a name that is not one."""
    if not _IMAGE_NAME.match(name):
        return None
    path = IMAGE_DIR / name
    return path if path.is_file() else None
