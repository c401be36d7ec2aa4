"""Coordination between the ward's agencies (plan 143 II.5, II.6, IV; Decree 56 art. 27):
meetings and the actions they decide, agency inputs to the periodic reports, good practices.

Every row carries its ward; `for_user` starts with the user's ward (superusers and the
province role see every ward). Case conferences are visible only to those who may see the case.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.models import default_ward_id
from dongnguyen.permissions import may
from dongnguyen.roles import Role, agency_id_of, group_ids_of, role_of, ward_id_of


def _in_ward(qs, user, field="ward_id"):
    if user is None or not user.is_authenticated:
        return qs.none()
    ward_id = ward_id_of(user)
    if ward_id is None:
        return qs if user.is_superuser or role_of(user) == Role.PROVINCE else qs.none()
    return qs.filter(**{field: ward_id})


# Roles that sit on coordination meetings (the finance office reads the costs, not minutes).
MEETING_ROLES = frozenset(
    {Role.LEADERSHIP, Role.CASE_OFFICER, Role.HEALTH, Role.POLICE, Role.MASS_ORG}
)


def _meetings_seen(qs, user, via=""):
    """The rows of `qs` whose meeting `user` may see: `qs` of meetings (`via` ""), or of rows
    that reach their meeting through `via` ("meeting__"). Through the row's own join, not a
    sub-select of the meetings: a meeting's actions joined with their meeting and filtered
    by `meeting_id IN (the ward's meetings)` made PostgreSQL scan the province's meetings to
    hash them (2,092 at 100×) for the task list's two open actions."""
    role = role_of(user)
    if role not in MEETING_ROLES:
        return qs.none()
    qs = _in_ward(qs, user, f"{via}ward_id")
    if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
        return qs
    # A case conference is a case file: only for those who see the case.
    from children.models import Case

    return qs.filter(
        Q(**{f"{via}case__isnull": True}) | Q(**{f"{via}case__in": Case.objects.for_user(user)})
    )


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        return _meetings_seen(self, user)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Giao ban định kỳ")
        ADHOC = "adhoc", _("Họp đột xuất")
        CASE_CONFERENCE = "case_conference", _("Họp hội đồng ca (hồ sơ trẻ em)")

    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    kind = models.CharField(_("loại cuộc họp"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("ngày họp"), default=timezone.localdate, db_index=True)
    chair = models.CharField(_("chủ trì"), max_length=200)
    agencies = models.ManyToManyField(
        "dongnguyen.Agency", blank=True, related_name="meetings", verbose_name=_("cơ quan dự họp")
    )
    attendees = models.TextField(_("thành phần tham dự"), blank=True)
    agenda = models.TextField(_("nội dung cuộc họp"), blank=True)
    minutes = models.TextField(_("diễn biến, kết luận"), blank=True)
    signed_minutes = models.FileField(
        _("biên bản đã ký (bản chụp)"),
        upload_to="coordination/minutes/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
        help_text=_("PDF, JPG hoặc PNG."),
    )
    case = models.ForeignKey(
        "children.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conferences",
        verbose_name=_("hồ sơ"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["ward", "date"])]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"

    @property
    def code(self) -> str:
        return f"CH-{self.pk:05d}" if self.pk else ""

    def clean(self):
        if self.kind == self.Kind.CASE_CONFERENCE and not self.case_id:
            raise ValidationError({"case": _("Họp hội đồng ca phải gắn với một hồ sơ.")})
        if self.kind != self.Kind.CASE_CONFERENCE and self.case_id:
            raise ValidationError({"case": _("Chỉ họp hội đồng ca mới gắn với hồ sơ.")})
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Ngày họp không được sau ngày hôm nay.")})


class MeetingActionQuerySet(models.QuerySet):
    def for_user(self, user):
        return _meetings_seen(self, user, "meeting__")

    def open(self):
        return self.filter(status=MeetingAction.Status.OPEN)

    def responsible(self, user):
        """The actions this user is answerable for: assigned to them, or to their agency."""
        q = Q(assignee=user)
        agency_id = agency_id_of(user)
        if agency_id is not None:
            q |= Q(agency_id=agency_id, assignee__isnull=True)
        return self.filter(q)

    def done_on_time(self):
        return self.filter(status=MeetingAction.Status.DONE, done_on__lte=models.F("due_on"))


class MeetingAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        DROPPED = "dropped", _("Không thực hiện nữa")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("cuộc họp")
    )
    what = models.CharField(_("việc cần làm"), max_length=500)
    agency = models.ForeignKey(
        "dongnguyen.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan chủ trì"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_actions",
        verbose_name=_("người phụ trách"),
    )
    due_on = models.DateField(_("hạn hoàn thành"), db_index=True)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)

    objects = MeetingActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("việc được giao tại cuộc họp")
        verbose_name_plural = _("việc được giao tại cuộc họp")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.what

    @property
    def on_time(self) -> bool:
        return self.status == self.Status.DONE and self.done_on <= self.due_on

    def clean(self):
        if not self.agency_id and not self.assignee_id:
            raise ValidationError(_("Chọn cơ quan hoặc người phụ trách."))
        if self.status == self.Status.DONE and not self.done_on:
            raise ValidationError({"done_on": _("Ghi ngày hoàn thành.")})
        if self.status != self.Status.DONE and self.done_on:
            raise ValidationError({"done_on": _("Chỉ việc đã hoàn thành mới có ngày hoàn thành.")})
        meeting = self.meeting if self.meeting_id else None
        if meeting and self.due_on and self.due_on < meeting.date:
            raise ValidationError({"due_on": _("Hạn hoàn thành không được trước ngày họp.")})
        if meeting and self.done_on and self.done_on < meeting.date:
            raise ValidationError({"done_on": _("Ngày hoàn thành không được trước ngày họp.")})
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": _("Ngày hoàn thành không được sau hôm nay.")})


