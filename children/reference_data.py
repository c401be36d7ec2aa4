"""Reference data of the children app: the 14 special groups and the labour-law catalogue of
jobs and workplaces. Data migrations create it; a post_migrate handler (apps.py) restores it
after a test flush, as the core does for roles, agencies and holidays."""

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
    SpecialGroup = apps.get_model("children", "SpecialGroup")
    for order, (code, name) in enumerate(SPECIAL_GROUPS, start=1):
        SpecialGroup.objects.using(using).get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    _ensure_labour_catalogue(apps, using)


def _ensure_labour_catalogue(apps, using) -> None:
    """The canonical job and workplace codes of DOMAIN §2 (officers may add more and edit
    names; codes that exist are left as they are)."""
    from .labour_law import DEFAULT_CATALOGUE

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
