"""Demo households: 25–40 per residential group, Vietnamese names, addresses along provincial
road 277 and in the Đồng Kỵ, Trang Hạ (Trang Liệt, Bính Hạ) and Đồng Nguyên quarters."""

from django.core.exceptions import ValidationError

from dongnguyen.text import normalize_name
from dongnguyen.validators import validate_vn_phone

from .models import Caregiver, Household, PovertyStatus

SURNAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Bùi", "Đặng",
    "Đào", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Đỗ", "Đỗ", "Ngô",
]  # fmt: skip
MALE_MIDDLE = ["Văn", "Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Công", "Tiến"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Phương"]
MALE_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Nam", "Phong", "Quân", "Sơn",
    "Thắng", "Tuấn", "Việt", "Đạt", "Khánh", "Hiếu", "Huy", "Toàn", "Tùng", "Hòa", "Kiên",
]  # fmt: skip
FEMALE_GIVEN = [
    "Anh", "Hà", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Nhung", "Phương", "Thảo",
    "Trang", "Vân", "Yến", "Hằng", "Giang", "Huyền", "Loan", "Thủy", "Dung",
]  # fmt: skip

# Where each group lives (DOMAIN §6): Đồng Kỵ quarters along road 277, Trang Hạ villages.
AREAS = {
    "TDP-01": "khu phố Thanh Bình, Đồng Kỵ",
    "TDP-02": "khu phố Thanh Nhàn, Đồng Kỵ",
    "TDP-03": "khu phố Nghè, Đồng Kỵ",
    "TDP-04": "khu phố Đại Đình, Đồng Kỵ",
    "TDP-05": "khu phố Tân Thành, Đồng Kỵ",
    "TDP-06": "khu phố Đồng Tiến, Đồng Kỵ",
    "TDP-07": "khu phố Tư, Đồng Kỵ",
    "TDP-08": "thôn Trang Liệt, Trang Hạ",
    "TDP-09": "thôn Trang Liệt, Trang Hạ",
    "TDP-10": "thôn Bính Hạ, Trang Hạ",
    "TDP-11": "khu phố Đồng Nguyên",
    "TDP-12": "khu phố Đồng Nguyên",
}
POVERTY = [PovertyStatus.NONE] * 40 + [
    PovertyStatus.NEAR_POOR,
    PovertyStatus.NEAR_POOR,
    PovertyStatus.NEAR_POOR,
    PovertyStatus.POOR,
    PovertyStatus.POOR,
    PovertyStatus.HARDSHIP,
    PovertyStatus.HARDSHIP,
]


def person_name(rng, sex: str, surname: str | None = None) -> str:
    surname = surname or rng.choice(SURNAMES)
    if sex == "male":
        return f"{surname} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"
    return f"{surname} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"


def _address(rng, group) -> str:
    area = AREAS.get(group.code, f"tổ dân phố {group.name}")
    if group.code <= "TDP-07" and rng.random() < 0.4:
        return f"Số {rng.randint(1, 480)} đường TL277, {area}"
    return f"Số {rng.randint(1, 60)}, ngõ {rng.randint(1, 25)}, {area}"


def _phone(rng) -> str:
    return valid_phone(
        rng.choice(["09", "03", "08", "07"]) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    )


def valid_phone(number: str) -> str:
    """A random demo number moved into the 03x range (all allocated) when libphonenumber knows
    its range as unallocated (071–075, 080, 089, 0992…): the demo holds only numbers the app
    accepts, and draws the same random numbers as before."""
    try:
        validate_vn_phone(number)
    except ValidationError:
        return "03" + number[2:]
    return number


def seed(ctx) -> None:
    rng = ctx.rng
    households = []
    for group in ctx.groups:
        number = int(group.code.split("-")[1])
        for i in range(1, rng.randint(25, 40) + 1):
            head = person_name(rng, "male" if rng.random() < 0.85 else "female")
            households.append(
                Household(
                    code=f"HGD-{number:02d}-{i:03d}",
                    head_name=head,
                    search_name=normalize_name(head),
                    address=_address(rng, group),
                    group=group,
                    phone=_phone(rng) if rng.random() < 0.8 else "",
                    poverty_status=rng.choice(POVERTY),
                )
            )
    Household.objects.bulk_create(households)
    households = list(Household.objects.filter(code__startswith="HGD-").order_by("code"))

    caregivers = []
    for household in households:
        surname = household.head_name.split()[0]
        head_is_man = household.head_name.split()[1] not in FEMALE_MIDDLE
        if head_is_man:
            caregivers.append(
                Caregiver(household=household, name=household.head_name, relation="Bố")
            )
            if rng.random() < 0.9:
                caregivers.append(
                    Caregiver(household=household, name=person_name(rng, "female"), relation="Mẹ")
                )
        else:
            caregivers.append(
                Caregiver(household=household, name=household.head_name, relation="Mẹ")
            )
        if rng.random() < 0.2:
            caregivers.append(
                Caregiver(
                    household=household,
                    name=person_name(rng, "female", surname),
                    relation=rng.choice(["Bà nội", "Bà ngoại", "Ông nội"]),
                )
            )
        for c in caregivers[-3:]:
            if c.household is household and not c.phone and rng.random() < 0.6:
                c.phone = _phone(rng)
    Caregiver.objects.bulk_create(caregivers)