# ---------------------------------------------------------------------------------------------
# Agency inputs to the periodic report (plan 143 IV.2, IV.3, IV.5): the health station, the
# police and each residential group send the ward their figures and a short text for each
# report period; the ward's report (reports/mgmt.py) reads them.


class InputKind(models.TextChoices):
    HEALTH = "health", _("Trạm Y tế")
    POLICE = "police", _("Công an phường")
    GROUP = "group", _("Tổ dân phố")


# The figures each kind of agency reports: (key, label). Whole numbers, 0 or more.
FIGURES: dict[str, list[tuple[str, str]]] = {
    InputKind.HEALTH: [
        ("health_checks", _("Lượt khám sức khỏe cho trẻ em")),
        ("work_related", _("Trẻ em có vấn đề sức khỏe liên quan đến lao động")),
        ("psychological", _("Lượt tư vấn, hỗ trợ tâm lý")),
        ("referrals_received", _("Trẻ em được các đơn vị chuyển đến khám, tư vấn")),
    ],
    InputKind.POLICE: [
        ("tips_verified", _("Tin báo, phản ánh đã xác minh")),
        ("inspections", _("Cuộc kiểm tra cơ sở sản xuất, kinh doanh")),
        ("violations", _("Vi phạm phát hiện")),
        ("fines_vnd", _("Tiền phạt (đồng)")),
    ],
    InputKind.GROUP: [
        ("households_visited", _("Hộ gia đình được thăm, rà soát")),
        ("meetings", _("Buổi sinh hoạt, tuyên truyền tại tổ")),
        ("new_at_risk", _("Trẻ em có nguy cơ mới phát hiện")),
        ("back_to_school", _("Trẻ em được vận động đi học trở lại")),
    ],
}

# The role that fills each kind of input (the officer may fill any on their behalf).
FILLER_ROLE = {
    InputKind.HEALTH: Role.HEALTH,
    InputKind.POLICE: Role.POLICE,
    InputKind.GROUP: Role.COLLABORATOR,
}
AGENCY_OF_KIND = {InputKind.HEALTH: "yte", InputKind.POLICE: "congan"}


