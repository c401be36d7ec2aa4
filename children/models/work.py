"""Screenings and work records of the children on the register."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dongnguyen.versioning import Versioned

from .register import Child, ChildLinkedQuerySet, JobType, WorkplaceType, kept_ward


class Screening(models.Model):
    class Outcome(models.TextChoices):
        NO_RISK = "no_risk", _("Không có nguy cơ")
        AT_RISK = "at_risk", _("Có nguy cơ lao động sớm")
        CHILD_LABOUR = "child_labour", _("Đang lao động trái quy định")
        SPECIAL = "special", _("Có hoàn cảnh đặc biệt")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="screenings", verbose_name=_("trẻ em")
    )
    date = models.DateField(_("ngày rà soát"), default=timezone.localdate)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("người rà soát"),
    )
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("ghi chú"), blank=True)

    # The child's ward, kept by database triggers like Child.ward (migration children
    # 0025_child_rows_ward): the report's "screened / followed up / supported this year"
    # reads the ward's rows through (ward, date) instead of hashing the province's.
    ward = kept_ward()

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rà soát")
        verbose_name_plural = _("rà soát")
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["date", "child"]),
            # "No screening this year" per child of a ward (the home tile, the screening page):
            # one index probe each instead of hashing the whole province's screenings.
            models.Index(fields=["child", "date"], name="screening_child_date_idx"),
            models.Index(fields=["ward", "date", "child"], name="screening_ward_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.date:%d/%m/%Y})"


class WorkRecordQuerySet(ChildLinkedQuerySet):
    def with_catalogue_names(self):
        """Annotate `job_name` and `workplace_name` from the catalogue (the code itself when
        the catalogue has no such row), in the records' own query: no catalogue load."""

        def name_of(model, code_field):
            name = model._base_manager.filter(code=OuterRef(code_field)).values("name")[:1]
            return Coalesce(Subquery(name), code_field, output_field=models.CharField())

        return self.annotate(
            job_name=name_of(JobType, "job_code"),
            workplace_name=name_of(WorkplaceType, "workplace_code"),
        )


class WorkRecord(Versioned):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="work_records", verbose_name=_("trẻ em")
    )
    business = models.ForeignKey(
        "inspections.Business",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_records",
        verbose_name=_("cơ sở"),
    )
    employer_name = models.CharField(_("người/cơ sở sử dụng lao động"), max_length=200, blank=True)
    job_code = models.CharField(_("công việc"), max_length=40)
    workplace_code = models.CharField(_("nơi làm việc"), max_length=40, default="normal")
    hours_per_day = models.DecimalField(
        _("giờ/ngày"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hours_per_week = models.DecimalField(
        _("giờ/tuần"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    night_work = models.BooleanField(_("làm việc ban đêm (22h–6h)"), default=False)
    overtime = models.BooleanField(_("làm thêm giờ"), default=False)
    written_contract = models.BooleanField(_("có hợp đồng bằng văn bản"), default=False)
    guardian_consent = models.BooleanField(_("có đồng ý của người đại diện"), default=False)
    health_certificate = models.BooleanField(_("có giấy khám sức khỏe"), default=False)
    provincial_approval = models.BooleanField(
        _("có chấp thuận của cơ quan lao động tỉnh"), default=False
    )
    started_on = models.DateField(_("bắt đầu từ"))
    ended_on = models.DateField(_("kết thúc ngày"), null=True, blank=True)
    lawful = models.BooleanField(_("đúng quy định"), null=True)
    violations = models.JSONField(_("vi phạm"), default=list, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))

    history = HistoricalRecords()
    objects = WorkRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("quá trình làm việc")
        verbose_name_plural = _("quá trình làm việc")
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["lawful", "started_on", "ended_on"]),
            # "In unlawful work in P" (reports.conditions.child_in_labour) for a ward's children:
            # the work records are read from this index alone (a few pages for the whole
            # province) instead of every work record's row.
            models.Index(
                fields=["child", "started_on", "ended_on"],
                condition=Q(lawful=False),
                name="workrecord_unlawful_child_idx",
            ),
        ]
        constraints = [
            # The same work of a child at a business is one record while it goes on: a second
            # report of it is linked to the open record (children.services.workrecord_save).
            models.UniqueConstraint(
                fields=["child", "business", "job_code"],
                condition=Q(ended_on__isnull=True),
                name="one_open_workrecord",
                violation_error_message=_(
                    "Trẻ đã có quá trình làm việc đang diễn ra tại cơ sở này với công việc này."
                ),
            )
        ]

    def clean(self):
        errors = {}
        day, week = self.hours_per_day, self.hours_per_week
        if day is not None and not (0 <= day <= 24):
            errors["hours_per_day"] = _("Số giờ/ngày phải từ 0 đến 24.")
        if week is not None and not (0 <= week <= 168):
            errors["hours_per_week"] = _("Số giờ/tuần phải từ 0 đến 168.")
        elif day is not None and week is not None and week < day:
            errors["hours_per_week"] = _("Số giờ/tuần không thể ít hơn số giờ/ngày.")
        started = self.started_on if isinstance(self.started_on, date) else None
        ended = self.ended_on if isinstance(self.ended_on, date) else None
        if started and started > timezone.localdate():
            errors["started_on"] = _("Ngày bắt đầu không được sau ngày hôm nay.")
        elif started and self.child_id and started < self.child.birth_date:
            errors["started_on"] = _("Ngày bắt đầu không thể trước ngày sinh của trẻ.")
        if started and ended and ended < started:
            errors["ended_on"] = _("Ngày kết thúc không thể trước ngày bắt đầu.")
        if errors:
            raise ValidationError(errors)

    def __str__(self):
        return self.describe()

    def describe(self, catalogue=None, *, job_name=None) -> str:
        """The job's name and start; with a loaded catalogue (children.catalogue) or the job's
        name already known (WorkRecordQuerySet.with_catalogue_names), no query."""
        if job_name is not None:
            name = job_name
        elif catalogue is not None:
            job = catalogue.jobs.get(self.job_code)
            name = job.name if job else None
        else:
            jobs = JobType._base_manager.filter(code=self.job_code).values_list("name", flat=True)
            name = jobs.first()
        return f"{name or self.job_code} ({self.started_on:%d/%m/%Y})"
