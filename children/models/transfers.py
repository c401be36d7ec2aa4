"""Transfers of a child between wards of the province (issue 12.5): the sending ward's officer
sends the child (and the open case), the receiving ward's officer accepts into a household of
that ward or refuses. The Transfer row stays as the sending ward's closing entry ("đã chuyển
đi"): it keeps the child's name as it was, not a way back into the record."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.roles import Role, role_of, ward_id_of


class TransferQuerySet(models.QuerySet):
    def for_user(self, user):
        """The officers of both wards see a transfer; nobody else does."""
        if user.is_superuser:
            return self
        if role_of(user) != Role.CASE_OFFICER:
            return self.none()
        ward = ward_id_of(user)
        return self.filter(Q(from_ward_id=ward) | Q(to_ward_id=ward))

    def incoming(self, user):
        return self.for_user(user).filter(to_ward_id=ward_id_of(user))

    def outgoing(self, user):
        return self.for_user(user).filter(from_ward_id=ward_id_of(user))


class Transfer(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Đã gửi, chờ tiếp nhận")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        REFUSED = "refused", _("Bị từ chối")

    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("trẻ em"),
    )
    case = models.ForeignKey(
        "children.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("hồ sơ vụ việc"),
    )
    from_ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("từ phường, xã"),
    )
    to_ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đến phường, xã"),
    )
    from_household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hộ gia đình nơi đi"),
    )
    to_household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hộ gia đình nơi đến"),
    )
    # The closing entry of the sending ward: the name and birth date as they were when sent.
    child_label = models.CharField(_("trẻ em (khi chuyển)"), max_length=160)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    note = models.TextField(_("lý do, ghi chú khi chuyển"), blank=True)
    decision_note = models.TextField(_("ghi chú của nơi tiếp nhận"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người chuyển"),
    )
    sent_at = models.DateTimeField(_("thời điểm chuyển"), default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tiếp nhận hoặc từ chối"),
    )
    accepted_at = models.DateTimeField(_("thời điểm tiếp nhận hoặc từ chối"), null=True, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển trẻ em sang phường, xã khác")
        verbose_name_plural = _("chuyển trẻ em sang phường, xã khác")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status="sent"),
                name="transfer_one_pending_per_child",
                violation_error_message=_("Trẻ em này đang chờ nơi khác tiếp nhận."),
            ),
        ]

    def __str__(self):
        return f"{self.child_label}: {self.from_ward} → {self.to_ward}"

    def clean(self):
        errors = {}
        if self.from_ward_id and self.from_ward_id == self.to_ward_id:
            errors["to_ward"] = _("Hãy chọn một phường, xã khác với nơi trẻ đang ở.")
        if self.case_id and self.child_id and self.case.child_id != self.child_id:
            errors["case"] = _("Hồ sơ vụ việc không phải của trẻ em này.")
        if (
            self.to_household_id
            and self.to_ward_id
            and self.to_household.group.ward_id != self.to_ward_id
        ):
            errors["to_household"] = _("Hộ gia đình nơi đến phải thuộc phường, xã tiếp nhận.")
        if self.status == self.Status.REFUSED and not self.decision_note.strip():
            errors["decision_note"] = _("Hãy ghi lý do từ chối.")
        if errors:
            raise ValidationError(errors)
