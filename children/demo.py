"""Demo children in every situation the register knows: in school, dropped out for economic
reasons (group h), at risk, in special circumstances, lawful and unlawful work in the
woodworking villages (sanding, lacquer, sawmill machines), 16–17-year-old minor workers, and
this year's screenings for part of the managed list."""

from datetime import date, timedelta

from dongnguyen.text import normalize_name
from households.demo import person_name
from households.models import Household

from .catalogue import load_catalogue
from .models import Child, Screening, SpecialGroup, WorkRecord
from .services import workrecord_assess

PRIMARY = {
    "Đồng Kỵ": "Trường Tiểu học Đồng Kỵ",
    "Trang Hạ": "Trường Tiểu học Trang Hạ",
    "Đồng Nguyên": "Trường Tiểu học Đồng Nguyên",
}
SECONDARY = {
    "Đồng Kỵ": "Trường THCS Đồng Kỵ",
    "Trang Hạ": "Trường THCS Trang Hạ",
    "Đồng Nguyên": "Trường THCS Đồng Nguyên",
}
WORKSHOPS = [
    "Xưởng đồ gỗ mỹ nghệ {n}",
    "Cơ sở sản xuất đồ gỗ {n}",
    "Xưởng sơn mài đồ gỗ {n}",
    "Xưởng xẻ gỗ {n}",
]

# job, workplace, hours/day, hours/week, papers (contract, consent, health), label
WORK = {
    "sanding": ("other_general", "normal", 4, 20, (True, True, True)),
    "sanding_long": ("other_general", "normal", 9, 54, (False, False, False)),
    "lacquer": ("chemicals_explosives", "normal", 8, 48, (False, False, False)),
    "sawmill": ("machine_maintenance", "normal", 8, 48, (False, True, False)),
    "carving_light": ("fine_handicraft", "normal", 3, 15, (True, True, True)),
}


def _area(household) -> str:
    addr = household.address
    return next((a for a in PRIMARY if a in addr), "Đồng Nguyên")


