"""The job and workplace catalogue the labour-law assessment reads.

The lists live in the JobType and WorkplaceType tables (seeded from
labour_law.DEFAULT_CATALOGUE by migration 0005, extended by officers in the admin), so an
officer can complete Appendices III–V without a code change."""

from dongnguyen.text import vn_sort_key

from .labour_law import Catalogue, JobInfo, WorkplaceInfo


def load_catalogue() -> Catalogue:
    """Every row, active or not: a retired job must still judge the records that use it."""
    from .models import JobType, WorkplaceType

    return Catalogue.build(
        jobs=[JobInfo(j.code, j.name, j.list_tags) for j in JobType.objects.all()],
        workplaces=[
            WorkplaceInfo(w.code, w.name, w.banned, w.legal_basis)
            for w in WorkplaceType.objects.all()
        ],
    )


def job_choices() -> list[tuple[str, str]]:
    from .models import JobType

    rows = JobType.objects.filter(active=True).values_list("code", "name")
    return sorted(rows, key=lambda row: vn_sort_key(row[1]))  # Vietnamese order


def workplace_choices() -> list[tuple[str, str]]:
    from .models import WorkplaceType

    rows = WorkplaceType.objects.filter(active=True).values_list("code", "name")
    return sorted(rows, key=lambda row: vn_sort_key(row[1]))
