"""Two smaller neighbours of Đồng Nguyên in the same province (issue 12 point 6): their own
groups, households, children, an officer and a collaborator each; and the province user."""

from datetime import date, timedelta

from children.models import Child
from children.services.register import child_save
from dongnguyen.models import Ward
from dongnguyen.roles import Role
from dongnguyen.services import user_create
from households.models import Household, ResidentialGroup
from households.services import household_save

from .demo import DEMO_PASSWORD

# (code, name, short name for the demo logins, groups, officer, collaborator)
NEIGHBOURS = [
    (
        "09373",
        "Tam Sơn",
        "tamson",
        [("TDP-01", "Tam Sơn 1"), ("TDP-02", "Dương Lôi"), ("TDP-03", "Cẩm Giang")],
        "Nguyễn Thị Thanh Mai",
        "Trần Văn Sơn",
    ),
    (
        "09379",
        "Phù Khê",
        "phukhe",
        [("TDP-01", "Phù Khê Thượng"), ("TDP-02", "Phù Khê Đông")],
        "Lê Văn Khải",
        "Đỗ Thị Hoa",
    ),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Bùi"]
MIDDLE = {"male": ["Văn", "Đức", "Minh", "Quang"], "female": ["Thị", "Ngọc", "Thu", "Thanh"]}
GIVEN = {
    "male": ["Khang", "Phúc", "Bảo", "Nam", "Huy", "Tùng", "Long", "Đạt"],
    "female": ["Linh", "Trang", "Hương", "Mai", "Vy", "Nhung", "Yến", "Thảo"],
}
CHILDREN_PER_WARD = 20


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    for code, name, short, groups, officer_name, ctv_name in NEIGHBOURS:
        ward, _ = Ward.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "province_name": "Bắc Ninh",
                "plan_number": f"{rng.randint(100, 160)}/KH-UBND",
                "signer_name": officer_name,
                "signer_title": "PHÓ CHỦ TỊCH",
                "signer_prefix": "KT. CHỦ TỊCH",
            },
        )
        made = [
            ResidentialGroup.objects.get_or_create(ward=ward, code=g_code, defaults={"name": g})[0]
            for g_code, g in groups
        ]
        officer = ctx.users[f"vhxh_{short}"] = user_create(
            username=f"vhxh_{short}",
            password=DEMO_PASSWORD,
            full_name=officer_name,
            role=Role.CASE_OFFICER,
            agency=ctx.agencies["vhxh"],
            ward=ward,
            email=f"vhxh_{short}@dongnguyen.example",
        )
        ctx.users[f"ctv_{short}"] = user_create(
            username=f"ctv_{short}",
            password=DEMO_PASSWORD,
            full_name=ctv_name,
            role=Role.COLLABORATOR,
            agency=ctx.agencies["tdp"],
            ward=ward,
            groups=[made[0]],
            email=f"ctv_{short}@dongnguyen.example",
        )
        for i in range(CHILDREN_PER_WARD):
            group = made[i % len(made)]
            if i % 2 == 0:
                head = f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN['male'])}"
                household = household_save(
                    household=Household(
                        code=f"HGD-{group.code[-2:]}-{i:03d}",
                        head_name=head,
                        address=f"Số {rng.randint(1, 200)}, {group.name}",
                        group=group,
                    ),
                    by=officer,
                )
            sex = rng.choice(["male", "female"])
            family = household.head_name.split()[0]
            full_name = f"{family} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
            age = rng.randint(3, 15)
            child_save(
                child=Child(
                    full_name=full_name,
                    sex=sex,
                    birth_date=date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                    household=household,
                    at_risk=rng.random() < 0.2,
                    registered_on=today - timedelta(days=rng.randint(30, 600)),
                ),
                by=officer,
            )
    ctx.users["tinh"] = user_create(
        username="tinh",
        password=DEMO_PASSWORD,
        full_name="Hoàng Minh Tuấn",
        role=Role.PROVINCE,
        agency=None,
        email="tinh@dongnguyen.example",
    )
