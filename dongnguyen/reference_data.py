"""Reference data every installation needs: role groups, agencies, holidays, the 14 special
groups. Data migrations create it; a post_migrate handler (apps.py) restores it after a test
flush, since transactional tests empty every table."""

from datetime import date

ROLES = ["leadership", "case_officer", "health", "police", "finance", "collaborator", "mass_org"]

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


# Luật Trẻ em 2016 art. 10(1): the 14 groups of children in special circumstances.
SPECIAL_GROUPS = [
    ("a", "Trẻ em mồ côi cả cha và mẹ"),
    ("b", "Trẻ em bị bỏ rơi"),
    ("c", "Trẻ em không nơi nương tựa"),
    ("d", "Trẻ em khuyết tật"),
    ("đ", "Trẻ em nhiễm HIV/AIDS"),
    ("e", "Trẻ em vi phạm pháp luật"),
    ("g", "Trẻ em nghiện ma túy"),
    ("h", "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở"),
    ("i", "Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực"),
    ("k", "Trẻ em bị bóc lột (kể cả lao động trái quy định của pháp luật)"),
    ("l", "Trẻ em bị xâm hại tình dục"),
    ("m", "Trẻ em bị mua bán"),
    ("n", "Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo, cận nghèo"),
    (
        "o",
        "Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc",
    ),
]


def ensure_reference_data(apps=None, using="default") -> None:
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Agency = apps.get_model("dongnguyen", "Agency")
    Holiday = apps.get_model("dongnguyen", "Holiday")
    SpecialGroup = apps.get_model("children", "SpecialGroup")
    for role in ROLES:
        Group.objects.using(using).get_or_create(name=role)
    for code, name in AGENCIES:
        Agency.objects.using(using).get_or_create(code=code, defaults={"name": name})
    for day, name in HOLIDAYS:
        Holiday.objects.using(using).get_or_create(date=day, defaults={"name": name})
    for order, (code, name) in enumerate(SPECIAL_GROUPS, start=1):
        SpecialGroup.objects.using(using).get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    _ensure_labour_catalogue(apps, using)


def _ensure_labour_catalogue(apps, using) -> None:
    """The canonical job and workplace codes of DOMAIN §2 (officers may add more and edit
    names; codes that exist are left as they are)."""
    from children.labour_law import DEFAULT_CATALOGUE

    JobType = apps.get_model("children", "JobType")
    WorkplaceType = apps.get_model("children", "WorkplaceType")
    for job in DEFAULT_CATALOGUE.jobs.values():
        JobType.objects.using(using).get_or_create(
            code=job.code, defaults={"name": job.name, "lists": ",".join(sorted(job.lists))}
        )
    for place in DEFAULT_CATALOGUE.workplaces.values():
        WorkplaceType.objects.using(using).get_or_create(
            code=place.code,
            defaults={"name": place.name, "banned": place.banned, "legal_basis": place.legal_basis},
        )
