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
from dongnguyen.roles import Role, agency_id_of, role_of, ward_id_of


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


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        role = role_of(user)
        if role not in MEETING_ROLES:
            return self.none()
        qs = _in_ward(self, user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return qs
        # A case conference is a case file: only for those who see the case.
        from children.models import Case

        return qs.filter(Q(case__isnull=True) | Q(case__in=Case.objects.for_user(user)))


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
        return self.filter(meeting__in=Meeting.objects.for_user(user))

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
