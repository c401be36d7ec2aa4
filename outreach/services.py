"""Writes on awareness sessions and trainings."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.m2m import set_visible
from dongnguyen.permissions import require
from dongnguyen.roles import Role, group_ids_of, role_of, ward_of
from dongnguyen.versioning import save_versioned
from households.models import Caregiver, Household
from inspections.models import Business

from .coverage import households_with_children
from .models import MaterialDistribution, OutreachSession, Training


@transaction.atomic
def session_save(
    *,
    session: OutreachSession,
    by,
    households=(),
    businesses=(),
    all_households_with_children: bool = False,
    caregivers=None,
) -> OutreachSession:
    """Create or update an awareness session with the households and businesses it reached.

    Collaborators log sessions of their own groups only (never ward-wide); everyone may only
    attach households and businesses they can see. `all_households_with_children` adds every
    household of the session's group that has a current child under 16 — the quick way to
    record a door-to-door round or a residents' meeting of a whole group."""
    if role_of(by) == Role.COLLABORATOR and session.group_id not in group_ids_of(by):
        raise ServiceError({"group": _("Cộng tác viên chỉ ghi buổi tuyên truyền của tổ mình.")})
    household_ids = {h.pk for h in households}
    business_ids = {b.pk for b in businesses}
    visible_h = set(
        Household.objects.for_user(by).filter(pk__in=household_ids).values_list("pk", flat=True)
    )
    visible_b = set(
        Business.objects.for_user(by).filter(pk__in=business_ids).values_list("pk", flat=True)
    )
    if household_ids - visible_h or business_ids - visible_b:
        raise ServiceError(_("Có hộ gia đình hoặc cơ sở ngoài phạm vi được phép."))
    if all_households_with_children:
        if session.group_id is None:
            raise ServiceError({"group": _("Chọn tổ dân phố để thêm tất cả hộ có trẻ em của tổ.")})
        visible_h |= set(
            households_with_children()
            .filter(group_id=session.group_id)
            .filter(pk__in=Household.objects.for_user(by).values("pk"))
            .values_list("pk", flat=True)
        )
    if session.pk is None:
        session.created_by = by
        session.ward = ward_of(by)
    if session.group_id is not None and session.group.ward_id != session.ward_id:
        raise ServiceError({"group": _("Tổ dân phố không thuộc phường, xã của buổi tuyên truyền.")})
    session._history_user = by
    full_clean(session, exclude=["created_by"])  # set above; emptied if the account goes
    save_versioned(session)
    # The editor's lists show only what they may see; the rest of each set is kept.
    set_visible(session.households_reached, visible_h, Household.objects.for_user(by))
    set_visible(session.businesses_reached, visible_b, Business.objects.for_user(by))
    if caregivers is not None:
        visible_c = Caregiver.objects.filter(household__in=Household.objects.for_user(by))
        chosen = {c.pk for c in caregivers}
        if chosen - set(visible_c.filter(pk__in=chosen).values_list("pk", flat=True)):
            raise ServiceError(_("Có người chăm sóc ngoài phạm vi được phép."))
        set_visible(session.caregivers_reached, chosen, visible_c)
    return session


def staff_and_collaborators(ward=None):
    """Everyone K12 counts: active users with a role (staff and collaborators), of one ward
    when given."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__isnull=False)
        .select_related("profile")
        .order_by("profile__role", "last_name", "first_name")
    )
    return users.filter(profile__ward=ward) if ward is not None else users


@transaction.atomic
def training_save(*, training: Training, by, participants=()) -> Training:
    if training.pk is None:
        training.ward = ward_of(by)
    ids = {u.pk for u in participants}
    staff = staff_and_collaborators(training.ward)
    allowed = set(staff.filter(pk__in=ids).values_list("pk", flat=True))
    if ids - allowed:
        raise ServiceError(
            {"participants": _("Học viên phải là cán bộ hoặc cộng tác viên đang hoạt động.")}
        )
    if training.pk is None:
        training.created_by = by
    training._history_user = by
    full_clean(training)
    save_versioned(training)
    # Participants since deactivated are not in the form's list: they stay.
    set_visible(training.participants, allowed, staff)
    return training


@transaction.atomic
def material_record(*, distribution: MaterialDistribution, by) -> MaterialDistribution:
    """Record leaflets, posters, banners, booklets or broadcasts given out. Collaborators and
    the service centre record their own groups' (or ward-wide ones)."""
    require(by, "material.record")
    if (
        role_of(by) in (Role.COLLABORATOR, Role.SERVICE_CENTRE)
        and distribution.group_id is not None
        and distribution.group_id not in group_ids_of(by)
    ):
        raise ServiceError({"group": _("Chỉ ghi tài liệu phát tại tổ mình phụ trách.")})
    if (
        distribution.session_id
        and not OutreachSession.objects.for_user(by).filter(pk=distribution.session_id).exists()
    ):
        raise ServiceError({"session": _("Buổi tuyên truyền ngoài phạm vi được phép.")})
    distribution.created_by = by
    full_clean(distribution, exclude=["created_by"])
    distribution.save()
    return distribution
