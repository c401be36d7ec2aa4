"""The roles of DESIGN.md. A user's role decides what they see (scoping) and their menu.

Profile.role is the single source of truth; the Django group of the same code is kept in step
by `user_set_role` (dongnguyen/services.py) so admin permissions can follow the role too.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADERSHIP = "leadership", _("Lãnh đạo UBND")
    CASE_OFFICER = "case_officer", _("Công chức Văn hóa - Xã hội")
    HEALTH = "health", _("Trạm Y tế")
    POLICE = "police", _("Công an phường")
    FINANCE = "finance", _("Phòng Kinh tế, Hạ tầng và Đô thị")
    COLLABORATOR = "collaborator", _("Cộng tác viên / Tổ dân phố")
    MASS_ORG = "mass_org", _("MTTQ và các đoàn thể")
    SCHOOL = "school", _("Trường học")
    SERVICE_CENTRE = "service_centre", _("Trung tâm cung ứng dịch vụ sự nghiệp công")
    PROVINCE = "province", _("Cấp tỉnh")


# Who may do what is one table in dongnguyen/permissions.py.


def role_of(user) -> str | None:
    """The role code of a user; superusers act as case officers with full read; anonymous: None."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.CASE_OFFICER
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


def group_ids_of(user) -> list[int]:
    """Residential groups a collaborator works in (cached on the user object per request)."""
    cached = getattr(user, "_dn_group_ids", None)
    if cached is None:
        profile = getattr(user, "profile", None)
        cached = list(profile.groups.values_list("pk", flat=True)) if profile else []
        user._dn_group_ids = cached
    return cached


def ward_id_of(user) -> int | None:
    """The ward a user works in; None for the province role, superusers and anonymous users
    (who see every ward or none: decide with `role_of`)."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    profile = getattr(user, "profile", None)
    return profile.ward_id if profile is not None else None


def agency_id_of(user) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.agency_id if profile is not None else None


def in_ward(queryset, user, lookup: str = "ward", *, bigint: bool = False):
    """Where every `for_user` starts (DESIGN "Province and wards"): the rows of the user's
    ward, reached through `lookup` (e.g. "household__group__ward"). Superusers see every
    ward; the province role, users without a ward and anonymous users see none of these rows
    (they are personal data or a ward's own work).

    `bigint`: compare with the id cast to bigint. PostgreSQL receives `ward_id = 1` as an
    int4 constant, and a btree_gin index on the bigint column (a ward-led trigram index)
    serves only bigint = bigint; b-tree indexes serve both."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    ward_id = ward_id_of(user)
    if ward_id is None:
        return queryset.none()
    if bigint:
        from django.db.models import BigIntegerField, Value
        from django.db.models.functions import Cast

        return queryset.filter(**{lookup: Cast(Value(ward_id), BigIntegerField())})
    return queryset.filter(**{lookup: ward_id})


def ward_of(user):
    """The Ward a user works in, for new records and headers: the first ward for superusers
    and users without one (single-ward behaviour), None for anonymous users."""
    from dongnguyen.models import Ward

    ward_id = ward_id_of(user)
    if ward_id is None:
        return Ward.cached(None)
    cached = getattr(user, "_dn_ward", None)
    if cached is None or cached.pk != ward_id:
        cached = user._dn_ward = Ward.cached(ward_id)
    return cached
