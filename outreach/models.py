from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dongnguyen.models import default_ward_id
from dongnguyen.roles import Role, group_ids_of, in_ward, role_of
from dongnguyen.validators import NotFutureValidator
from dongnguyen.versioning import Versioned
from funding.models import cost_field, cost_source_field


class Channel(models.TextChoices):
    LOUDSPEAKER = "loudspeaker", _("Loa truyền thanh")
    SOCIAL_MEDIA = "social_media", _("Mạng xã hội (Zalo, Facebook)")
    WEBSITE = "website", _("Trang thông tin điện tử phường")
    CONFERENCE = "conference", _("Hội nghị")
    RESIDENTS_MEETING = "residents_meeting", _("Họp dân")
    GROUP_MEETING = "group_meeting", _("Sinh hoạt chi hội, đoàn thể")
    SCHOOL = "school", _("Trường học")
    DOOR_TO_DOOR = "door_to_door", _("Đến từng hộ gia đình")


class OutreachQuerySet(models.QuerySet):
    def for_user(self, user):
        return in_ward(self, user, "ward")._for_role(user)

    def _for_role(self, user):
        role = role_of(user)
        # Sessions list the households reached: personal data, not for finance.
        if role is None or role == Role.FINANCE:
            return self.none()
        if role in (Role.COLLABORATOR, Role.SERVICE_CENTRE):
            return self.filter(Q(group_id__in=group_ids_of(user)) | Q(group__isnull=True))
        if role in (Role.SCHOOL, Role.PROVINCE):
            return self.none()
        return self

    def in_period(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class OutreachSession(Versioned):
    group = models.ForeignKey(
        "households.ResidentialGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_sessions",
        verbose_name=_("tổ dân phố"),
        help_text=_("Để trống nếu là buổi tuyên truyền toàn phường."),
    )
    date = models.DateField(
        _("ngày"),
        default=timezone.localdate,
        db_index=True,
        validators=[NotFutureValidator(_("Ngày tuyên truyền không được sau ngày hôm nay."))],
    )
    channel = models.CharField(_("hình thức"), max_length=20, choices=Channel.choices)
    topic = models.CharField(_("chủ đề"), max_length=255)
    organizer = models.ForeignKey(
        "dongnguyen.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("đơn vị tổ chức"),
    )
    attendee_count = models.PositiveIntegerField(_("số người tham dự"), default=0)
    caregiver_count = models.PositiveIntegerField(_("số cha mẹ, người chăm sóc"), default=0)
    children_count = models.PositiveIntegerField(_("số trẻ em"), default=0)
    households_reached = models.ManyToManyField(
        "households.Household",
        blank=True,
        related_name="outreach_sessions",
        verbose_name=_("hộ gia đình được tuyên truyền"),
    )
    # Caregivers reached one by one; a household in households_reached means all its
    # caregivers (KPI K16).
    caregivers_reached = models.ManyToManyField(
        "households.Caregiver",
        blank=True,
        related_name="outreach_sessions",
        verbose_name=_("cha mẹ, người chăm sóc được tuyên truyền"),
    )
    businesses_reached = models.ManyToManyField(
        "inspections.Business",
        blank=True,
        related_name="outreach_sessions",
        verbose_name=_("cơ sở được tuyên truyền"),
    )
    leaflets = models.PositiveIntegerField(_("tờ rơi"), default=0)
    posters = models.PositiveIntegerField(_("áp phích, pa nô"), default=0)
    booklets = models.PositiveIntegerField(_("sổ tay hỏi đáp"), default=0)
    materials = models.TextField(_("tài liệu khác"), blank=True)
    cost_vnd = cost_field()
    cost_source = cost_source_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    history = HistoricalRecords()
    objects = OutreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi tuyên truyền")
        verbose_name_plural = _("buổi tuyên truyền")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.topic}"

    def clean(self):
        counts = self.attendee_count, self.caregiver_count, self.children_count
        if None not in counts and counts[0] and counts[1] + counts[2] > counts[0]:
            raise ValidationError(
                {
                    "attendee_count": _(
                        "Tổng số cha mẹ, người chăm sóc và trẻ em không được lớn hơn số người "
                        "tham dự."
                    )
                }
            )