class AgencyInputQuerySet(models.QuerySet):
    def for_user(self, user):
        role = role_of(user)
        qs = _in_ward(self, user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return qs
        if role == Role.HEALTH:
            return qs.filter(kind=InputKind.HEALTH)
        if role == Role.POLICE:
            return qs.filter(kind=InputKind.POLICE)
        if role == Role.COLLABORATOR:
            return qs.filter(kind=InputKind.GROUP, group_id__in=group_ids_of(user))
        return qs.none()

    def of_period(self, start, end):
        return self.filter(period_start=start, period_end=end)

    def pending(self):
        return self.filter(submitted_at__isnull=True)


class AgencyInput(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Chưa đến hạn")
        LATE = "late", _("Quá hạn, chưa gửi")
        SUBMITTED = "submitted", _("Đã gửi đúng hạn")
        SUBMITTED_LATE = "submitted_late", _("Đã gửi muộn")

    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    # The report period as its code ("2026-H1") and its days; the reports app parses codes.
    period = models.CharField(_("kỳ báo cáo"), max_length=24)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    kind = models.CharField(_("đơn vị báo cáo"), max_length=10, choices=InputKind.choices)
    agency = models.ForeignKey(
        "dongnguyen.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    group = models.ForeignKey(
        "households.ResidentialGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agency_inputs",
        verbose_name=_("tổ dân phố"),
    )
    figures = models.JSONField(_("số liệu"), default=dict, blank=True)
    results = models.TextField(_("kết quả thực hiện"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    due_on = models.DateField(_("hạn gửi"), db_index=True)
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyInputQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo của cơ quan, tổ dân phố")
        verbose_name_plural = _("báo cáo của cơ quan, tổ dân phố")
        ordering = ["-period_start", "kind", "group__code", "pk"]
        indexes = [models.Index(fields=["ward", "period_start", "period_end"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "period_start", "period_end", "kind"],
                condition=Q(group__isnull=True),
                name="agencyinput_one_per_agency_and_period",
            ),
            models.UniqueConstraint(
                fields=["ward", "period_start", "period_end", "group"],
                condition=Q(group__isnull=False),
                name="agencyinput_one_per_group_and_period",
            ),
        ]

    def __str__(self):
        return f"{self.source_name} — {self.period}"

    @property
    def source_name(self) -> str:
        if self.kind == InputKind.GROUP and self.group_id:
            return f"{self.group.code} {self.group.name}"
        if self.agency_id:
            return self.agency.name
        return str(self.get_kind_display())

    @property
    def figure_fields(self) -> list[tuple[str, str]]:
        return FIGURES.get(self.kind, [])

    def figure_rows(self) -> list[tuple[str, int | None]]:
        return [(label, self.figures.get(key)) for key, label in self.figure_fields]

    def status_on(self, day=None) -> str:
        day = day or timezone.localdate()
        if self.submitted_at:
            on = timezone.localdate(self.submitted_at)
            return self.Status.SUBMITTED if on <= self.due_on else self.Status.SUBMITTED_LATE
        return self.Status.LATE if day > self.due_on else self.Status.WAITING

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_late(self) -> bool:
        return self.status in (self.Status.LATE, self.Status.SUBMITTED_LATE)

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_end"] = _("Ngày kết thúc kỳ không được trước ngày bắt đầu.")
        if self.due_on and self.period_start and self.due_on < self.period_start:
            errors["due_on"] = _("Hạn gửi không được trước ngày bắt đầu kỳ báo cáo.")
        if self.kind == InputKind.GROUP:
            if not self.group_id or self.agency_id:
                errors["group"] = _("Báo cáo của tổ dân phố phải gắn với một tổ dân phố.")
            elif self.ward_id and self.group.ward_id != self.ward_id:
                errors["group"] = _("Tổ dân phố không thuộc phường này.")
        elif self.kind and self.group_id:
            errors["group"] = _("Chỉ báo cáo của tổ dân phố mới gắn với tổ dân phố.")
        known = {key for key, _label in self.figure_fields}
        figures = self.figures if isinstance(self.figures, dict) else None
        if figures is None:
            errors["figures"] = _("Số liệu không hợp lệ.")
        else:
            unknown = sorted(set(figures) - known)
            if unknown:
                errors["figures"] = _("Số liệu không thuộc mẫu báo cáo: %(keys)s.") % {
                    "keys": ", ".join(unknown)
                }
            bad = [
                str(label)
                for key, label in self.figure_fields
                if key in figures
                and (
                    not isinstance(figures[key], int)
                    or isinstance(figures[key], bool)
                    or figures[key] < 0
                )
            ]
            if bad:
                errors["figures"] = _("Số liệu phải là số nguyên không âm: %(fields)s.") % {
                    "fields": "; ".join(bad)
                }
            if self.submitted_at and not errors.get("figures"):
                missing = [str(label) for key, label in self.figure_fields if key not in figures]
                if missing:
                    errors["figures"] = _("Chưa nhập đủ số liệu: %(fields)s.") % {
                        "fields": "; ".join(missing)
                    }
        if self.submitted_at and not self.results.strip():
            errors["results"] = _("Ghi kết quả thực hiện trong kỳ.")
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# Good practices (plan 143 II.5): models and ways of working one group or agency found useful,
# kept by the VH-XH officer for every staff role to read; the report cites those shared in its
# period.


class PracticeQuerySet(models.QuerySet):
    def for_user(self, user):
        if not may(user, "practice.view"):
            return self.none()
        return _in_ward(self, user)

    def tagged(self, tag: str):
        return self.filter(tags__contains=f",{normalize_tag(tag)},")


def normalize_tag(tag: str) -> str:
    return " ".join(tag.replace(",", " ").split()).lower()


def tags_text(tags: str) -> str:
    """The stored ",a,b," as "a, b"."""
    return ", ".join(t for t in tags.split(",") if t)


def tags_store(text: str) -> str:
    tags = []
    for raw in text.split(","):
        tag = normalize_tag(raw)
        if tag and tag not in tags:
            tags.append(tag)
    return f",{','.join(tags)}," if tags else ""


class Practice(models.Model):
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    title = models.CharField(_("tên mô hình, cách làm"), max_length=300)
    group = models.ForeignKey(
        "households.ResidentialGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("tổ dân phố"),
    )
    agency = models.ForeignKey(
        "dongnguyen.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan, đoàn thể"),
    )
    description = models.TextField(_("mô tả"))
    # Stored as ",tag one,tag two," so that one tag is found with a plain LIKE on both databases.
    tags = models.CharField(_("từ khóa"), max_length=500, blank=True)
    shared_on = models.DateField(_("ngày chia sẻ"), default=timezone.localdate, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình, cách làm hay")
        verbose_name_plural = _("mô hình, cách làm hay")
        ordering = ["-shared_on", "-pk"]
        indexes = [models.Index(fields=["ward", "shared_on"])]

    def __str__(self):
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def owner_name(self) -> str:
        if self.group_id:
            return f"{self.group.code} {self.group.name}"
        return self.agency.name if self.agency_id else ""

    def clean(self):
        if not self.group_id and not self.agency_id:
            raise ValidationError(
                {"group": _("Chọn tổ dân phố hoặc cơ quan, đoàn thể có mô hình này.")}
            )
        if self.group_id and self.ward_id and self.group.ward_id != self.ward_id:
            raise ValidationError({"group": _("Tổ dân phố không thuộc phường này.")})
        if self.shared_on and self.shared_on > timezone.localdate():
            raise ValidationError({"shared_on": _("Ngày chia sẻ không được sau hôm nay.")})
        if not self.title.strip():
            raise ValidationError({"title": _("Ghi tên mô hình, cách làm.")})


class PracticeAttachment(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("mô hình")
    )
    file = models.FileField(
        _("tệp đính kèm"),
        upload_to="coordination/practices/%Y/",
        validators=[
            FileExtensionValidator(["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "pptx", "mp4"])
        ],
        help_text=_("PDF, ảnh, văn bản Word, Excel, PowerPoint hoặc video MP4."),
    )
    name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp của mô hình")
        verbose_name_plural = _("tệp của mô hình")
        ordering = ["pk"]

    def __str__(self):
        return self.name or self.file.name.rsplit("/", 1)[-1]
