from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.models import default_ward_id
from dongnguyen.roles import Role, in_ward, role_of


class Kind(models.TextChoices):
    HOUSEHOLDS = "households", _("Hộ gia đình")
    CHILDREN = "children", _("Trẻ em")
    BUSINESSES = "businesses", _("Cơ sở sản xuất, kinh doanh")
    ATTENDANCE = "attendance", _("Hộ dự buổi tuyên truyền")


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        return in_ward(self, user, "ward")._for_role(user)

    def _for_role(self, user):
        # Imports touch the whole ward's registers: case officers only.
        return self if role_of(user) == Role.CASE_OFFICER else self.none()


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Đang kiểm tra")
        PREVIEWED = "previewed", _("Đã kiểm tra")
        QUEUED = "queued", _("Chờ nhập")
        RUNNING = "running", _("Đang nhập")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Không nhập được")

    class Source(models.TextChoices):
        WEB = "web", _("Trang web")
        CLI = "cli", _("Dòng lệnh")

    kind = models.CharField(_("loại dữ liệu"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    source = models.CharField(_("nguồn"), max_length=3, choices=Source.choices, default="web")
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    count_new = models.PositiveIntegerField(_("thêm mới"), default=0)
    count_update = models.PositiveIntegerField(_("cập nhật"), default=0)
    count_unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    count_error = models.PositiveIntegerField(_("dòng lỗi"), default=0)
    # A problem with the file as a whole (wrong type, missing column), not with one row.
    message = models.TextField(_("thông báo"), blank=True)
    # [{"row": 7, "message": "..."}] for error rows only, so the list stays small.
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # Every row of the last check as [row number, status, label, message]: the paginated
    # preview reads it without parsing the file again.
    rows = models.JSONField(default=list, blank=True, verbose_name=_("các dòng đã kiểm tra"))
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    finished_at = models.DateTimeField(_("lúc hoàn thành"), null=True, blank=True)
    # When the import was last queued or claimed by a worker: how long it has been stuck, and
    # the lease a run must still hold when it commits (a retry takes it away).
    run_started_at = models.DateTimeField(_("lúc bắt đầu nhập"), null=True, blank=True)
    # The importer's ward: the rows land there and group codes are looked up there.
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("các lần nhập dữ liệu")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.QUEUED, self.Status.RUNNING)

    def can_retry(self, now=None) -> bool:
        """A failed import, or one stuck checking, queued or running for longer than
        IMPORT_STALE_MINUTES (its worker was killed: the transaction rolled back, nothing was
        saved). A check that never got a lease counts from the upload."""
        if self.status == self.Status.FAILED:
            return True
        if not self.in_progress:
            return False
        started = self.run_started_at
        if started is None and self.status == self.Status.CHECKING:
            started = self.created_at
        if started is None:
            return True  # queued before the lease was recorded: its age is unknown
        stale = timedelta(minutes=getattr(settings, "IMPORT_STALE_MINUTES", 30))
        return started < (now or timezone.now()) - stale

    @property
    def was_confirmed(self) -> bool:
        """An officer confirmed this file's preview: a retry runs the import again. Otherwise
        (a check that died or failed, a command-line run) a retry checks the file again, and
        the officer confirms the new preview as usual."""
        return self.confirmed_by_id is not None

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == self.Status.PREVIEWED
            and not self.message
            and self.count_error == 0
            and self.count_new + self.count_update > 0
        )
