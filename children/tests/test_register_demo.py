from children import demo as children_demo
from children.models import Child, Screening, WorkRecord
from households import demo as households_demo
from households.models import Household, ResidentialGroup
from portal import demo


def test_it_seeds_households_and_children_in_every_situation(db):
    ctx = demo.new_context()
    demo.seed(ctx)
    households_demo.seed(ctx)
    children_demo.seed(ctx)
    per_group = {g.code: Household.objects.filter(group=g).count() for g in ctx.groups}
    assert all(25 <= n <= 40 for n in per_group.values())
    children = Child.objects.all()
    assert children.filter(school_status="dropped_out", dropout_reason="economic").exists()
    assert children.filter(at_risk=True).exists()
    for code in ("h", "k"):
        assert children.filter(special_groups__code=code).exists(), code
    jobs = set(WorkRecord.objects.values_list("job_code", flat=True))
    assert {"other_general", "chemicals_explosives", "machine_maintenance"} <= jobs
    assert WorkRecord.objects.filter(lawful=True).exists()
    assert WorkRecord.objects.filter(lawful=False).exists()
    assert Screening.objects.exists()
    assert all(c.age < 18 for c in children)
    assert (
        "Đồng Kỵ" in Household.objects.first().address
        or Household.objects.filter(address__contains="Trang Hạ").exists()
    )


def test_it_seeds_the_same_ward_every_time(db):
    names = []
    for _ in range(2):
        Child.objects.all().delete()
        Household.objects.all().delete()
        ctx = demo.new_context()
        ctx.groups = list(ResidentialGroup.objects.all())
        if not ctx.groups:
            demo.seed(ctx)
        households_demo.seed(ctx)
        children_demo.seed(ctx)
        names.append(list(Child.objects.order_by("pk").values_list("full_name", flat=True)))
    assert names[0] == names[1]
