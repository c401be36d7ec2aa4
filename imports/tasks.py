from celery import shared_task

from .models import ImportJob


@shared_task(name="imports.check")
def import_check_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).first()
    if job is not None:  # gone or already checked: running twice is harmless
        from .services import import_job_check

        import_job_check(job=job)


@shared_task(name="imports.run")
def import_run_task(job_id: int) -> None:
    from .services import import_job_run

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        import_job_run(job=job)
