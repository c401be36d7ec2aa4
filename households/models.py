from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dongnguyen.models import AtRiskScreening, check_unique_in_ward, default_ward_id
from dongnguyen.permissions import may
from dongnguyen.roles import Role, group_ids_of, in_ward, role_of
from dongnguyen.text import normalize_name
from dongnguyen.validators import PersonNameValidator, validate_vn_phone
from dongnguyen.versioning import Versioned


class ResidentialGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_user(self, user):
        role = role_of(user)
        mine = in_ward(self, user)
        if role == Role.COLLABORATOR:
            return mine.filter(pk__in=group_ids_of(user))
        return mine if role else self.none()


class ResidentialGroup(models.Model):
    code = models.CharField(_("mã tổ"), max_length=20)
    name = models.CharField(_("tên tổ dân phố"), max_length=120)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="groups",
        verbose_name=_("phường, xã"),
    )

    objects = ResidentialGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ dân phố")
        verbose_name_plural = _("tổ dân phố")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "code"], name="group_code_unique_per_ward"),
        ]

    def __str__(self):
        return f"{self.code} - {self.name}"

    def clean(self):
        check_unique_in_ward(self, "code", _("Mã tổ này đã có trong phường."))


class PovertyStatus(models.TextChoices):
    NONE = "none", _("Không")
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    HARDSHIP = "hardship", _("Hoàn cảnh khó khăn")


class HouseholdQuerySet(models.QuerySet):
    def for_user(self, user):
        """Households a user may see: collaborators their own groups; finance none."""
        role = role_of(user)
        # The household's own ward column (Household.ward), not the group's: the list and
        # the name search then read ward-led indexes.
        mine = in_ward(self, user, "ward", bigint=True)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return mine
        if role == Role.COLLABORATOR:
            return mine.filter(group_id__in=group_ids_of(user))
        if may(user, "child.view"):
            # Health, police and mass organisations see the households of children they may see.
            from children.models import Child

            return mine.filter(pk__in=Child.objects.for_user(user).values("household_id"))
        return self.none()

    def search(self, text):
        norm = normalize_name(text)
        if not norm:
            return self
        # A household code has digits, a name none: OR-ing the code test into a name search
        # would stop PostgreSQL from using the trigram index. Ordered by an expression for the
        # same reason (see ChildQuerySet.search).
        found = Q(search_name__contains=norm)
        if any(ch.isdigit() for ch in norm):
            found |= Q(code__iexact=text.strip())
        return self.filter(found).order_by(Lower("search_name"), "code")


class Household(Versioned):
    code = models.CharField(_("mã hộ"), max_length=30)
    head_name = models.CharField(
        _("chủ hộ"),
        max_length=120,
        validators=[PersonNameValidator(_("Họ tên chủ hộ không hợp lệ."))],
    )
    search_name = models.CharField(
        max_length=120, editable=False, db_index=True, verbose_name=_("tên không dấu")
    )
    address = models.CharField(_("địa chỉ"), max_length=255)
    group = models.ForeignKey(
        ResidentialGroup,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("tổ dân phố"),
    )
    phone = models.CharField(
        _("số điện thoại"), max_length=20, blank=True, validators=[validate_vn_phone]
    )
    poverty_status = models.CharField(
        _("diện hộ"), max_length=12, choices=PovertyStatus.choices, default=PovertyStatus.NONE
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("thời điểm sửa"))
    # The group's ward, kept here so that a household code is unique per ward (a constraint
    # cannot reach through the group), and so that lists and searches read ward-led indexes.
    # save() and clean_fields() copy it from the group (for the per-ward checks before the
    # write); a database trigger (migration households 0010_lists_ward_triggers) sets the same
    # value on every write and rewrites it when the group moves to another ward.
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        editable=False,
        verbose_name=_("phường, xã"),
    )

    history = HistoricalRecords()
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["group", "poverty_status"]),
            # The order of a ward's name search (HouseholdQuerySet.search); the ward's list
            # in code order reads the (ward, code) unique constraint's index. The ward's
            # trigram index is in migration 0010_lists_ward_triggers (PostgreSQL only).
            models.Index(
                F("ward"), Lower("search_name"), F("code"), name="household_ward_search_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ward", "code"], name="household_code_unique_per_ward"),
        ]

    def __str__(self):
        return f"{self.code} - {self.head_name}"

    def _copy_ward(self):
        if self.group_id is not None:
            self.ward_id = self.group.ward_id

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.head_name)
        self._copy_ward()
        if kwargs.get("update_fields") is not None:
            extra = {"search_name"} if "head_name" in kwargs["update_fields"] else set()
            if "group" in kwargs["update_fields"]:
                extra.add("ward")
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.search_name = normalize_name(self.head_name)  # derived; save() sets it too
        self._copy_ward()
        super().clean_fields(exclude=exclude)

    def clean(self):
        check_unique_in_ward(self, "code", _("Mã hộ này đã có trong danh sách; hãy kiểm tra lại."))

    @property
    def is_poor_or_hardship(self):
        return self.poverty_status != PovertyStatus.NONE


class CaregiverQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(household__in=Household.objects.for_user(user))


class Caregiver(Versioned):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="caregivers", verbose_name=_("hộ")
    )
    name = models.CharField(
        _("họ và tên"),
        max_length=120,
        validators=[PersonNameValidator(_("Họ tên người chăm sóc không hợp lệ."))],
    )
    relation = models.CharField(_("quan hệ với trẻ"), max_length=60)
    phone = models.CharField(
        _("số điện thoại"), max_length=20, blank=True, validators=[validate_vn_phone]
    )

    history = HistoricalRecords()
    objects = CaregiverQuerySet.as_manager()

    class Meta:
        verbose_name = _("người chăm sóc")
        verbose_name_plural = _("người chăm sóc")

    def __str__(self):
        return f"{self.name} ({self.relation})"


class HouseholdScreeningQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(household__in=Household.objects.for_user(user))


class HouseholdScreening(AtRiskScreening):
    """A household's yearly screening (plan II.2): at risk of letting a child work early."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="screenings",
        verbose_name=_("hộ gia đình"),
    )
    objects = HouseholdScreeningQuerySet.as_manager()

    class Meta(AtRiskScreening.Meta):
        verbose_name = _("rà soát hộ gia đình")
        verbose_name_plural = _("rà soát hộ gia đình")
        indexes = [models.Index(fields=["household", "date"])]

    def __str__(self):
        return f"{self.household.code} ({self.date:%d/%m/%Y})"