class TrainingQuerySet(models.QuerySet):
    def for_user(self, user):
        return in_ward(self, user, "ward")._for_role(user)

    def _for_role(self, user):
        """Training records are staff administration: leadership and the VH-XH office."""
        if role_of(user) in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return self
        return self.none()

    def in_period(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class Training(Versioned):
    class Organizer(models.TextChoices):
        WARD = "ward", _("UBND phường")
        PROVINCE = "province", _("Tỉnh")
        OTHER = "other", _("Khác")

    title = models.CharField(_("tên lớp tập huấn"), max_length=255)
    date = models.DateField(_("ngày"), default=timezone.localdate, db_index=True)
    organizer = models.CharField(
        _("đơn vị tổ chức"), max_length=10, choices=Organizer.choices, default=Organizer.WARD
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="trainings", verbose_name=_("học viên")
    )
    outside_participants = models.PositiveIntegerField(_("số học viên ngoài hệ thống"), default=0)
    topics = models.TextField(_("nội dung"), blank=True)
    cost_vnd = cost_field()
    cost_source = cost_source_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    history = HistoricalRecords()
    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.title}"


class MaterialKind(models.TextChoices):
    LEAFLET = "leaflet", _("Tờ rơi")
    POSTER = "poster", _("Áp phích")
    BANNER = "banner", _("Pa nô, băng rôn")
    QA_BOOKLET = "qa_booklet", _("Sổ tay hỏi đáp")
    LOUDSPEAKER_BROADCAST = "loudspeaker_broadcast", _("Lượt phát loa truyền thanh")
    OTHER = "other", _("Khác")


class MaterialQuerySet(models.QuerySet):
    def for_user(self, user):
        """Counts, no personal data: everyone who reads sessions, in their ward; collaborators
        their groups' and the ward-wide ones."""
        from dongnguyen.roles import ward_id_of

        role = role_of(user)
        if role is None or role in (Role.FINANCE, Role.PROVINCE, Role.SCHOOL):
            return self.none()
        qs = self
        ward = ward_id_of(user)
        if ward is not None:
            qs = qs.filter(ward_id=ward)
        if role in (Role.COLLABORATOR, Role.SERVICE_CENTRE):
            qs = qs.filter(Q(group_id__in=group_ids_of(user)) | Q(group__isnull=True))
        return qs

    def in_period(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class MaterialDistribution(models.Model):
    """Leaflets, posters, banners, Q&A booklets and loudspeaker broadcasts given out (plan
    II.1). The per-session counts typed on a session (leaflets, posters, booklets) are totalled
    with these (reports/selectors.py `materials_by_kind`)."""

    kind = models.CharField(_("loại tài liệu"), max_length=30, choices=MaterialKind.choices)
    quantity = models.PositiveIntegerField(
        _("số lượng"), validators=[MinValueValidator(1, _("Số lượng phải lớn hơn 0."))]
    )
    group = models.ForeignKey(
        "households.ResidentialGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ dân phố"),
        help_text=_("Để trống nếu phát toàn phường."),
    )
    date = models.DateField(
        _("ngày"),
        default=timezone.localdate,
        db_index=True,
        validators=[NotFutureValidator(_("Ngày phát không được sau ngày hôm nay."))],
    )
    session = models.ForeignKey(
        OutreachSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="distributions",
        verbose_name=_("buổi tuyên truyền"),
    )
    notes = models.CharField(_("ghi chú"), max_length=255, blank=True)
    # Printing and broadcasting cost: the awareness line of the estimate (issue 15 point 2).
    cost_vnd = cost_field()
    cost_source = cost_source_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người ghi"),
    )
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("phát tài liệu tuyên truyền")
        verbose_name_plural = _("phát tài liệu tuyên truyền")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()} × {self.quantity}"

    def clean(self):
        if self.session_id and self.group_id and self.session.group_id not in (None, self.group_id):
            raise ValidationError(
                {"group": _("Tổ dân phố khác với tổ của buổi tuyên truyền đã chọn.")}
            )
