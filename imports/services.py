"""Writes of the import area. The web upload, its Celery tasks and `import_records` all go
through these functions, so a file is checked and imported the same way everywhere."""

import logging
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dongnguyen import jobs
from dongnguyen.errors import ServiceError
from dongnguyen.events import announce
from dongnguyen.roles import ward_of

from .models import ImportJob, Kind
from .readers import FileProblem, read_sheet
from .resources import ERROR, NEW, RESOURCES, UNCHANGED, UPDATE, ImportResource

S = ImportJob.Status
QUEUE_DOWN_CONFIRM = gettext_lazy(
    "Chưa gửi được yêu cầu nhập: hàng đợi công việc không trả lời. Chưa có dòng nào được "
    "nhập; hãy bấm “Xác nhận nhập” lại sau ít phút."
)
QUEUE_DOWN_CHECK = gettext_lazy(
    "Chưa gửi được yêu cầu kiểm tra tệp: hàng đợi công việc không trả lời. Hãy tải tệp lên "
    "lại sau ít phút."
)
CHECK_FAILED = gettext_lazy(
    "Lỗi khi kiểm tra tệp, chưa nhập dòng nào. Hãy bấm “Thử lại”; nếu vẫn lỗi, hãy báo quản "
    "trị hệ thống."
)
logger = logging.getLogger(__name__)


# The models each kind writes in bulk (bulk_create/update send no model signals, so the import
# announces them itself: dongnguyen/events.py).
WRITES = {
    Kind.HOUSEHOLDS: ("households.Household", "households.Caregiver"),
    Kind.CHILDREN: ("children.Child", "households.Household"),
    Kind.BUSINESSES: ("inspections.Business",),
    Kind.ATTENDANCE: ("outreach.OutreachSession",),
}


def _set_progress(job: ImportJob, fraction: float) -> None:
    job.progress = int(fraction * 100)
    # A plain UPDATE: the page polling this row sees it while the check is still running.
    ImportJob.objects.filter(pk=job.pk).update(progress=job.progress)


def _plan(job: ImportJob, *, scale: float = 1.0) -> ImportResource:
    with job.file.open("rb") as fh:
        data = fh.read()
    sheet = read_sheet(job.original_name, data)
    resource = RESOURCES[job.kind](progress=lambda f: _set_progress(job, f * scale), ward=job.ward)
    resource.plan(sheet)
    return resource


def _record(job: ImportJob, importer: ImportResource | None, problem: str = "") -> None:
    results = importer.results if importer else []
    counts = {NEW: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
    for r in results:
        counts[r.status] += 1
    job.total_rows = len(results)
    job.count_new, job.count_update = counts[NEW], counts[UPDATE]
    job.count_unchanged, job.count_error = counts[UNCHANGED], counts[ERROR]
    job.rows = [r.as_list() for r in results]
    job.errors = [{"row": r.row, "message": r.message} for r in results if r.status == ERROR]
    job.message = problem


@transaction.atomic
def import_job_create(
    *, kind: str, name: str, data: bytes, user=None, source="web", ward=None
) -> ImportJob:
    """A new import job of `user`'s ward (`ward`: the command line's --ward, for no user)."""
    if kind not in RESOURCES:
        raise ValueError(f"Loại dữ liệu không hợp lệ: {kind}")
    job = ImportJob(
        kind=kind,
        original_name=Path(name).name[:255],
        uploaded_by=user,
        source=source,
        ward=ward if ward is not None else ward_of(user),
    )
    job.file.save(Path(name).name, ContentFile(data), save=False)
    job.save()
    return job


def import_job_check(*, job: ImportJob) -> ImportJob:
    """The dry run: classify every row as new / update / unchanged / error; saves nothing
    but the job's own row. Not one transaction, so the polling page sees the progress.
    The result is kept only if the check still holds its lease (`run_started_at`): a check
    thought dead and retried meanwhile must not overwrite the newer one's outcome."""
    lease = job.run_started_at
    try:
        importer = _plan(job)
        _record(job, importer)
        job.status = S.PREVIEWED
    except FileProblem as exc:
        _record(job, None, str(exc))
        job.status = S.PREVIEWED
    except Exception:
        logger.exception("import check %s failed", job.pk)
        _record(job, None, str(CHECK_FAILED))
        job.status = S.FAILED
    job.progress = 100
    fields = ["status", "progress", "total_rows", "count_new", "count_update"]
    fields += ["count_unchanged", "count_error", "rows", "errors", "message"]
    kept = ImportJob.objects.filter(pk=job.pk, status=S.CHECKING, run_started_at=lease)
    if not kept.update(**{f: getattr(job, f) for f in fields}):
        logger.warning("import check %s was retried while running; its result is dropped", job.pk)
        job.refresh_from_db()
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, by) -> ImportJob:
    """Queue a clean, checked file for import. The task starts once this transaction commits."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.can_confirm:
        raise ServiceError(_("Chỉ nhập được tệp đã kiểm tra, không có dòng lỗi."))
    job.status, job.confirmed_by, job.progress = S.QUEUED, by, 0
    job.run_started_at = timezone.now()
    job.save(update_fields=["status", "confirmed_by", "progress", "run_started_at"])
    transaction.on_commit(lambda: _queue_run(job.pk))
    return job


def _queue_run(job_id: int) -> None:
    """Hand a confirmed job to the workers; if Redis cannot take it, the job goes back to
    "checked" so the officer can confirm it again later (nothing was imported)."""
    from .tasks import import_run_task

    if not jobs.enqueue(import_run_task, job_id):
        ImportJob.objects.filter(pk=job_id, status=S.QUEUED).update(
            status=S.PREVIEWED, confirmed_by=None
        )


def import_job_queue_check(*, job: ImportJob) -> bool:
    """Check a big file in a worker. False if Redis cannot take it: the job is then marked
    failed with a message saying to upload it again later."""
    from .tasks import import_check_task

    if jobs.enqueue(import_check_task, job.pk):
        return True
    ImportJob.objects.filter(pk=job.pk, status=S.CHECKING).update(
        status=S.FAILED, message=str(QUEUE_DOWN_CHECK)
    )
    return False


@transaction.atomic
def import_job_retry(*, job: ImportJob, by) -> ImportJob:
    """Queue again an import that failed or got stuck (ImportJob.can_retry). A confirmed one
    is imported again: the rows are checked afresh and written all or none, so a second run
    never half-imports, and matching by code and name makes rows already imported come out
    unchanged. One never confirmed (its check died or failed) is checked again."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.can_retry():
        raise ServiceError(_("Lần nhập này đang chạy hoặc đã xong, chưa thể thử lại."))
    again = S.QUEUED if job.was_confirmed else S.CHECKING
    job.status, job.progress = again, 0
    if job.was_confirmed:
        job.confirmed_by = by
    job.message, job.finished_at = "", None
    # A new lease: a run or check of the old one still alive finds it gone and saves nothing.
    job.run_started_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "confirmed_by",
            "progress",
            "message",
            "finished_at",
            "run_started_at",
        ]
    )
    if again == S.QUEUED:
        transaction.on_commit(lambda: _queue_run(job.pk))
    else:
        transaction.on_commit(lambda: import_job_queue_check(job=job))
    return job


