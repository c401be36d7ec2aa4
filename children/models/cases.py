"""Case files under Decree 56: cases, their events, referrals, supports and follow-ups."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dongnguyen.models import Agency
from dongnguyen.roles import Role, in_ward, role_of

from .intake import IntakeReport
from .register import Child, ChildLinkedQuerySet, kept_ward


class CaseQuerySet(models.QuerySet):
    def for_user(self, user):
        return in_ward(self, user, "ward")._for_role(user)

    def _for_role(self, user):
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return self
        if role in (Role.HEALTH, Role.MASS_ORG):
            return self.filter(child__in=Child.objects.for_user(user))
        # Collaborators, police and finance: no case files. The police hand what they find
        # (intake, inspection) to the ward's child-protection officer, who runs the case.
        return self.none()

    def open(self):
        return self.exclude(status=Case.Status.CLOSED)

    def with_deadline_state(self, cutoffs):
        """Annotate `deadline_state` ("overdue", "soon" or "") and `deadline_step` ("assess",
        "plan" or "") of the next step with a legal deadline (12 h, 5 working days)."""
        received = Q(status=Case.Status.RECEIVED)
        return self.annotate(
            deadline_state=models.Case(
                *(
                    models.When(_deadline_q(terms), then=models.Value(state))
                    for state, terms in deadline_terms(cutoffs)
                ),
                default=models.Value(""),
                output_field=models.CharField(),
            ),
            deadline_step=models.Case(
                models.When(received, then=models.Value("assess")),
                models.When(status=Case.Status.ASSESSED, then=models.Value("plan")),
                default=models.Value(""),
                output_field=models.CharField(),
            ),
        )

    def in_deadline_state(self, cutoffs, states):
        """The cases whose `deadline_state` is one of `states`, as a plain filter: no CASE
        expression to compile in the select list and again in the WHERE clause (the task
        list); a fetched case's state is `Case.deadline_state_at`."""
        wanted, earlier, earlier_states = [], [], []
        for state, terms in deadline_terms(cutoffs):
            q = _deadline_q(terms)
            if state in states:
                # A state holds when none before it does (the CASE's order); when those are
                # wanted too, the union needs no negation.
                if set(earlier_states) <= set(states):
                    wanted.append(q)
                else:
                    wanted.append(q & ~reduce(or_, earlier))
            earlier.append(q)
            earlier_states.append(state)
        return self.filter(reduce(or_, wanted)) if wanted else self.none()

    def overdue(self, cutoffs):
        return self.with_deadline_state(cutoffs).filter(deadline_state="overdue")

    def due_soon(self, cutoffs):
        return self.with_deadline_state(cutoffs).filter(deadline_state="soon")


def deadline_terms(cutoffs):
    """The deadline states of a case (Decree 56 art. 26: the initial assessment within 12
    hours of receipt, the plan within 5 working days), in the order they win, each with the
    steps that put a case in it: (statuses, received before this cutoff). The one
    definition read by the SQL annotation, the filter and the state of a fetched case."""
    received = (Case.Status.RECEIVED,)
    unplanned = (Case.Status.RECEIVED, Case.Status.ASSESSED)
    return (
        ("overdue", ((received, cutoffs.assess_overdue), (unplanned, cutoffs.plan_overdue))),
        ("soon", ((received, cutoffs.assess_soon), (unplanned, cutoffs.plan_soon))),
    )


def deadline_state_of(status: str, received_at, cutoffs) -> str:
    """The `deadline_state` of a case at `status` received at `received_at`: the rule of
    `deadline_terms`, for a row read as a tuple or a fetched case (`Case.deadline_state_at`)."""
    for state, terms in deadline_terms(cutoffs):
        for statuses, cutoff in terms:
            if status in statuses and received_at < cutoff:
                return state
    return ""


def _deadline_q(terms) -> Q:
    return reduce(
        or_,
        (
            (Q(status=statuses[0]) if len(statuses) == 1 else Q(status__in=statuses))
            & Q(received_at__lt=cutoff)
            for statuses, cutoff in terms
        ),
    )


