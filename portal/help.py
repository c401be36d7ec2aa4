"""The user guide (Hướng dẫn sử dụng): Markdown files in docs/huong-dan/, one per role and one
for everyone, rendered by the app under "Trợ giúp" and printable from the browser."""

from dataclasses import dataclass
from pathlib import Path

import markdown
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dongnguyen.roles import Role

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "huong-dan"


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
    return mark_safe(markdown.markdown(text, extensions=["tables", "sane_lists"]))  # noqa: S308
