from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dongnguyen.models import default_ward_id
from dongnguyen.versioning import Versioned


class KpiSnapshot(models.Model):
    code = models.CharField(max_length=8, verbose_name=_("mã chỉ tiêu"))
    period_start = models.DateField(verbose_name=_("từ ngày"))
    period_end = models.DateField(verbose_name=_("đến ngày"))
    group = models.ForeignKey(
        "households.ResidentialGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("tổ dân phố"),
    )
    numerator = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, verbose_name=_("tử số")
    )
    denominator = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, verbose_name=_("mẫu số")
    )
    value = models.DecimalField(
        max_digits=10, decimal_places=1, null=True, verbose_name=_("giá trị")
    )
    target = models.CharField(max_length=40, blank=True, verbose_name=_("chỉ tiêu"))
    met = models.BooleanField(null=True, verbose_name=_("đạt"))
    # Previous value (K1, K11), the K1 rate for ages 5–17, groups with two sessions (K7).
    extra = models.JSONField(default=dict, blank=True, verbose_name=_("số liệu bổ sung"))
    computed_at = models.DateTimeField(verbose_name=_("thời điểm tính"))

    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        indexes = [
            models.Index(fields=["period_start", "period_end", "code"]),
            # The dashboard reads the snapshots of a scope and of one page of groups.
            models.Index(fields=["period_start", "period_end", "group"]),
            # A ward's dashboard: its snapshots of a period and of its trend's quarters (the
            # token of its cached parts: count, last id, last computation from the index only).
            models.Index(
                fields=["ward", "period_start", "period_end", "group"],
                include=["computed_at", "id"],
                name="kpisnapshot_ward_period",
            ),
            # The province dashboard and the leader's home tile: the wards' ward-scope rows of
            # a period, by KPI.
            models.Index(
                fields=["period_start", "period_end", "code", "ward"],
                include=["computed_at", "id", "value"],
                condition=models.Q(group__isnull=True),
                name="kpisnapshot_ward_scope",
            ),
        ]
        constraints = [
            # One row per KPI, period and scope; the ward scope (group NULL) needs its own
            # partial constraint because NULLs are distinct in a plain unique constraint.
            models.UniqueConstraint(
                fields=["ward", "code", "period_start", "period_end", "group"],
                name="kpisnapshot_unique_ward_group_scope",
            ),
            # One ward-scope row per ward: several wards snapshot the same period.
            models.UniqueConstraint(
                fields=["ward", "code", "period_start", "period_end"],
                condition=models.Q(group__isnull=True),
                name="kpisnapshot_unique_per_ward_scope",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class Report(Versioned):
    class Kind(models.TextChoices):
        SEMIANNUAL = "semiannual", _("Báo cáo 6 tháng")
        ANNUAL = "annual", _("Báo cáo năm")
        ADHOC = "adhoc", _("Báo cáo đột xuất")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        GENERATING = "generating", _("Đang tạo")
        READY = "ready", _("Đã tạo")
        FINALIZED = "finalized", _("Đã ban hành")
        ARCHIVED = "archived", _("Đã lưu trữ")
        FAILED = "failed", _("Lỗi")

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=Kind.choices)
    period = models.CharField(_("kỳ báo cáo"), max_length=24)
    period_start = models.DateField(verbose_name=_("từ ngày"))
    period_end = models.DateField(verbose_name=_("đến ngày"))
    number = models.CharField(_("số"), max_length=30, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    pdf = models.FileField(_("tệp PDF"), upload_to="reports/", blank=True)
    data = models.JSONField(default=dict, blank=True, verbose_name=_("số liệu"))
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    error = models.TextField(blank=True, verbose_name=_("lỗi"))
    generated_at = models.DateTimeField(_("thời điểm tạo số liệu"), null=True, blank=True)
    requested_at = models.DateTimeField(_("thời điểm yêu cầu tạo"), null=True, blank=True)
    due_on = models.DateField(_("hạn nộp"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ban hành"),
    )
    finalized_at = models.DateTimeField(null=True, blank=True, verbose_name=_("thời điểm ban hành"))

    class Scope(models.TextChoices):
        WARD = "ward", _("Phường, xã")
        PROVINCE = "province", _("Toàn tỉnh")

    # A ward's report has its ward; the province's consolidated report (issue 12.4) has none
    # and scope "province": it is built from every ward's finalized report of its period.
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices, default=Scope.WARD)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "kind", "period"], name="report_unique_ward_kind_period"
            ),
            models.UniqueConstraint(
                fields=["kind", "period"],
                condition=models.Q(ward__isnull=True),
                name="report_unique_province_kind_period",
            ),
            models.CheckConstraint(
                condition=(models.Q(scope="province", ward__isnull=True))
                | (models.Q(scope="ward", ward__isnull=False)),
                name="report_scope_matches_ward",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        """ "Báo cáo 6 tháng cuối năm 2026", "Báo cáo đột xuất tháng 10 năm 2026", "Báo cáo đột
        xuất từ 01/10/2026 đến 20/10/2026": the period in words, never its code."""
        from .periods import PeriodError, parse_period

        try:
            label = parse_period(self.period).label
        except PeriodError:
            return f"{self.get_kind_display()} {self.period}"
        label = label[:1].lower() + label[1:]
        if self.kind == self.Kind.ADHOC:
            return _("Báo cáo đột xuất %(period)s") % {"period": label}
        return _("Báo cáo %(period)s") % {"period": label}

    @property
    def period_label(self) -> str:
        from .periods import PeriodError, parse_period

        try:
            return parse_period(self.period).label
        except PeriodError:
            return self.period

    @property
    def period_not_ended(self):
        """True while the period has not ended (issuing now leaves days out of the numbers)."""
        from django.utils import timezone

        return timezone.localdate() <= self.period_end

    @property
    def is_province(self) -> bool:
        return self.scope == self.Scope.PROVINCE

    @property
    def is_locked(self) -> bool:
        """Issued (finalized) or filed away (archived): the numbers and the PDF never change."""
        return self.status in LOCKED_STATUSES


LOCKED_STATUSES = (Report.Status.FINALIZED, Report.Status.ARCHIVED)
