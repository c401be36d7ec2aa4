"""Demo data for the foundation: residential groups and one user per role.

seed_demo calls `seed(ctx)` of this module first, then of every app's demo.py, in the order of
DEMO_APPS; each app adds its own realistic records using ctx (shared random generator, users,
groups, today's date)."""

import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from dongnguyen.models import Agency
from dongnguyen.roles import Role
from dongnguyen.services import user_create
from households.models import ResidentialGroup

DEMO_PASSWORD = "dongnguyen2026"  # noqa: S105 — the documented demo password (DESIGN.md)

# Former Đồng Kỵ quarters, Trang Hạ villages and Đồng Nguyên (DOMAIN.md §6).
GROUPS = [
    ("TDP-01", "Thanh Bình"),
    ("TDP-02", "Thanh Nhàn"),
    ("TDP-03", "Nghè"),
    ("TDP-04", "Đại Đình"),
    ("TDP-05", "Tân Thành"),
    ("TDP-06", "Đồng Tiến"),
    ("TDP-07", "Khu phố Tư"),
    ("TDP-08", "Trang Liệt 1"),
    ("TDP-09", "Trang Liệt 2"),
    ("TDP-10", "Bính Hạ"),
    ("TDP-11", "Đồng Nguyên 1"),
    ("TDP-12", "Đồng Nguyên 2"),
]

USERS = [
    # username, full name, role, agency code, group codes
    ("lanhdao", "Nguyễn Văn Hùng", Role.LEADERSHIP, "ubnd", []),
    ("vhxh", "Trần Thị Thu Hà", Role.CASE_OFFICER, "vhxh", []),
    ("yte", "Lê Thị Minh Nguyệt", Role.HEALTH, "yte", []),
    ("congan", "Phạm Quốc Tuấn", Role.POLICE, "congan", []),
    ("kinhte", "Đỗ Văn Thắng", Role.FINANCE, "kthtdt", []),
    ("ctv1", "Nguyễn Thị Lan", Role.COLLABORATOR, "tdp", ["TDP-01"]),
    ("ctv2", "Ngô Văn Đức", Role.COLLABORATOR, "tdp", ["TDP-08"]),
    ("doanthe", "Vũ Thị Hằng", Role.MASS_ORG, "hoiphunu", []),
]

# Each module's seed(ctx) runs in this order; a missing module is an error.
DEMO_MODULES = [
    "households.demo",
    "children.demo",
    "inspections.demo",
    "children.demo_cases",
    "outreach.demo",
    "portal.demo_duties",
    "portal.demo_mgmt",  # issue 15: estimate, costs, donors, meetings, agency inputs, practices
    "portal.demo_wards",  # the neighbour wards and the province user
    "reports.demo",
    "notifications.demo",
]


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    users: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)
    agencies: dict = field(default_factory=dict)


def seed(ctx: DemoContext) -> None:
    for code, name in GROUPS:
        group, _ = ResidentialGroup.objects.get_or_create(code=code, defaults={"name": name})
        ctx.groups.append(group)
    ctx.agencies = {a.code: a for a in Agency.objects.all()}
    by_code = {g.code: g for g in ctx.groups}
    User = get_user_model()
    for username, full_name, role, agency, group_codes in USERS:
        ctx.users[username] = user_create(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            role=role,
            agency=ctx.agencies[agency],
            groups=[by_code[c] for c in group_codes],
            email=f"{username}@dongnguyen.example",
        )
    ctx.users["admin"] = User.objects.create_superuser(
        "admin", "admin@example.invalid", DEMO_PASSWORD, first_name="Quản trị", last_name=""
    )


def new_context(seed_value: int = 2026) -> DemoContext:
    return DemoContext(rng=random.Random(seed_value), today=timezone.localdate())