class _LeaseLost(Exception):
    """The job was queued again while this run was working on it."""


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Import a queued file, all rows or none. The rows are checked again (the registers may
    have changed since the preview); one bad row and nothing is saved."""
    lease = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=S.QUEUED).update(
        status=S.RUNNING, run_started_at=lease
    )
    if not claimed:  # already run (a task delivered twice) or never confirmed
        job.refresh_from_db()
        return job
    job.status, job.run_started_at = S.RUNNING, lease
    user = job.confirmed_by or job.uploaded_by
    try:
        importer = _plan(job, scale=0.5)
        _record(job, importer)
        if job.count_error:
            job.status = S.FAILED
            job.message = _(
                "Dữ liệu đã thay đổi từ lúc kiểm tra: có dòng lỗi, không nhập dòng nào."
            )
        else:
            _set_progress(job, 0.5)
            with transaction.atomic():
                if not ImportJob.objects.select_for_update().filter(
                    pk=job.pk, status=S.RUNNING, run_started_at=lease
                ):
                    raise _LeaseLost
                importer.apply(user)
                announce(*WRITES[job.kind])  # bulk writes send no model signals
            job.status = S.DONE
    except _LeaseLost:
        logger.warning("import %s was queued again while running; this run saved nothing", job.pk)
        job.refresh_from_db()
        return job
    except FileProblem as exc:
        _record(job, None, str(exc))
        job.status = S.FAILED
    except Exception as exc:  # e.g. a code taken meanwhile: the transaction rolled back
        logger.exception("import %s failed", job.pk)
        job.status = S.FAILED
        job.message = _("Lỗi khi ghi dữ liệu, không nhập dòng nào: %(e)s") % {"e": exc}
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    return job


def import_records(
    *, kind: str, path: str | Path, dry_run: bool = False, user=None, ward=None
) -> ImportJob:
    """`manage.py import_records`: a dry run is the web's check; otherwise the file goes
    straight to the web's import step, which checks every row again and saves nothing if
    one fails (one pass over the file instead of two). The rows land in `ward` (default: the
    user's, else the first ward) and their group codes must be that ward's."""
    path = Path(path)
    job = import_job_create(
        kind=kind,
        name=path.name,
        data=path.read_bytes(),
        user=user,
        source=ImportJob.Source.CLI,
        ward=ward,
    )
    if dry_run:
        return import_job_check(job=job)
    ImportJob.objects.filter(pk=job.pk).update(status=S.QUEUED)
    job.status = S.QUEUED
    return import_job_run(job=job)
