"""Reference data of the core every installation needs: role groups, agencies, holidays. Data
migrations create it; a post_migrate handler (apps.py) restores it after a test flush, since
transactional tests empty every table. Apps above keep their own (children/reference_data.py)."""

from datetime import date

ROLES = [
    "leadership",
    "case_officer",
    "health",
    "police",
    "finance",
    "collaborator",
    "mass_org",
    "school",
    "service_centre",
    "province",
]

AGENCIES = [
    ("ubnd", "UBND phường"),
    ("vhxh", "Phòng Văn hóa - Xã hội"),
    ("yte", "Trạm Y tế phường"),
    ("congan", "Công an phường"),
    ("kthtdt", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("ttdv", "Trung tâm cung ứng dịch vụ sự nghiệp công"),
    ("mttq", "Ủy ban MTTQ Việt Nam phường"),
    ("hoiphunu", "Hội Liên hiệp Phụ nữ phường"),
    ("doanthanhnien", "Đoàn Thanh niên phường"),
    ("hoinongdan", "Hội Nông dân phường"),
    ("hoicuuchienbinh", "Hội Cựu chiến binh phường"),
    ("truonghoc", "Các trường học trên địa bàn"),
    ("tdp", "Tổ dân phố"),
]

# Public holidays 2026 (Labour Code art. 112; Tết dates as announced for 2026). Officers keep
# this table current in the admin; deadlines read it, nothing is hard-coded in logic.
HOLIDAYS = [
    (date(2026, 1, 1), "Tết Dương lịch"),
    *[(date(2026, 2, d), "Tết Nguyên đán") for d in range(14, 23)],
    (date(2026, 4, 27), "Giỗ Tổ Hùng Vương (nghỉ bù)"),
    (date(2026, 4, 30), "Ngày Chiến thắng"),
    (date(2026, 5, 1), "Quốc tế Lao động"),
    (date(2026, 9, 1), "Quốc khánh"),
    (date(2026, 9, 2), "Quốc khánh"),
]


def ensure_reference_data(apps=None, using="default") -> None:
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Agency = apps.get_model("dongnguyen", "Agency")
    Holiday = apps.get_model("dongnguyen", "Holiday")
    for role in ROLES:
        Group.objects.using(using).get_or_create(name=role)
    for code, name in AGENCIES:
        Agency.objects.using(using).get_or_create(code=code, defaults={"name": name})
    for day, name in HOLIDAYS:
        Holiday.objects.using(using).get_or_create(date=day, defaults={"name": name})