class Case(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Tiếp nhận")
        ASSESSED = "assessed", _("Đã đánh giá ban đầu")
        PLAN_DRAFTED = "plan_drafted", _("Đã xây dựng kế hoạch")
        PLAN_APPROVED = "plan_approved", _("Kế hoạch đã được phê duyệt")
        IN_PROGRESS = "in_progress", _("Đang hỗ trợ, can thiệp")
        MONITORING = "monitoring", _("Theo dõi, đánh giá")
        CLOSED = "closed", _("Kết thúc hồ sơ")

    class RiskLevel(models.TextChoices):
        HIGH = "high", _("Cao")
        MEDIUM = "medium", _("Trung bình")
        LOW = "low", _("Thấp")

    class ClosureOutcome(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Đã rút khỏi lao động trái quy định")
        PREVENTED = "prevented", _("Đã phòng ngừa")
        TRANSFERRED = "transferred", _("Chuyển cơ quan khác")
        MOVED_AWAY = "moved_away", _("Chuyển khỏi địa bàn")
        AGED_OUT = "aged_out", _("Đã đủ 16 tuổi")
        UNFOUNDED = "unfounded", _("Không có cơ sở")

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="cases", verbose_name=_("trẻ em")
    )
    intake = models.ForeignKey(
        IntakeReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("phản ánh"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    risk_level = models.CharField(
        _("mức độ nguy cơ"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    emergency = models.BooleanField(_("khẩn cấp"), default=False)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    assessed_at = models.DateTimeField(_("thời điểm đánh giá ban đầu"), null=True, blank=True)
    plan_drafted_at = models.DateTimeField(_("thời điểm xây dựng kế hoạch"), null=True, blank=True)
    plan_approved_at = models.DateTimeField(
        _("thời điểm phê duyệt kế hoạch"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    closure_outcome = models.CharField(
        _("kết quả"), max_length=12, choices=ClosureOutcome.choices, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("cán bộ phụ trách"),
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    assessment_notes = models.TextField(_("nhận định, đánh giá"), blank=True)
    plan_goal = models.TextField(_("mục tiêu kế hoạch hỗ trợ, can thiệp"), blank=True)
    closure_note = models.TextField(_("lý do kết thúc"), blank=True)
    # Optimistic locking: every write through a service bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1, verbose_name=_("phiên bản"))
    # The child's ward, kept by database triggers like Child.ward (migration children
    # 0021_lists_ward): a case follows its child, also when the child is transferred.
    ward = kept_ward()

    history = HistoricalRecords()
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ vụ việc")
        verbose_name_plural = _("hồ sơ vụ việc")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["ward", "received_at"], name="case_ward_received_idx"),
        ]

    def __str__(self):
        return f"HS-{self.pk:05d} {self.child.full_name}" if self.pk else str(_("HS (mới)"))

    def deadline_state_at(self, cutoffs) -> str:
        """This case's `deadline_state` (see `CaseQuerySet.with_deadline_state`) from its own
        status and receipt time, for rows fetched without the annotation."""
        return deadline_state_of(self.status, self.received_at, cutoffs)


class CaseEvent(models.Model):
    """Every workflow transition: who moved the case from which step to which, and when."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("hồ sơ vụ việc")
    )
    from_status = models.CharField(
        _("từ bước"), max_length=16, blank=True, choices=Case.Status.choices
    )
    to_status = models.CharField(_("sang bước"), max_length=16, choices=Case.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm"))
    note = models.TextField(blank=True, verbose_name=_("ghi chú"))

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("các bước xử lý hồ sơ")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_to_status_display()} ({timezone.localtime(self.at):%H:%M %d/%m/%Y})"


class Referral(models.Model):
    """A child (or case) referred to an agency — what the health station or a mass
    organisation may see and act on."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("trẻ em")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("hồ sơ vụ việc"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("chuyển đến")
    )
    needs = models.TextField(_("nhu cầu hỗ trợ"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("người chuyển"),
    )
    referred_on = models.DateField(_("ngày chuyển"), default=timezone.localdate)
    closed = models.BooleanField(_("đã xong"), default=False)
    closed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận hoàn thành"),
    )

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển gửi")
        verbose_name_plural = _("chuyển gửi")
        indexes = [models.Index(fields=["agency", "child"])]

    def __str__(self):
        return f"{self.agency} ({self.referred_on:%d/%m/%Y})"


def _check_case_date(record, *, future, before) -> None:
    """A support or follow-up happens between the case's receipt and today: one dated before
    the case was received (or in the future) is a typing error, and a back-dated follow-up
    would count towards closing the case as withdrawn."""
    if record.date is None:
        return
    if record.date > timezone.localdate():
        raise ValidationError({"date": future})
    if record.case_id is not None:
        received = timezone.localdate(record.case.received_at)
        if record.date < received:
            raise ValidationError({"date": before % {"received": f"{received:%d/%m/%Y}"}})


class SupportKind(models.TextChoices):
    EDUCATION_RETURN = "education_return", _("Hỗ trợ trở lại trường học")
    VOCATIONAL = "vocational", _("Hướng nghiệp, học nghề")
    SCHOLARSHIP = "scholarship", _("Học bổng")
    SCHOOL_SUPPLIES = "school_supplies", _("Sách vở, đồ dùng học tập")
    HEALTH_CHECK = "health_check", _("Khám sức khỏe")
    PSYCHOLOGICAL = "psychological", _("Hỗ trợ tâm lý")
    LEGAL_AID = "legal_aid", _("Trợ giúp pháp lý")
    SOCIAL_PROTECTION = "social_protection", _("Trợ giúp xã hội")
    LIVELIHOOD = "livelihood", _("Hỗ trợ sinh kế")
    OTHER = "other", _("Khác")


class FundingSource(models.TextChoices):
    STATE_BUDGET = "state_budget", _("Ngân sách nhà nước")
    SOCIAL_MOBILIZATION = "social_mobilization", _("Nguồn xã hội hóa")
    OTHER = "other", _("Nguồn khác")


class Support(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="supports", verbose_name=_("trẻ em")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supports",
        verbose_name=_("hồ sơ vụ việc"),
    )
    kind = models.CharField(_("hình thức hỗ trợ"), max_length=20, choices=SupportKind.choices)
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name=_("đơn vị hỗ trợ"))
    date = models.DateField(_("ngày hỗ trợ"), default=timezone.localdate)
    amount_vnd = models.PositiveBigIntegerField(
        _("giá trị (đồng)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("Giá trị không được âm."))],
    )
    funding_source = models.CharField(
        _("nguồn kinh phí"),
        max_length=20,
        choices=FundingSource.choices,
        default=FundingSource.STATE_BUDGET,
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    # Issue 15: a support may draw on a donation (social mobilization).
    donation = models.ForeignKey(
        "funding.Donation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supports",
        verbose_name=_("nguồn tài trợ"),
    )

    # The child's ward, kept by database triggers like Child.ward (migration children
    # 0025_child_rows_ward): the report's "screened / followed up / supported this year"
    # reads the ward's rows through (ward, date) instead of hashing the province's.
    ward = kept_ward()

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hỗ trợ")
        verbose_name_plural = _("hỗ trợ")
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["date", "kind"]),
            models.Index(fields=["ward", "date", "child"], name="support_ward_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        _check_case_date(
            self,
            future=_("Ngày hỗ trợ không được ở tương lai."),
            before=_("Ngày hỗ trợ không được trước ngày tiếp nhận hồ sơ (%(received)s)."),
        )
        if self.donation_id:
            if self.funding_source != FundingSource.SOCIAL_MOBILIZATION:
                raise ValidationError(
                    {"funding_source": _("Hỗ trợ từ khoản tài trợ là nguồn xã hội hóa.")}
                )
            self.donation.check_support(self)


class FollowUp(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("trẻ em")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("hồ sơ vụ việc"),
    )
    date = models.DateField(_("ngày theo dõi"), default=timezone.localdate)
    working_unlawfully = models.BooleanField(_("còn lao động trái quy định"), default=False)
    in_school = models.BooleanField(_("đang đi học"), default=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người theo dõi"),
    )

    # The child's ward, kept by database triggers like Child.ward (migration children
    # 0025_child_rows_ward): the report's "screened / followed up / supported this year"
    # reads the ward's rows through (ward, date) instead of hashing the province's.
    ward = kept_ward()

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("theo dõi, đánh giá")
        verbose_name_plural = _("theo dõi, đánh giá")
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["date", "child"]),
            models.Index(fields=["ward", "date", "child"], name="followup_ward_date_idx"),
        ]

    def __str__(self):
        found = _("còn lao động trái quy định") if self.working_unlawfully else _("không lao động")
        return f"{self.date:%d/%m/%Y}: {found}"

    def clean(self):
        super().clean()
        _check_case_date(
            self,
            future=_("Ngày theo dõi không được ở tương lai."),
            before=_("Ngày theo dõi không được trước ngày tiếp nhận hồ sơ (%(received)s)."),
        )