def _birth(rng, today: date, age: int) -> date:
    return today - timedelta(days=age * 365 + rng.randint(5, 360))


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    catalogue = load_catalogue()
    groups = {g.code: g for g in SpecialGroup.objects.all()}
    households = list(Household.objects.select_related("group").order_by("code"))
    children, plans = [], []
    for household in households:
        surname = household.head_name.split()[0]
        poor = household.poverty_status != "none"
        for _ in range(rng.choice([0, 1, 1, 2, 2, 2, 3])):
            sex = rng.choice(["male", "female"])
            age = rng.randint(0, 15)
            name = person_name(rng, sex, surname)
            child = Child(
                full_name=name,
                search_name=normalize_name(name),
                sex=sex,
                birth_date=_birth(rng, today, age),
                household=household,
                registered_on=today - timedelta(days=rng.randint(30, 1200)),
            )
            if rng.random() < 0.5:
                child.national_id = (
                    "001" + str(rng.randint(0, 1)) + f"{rng.randint(0, 10**8 - 1):08d}"
                )
            plan = {"groups": set(), "work": None, "screen": rng.random() < 0.55}
            area = _area(household)
            if age < 3:
                child.school_status = "under_school_age"
            elif age < 6:
                child.school_status = "in_school"
                child.school_name = "Trường Mầm non " + area
            else:
                child.school_status = "in_school"
                child.school_name = PRIMARY[area] if age < 11 else SECONDARY[area]
            roll = rng.random()
            if age >= 12 and roll < (0.25 if poor else 0.06):
                # Dropped out to earn a living: group h, usually working in a workshop.
                child.school_status = "dropped_out"
                child.school_name = SECONDARY[_area(household)]
                child.dropout_date = today - timedelta(days=rng.randint(20, 500))
                child.dropout_reason = "economic" if rng.random() < 0.8 else "academic"
                child.at_risk = True
                child.risk_factors = "Bỏ học, gia đình khó khăn, nhà gần xưởng gỗ."
                if child.dropout_reason == "economic":
                    plan["groups"].add("h")
                if rng.random() < 0.7:
                    plan["work"] = rng.choice(["sanding_long", "lacquer", "sawmill", "sanding"])
            elif age >= 10 and roll < (0.35 if poor else 0.12):
                child.at_risk = True
                child.risk_factors = rng.choice(
                    [
                        "Hay phụ giúp xưởng gỗ của người quen sau giờ học.",
                        "Bố mẹ đi làm xa, ở với ông bà; học lực yếu.",
                        "Gia đình thuộc hộ nghèo, có anh chị đã bỏ học đi làm.",
                    ]
                )
                if age >= 13 and rng.random() < 0.3:
                    plan["work"] = rng.choice(["carving_light", "sanding"])
            if rng.random() < 0.03:
                plan["groups"].add(rng.choice(["a", "c", "d", "d", "n"]))
                if "n" in plan["groups"] and not poor:
                    plan["groups"].discard("n")
                    plan["groups"].add("d")
            children.append(child)
            plans.append(plan)

    # Minor workers aged 16–17 in the craft villages: the register keeps them for the labour law.
    for household in rng.sample(households, 18):
        sex = rng.choice(["male", "female"])
        name = person_name(rng, sex, household.head_name.split()[0])
        children.append(
            Child(
                full_name=name,
                search_name=normalize_name(name),
                sex=sex,
                birth_date=_birth(rng, today, rng.choice([16, 17])),
                household=household,
                school_status=rng.choice(["dropped_out", "vocational", "not_enrolled"]),
                registered_on=today - timedelta(days=rng.randint(30, 600)),
                notes="Người lao động chưa thành niên tại xưởng gỗ.",
            )
        )
        c = children[-1]
        if c.school_status == "dropped_out":
            c.dropout_date = c.birth_date + timedelta(days=15 * 365 + rng.randint(0, 300))
            c.dropout_date = min(c.dropout_date, today - timedelta(days=10))
            c.dropout_reason = "economic"
        plans.append(
            {
                "groups": set(),
                "work": rng.choice(["sanding", "lacquer", "sawmill"]),
                "screen": False,
            }
        )

    # One child entered twice by two collaborators: the officer's merge demo.
    twin = next(c for c in children if c.household.group.code == "TDP-03" and c.at_risk)
    children.append(
        Child(
            full_name=twin.full_name.upper(),
            search_name=twin.search_name,
            sex=twin.sex,
            birth_date=twin.birth_date,
            household=twin.household,
            school_status=twin.school_status,
            school_name=twin.school_name,
            registered_on=today - timedelta(days=5),
            notes="Nhập trùng khi rà soát.",
        )
    )
    plans.append({"groups": set(), "work": None, "screen": False})

    Child.objects.bulk_create(children)

    links, records, screenings = [], [], []
    year_start = today.replace(month=1, day=1)
    officer = ctx.users.get("vhxh")
    for child, plan in zip(children, plans, strict=True):
        if plan["work"]:
            job, place, per_day, per_week, (contract, consent, health) = WORK[plan["work"]]
            started = max(
                child.birth_date + timedelta(days=13 * 365),
                today - timedelta(days=rng.randint(30, 400)),
            )
            record = WorkRecord(
                child=child,
                employer_name=rng.choice(WORKSHOPS).format(n=person_name(rng, "male")),
                job_code=job,
                workplace_code=place,
                hours_per_day=per_day,
                hours_per_week=per_week,
                night_work=plan["work"] == "lacquer" and rng.random() < 0.3,
                written_contract=contract,
                guardian_consent=consent,
                health_certificate=health,
                started_on=min(started, today),
                ended_on=None if rng.random() < 0.8 else today - timedelta(days=rng.randint(1, 25)),
            )
            assessment = workrecord_assess(record, catalogue=catalogue)
            records.append(record)
            if assessment.lawful is False and assessment.is_child:
                plan["groups"].add("k")
                child.at_risk = True
        for code in plan["groups"]:
            links.append(
                Child.special_groups.through(child_id=child.pk, specialgroup_id=groups[code].pk)
            )
        managed = child.at_risk or plan["groups"]
        if managed and plan["screen"] and child.age_on(today) < 16:
            screenings.append(
                Screening(
                    child=child,
                    date=year_start
                    + timedelta(days=rng.randint(0, max(0, (today - year_start).days))),
                    by=officer,
                    outcome="child_labour" if "k" in plan["groups"] else "at_risk",
                )
            )
    Child.objects.filter(pk__in=[c.pk for c in children if c.at_risk]).update(at_risk=True)
    WorkRecord.objects.bulk_create(records)
    Child.special_groups.through.objects.bulk_create(links)
    Screening.objects.bulk_create(screenings)
