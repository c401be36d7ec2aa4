from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .limits import client_ip
from .models import AccessLog, Agency, Profile, Ward
from .roles import Role

_KEEP = object()


@transaction.atomic
def user_set_role(
    *, user, role: str, agency: Agency | None = None, groups=(), ward=_KEEP
) -> Profile:
    """Give a user a role (and the Django group of the same code), agency, ward and
    residential groups (of that ward). The one place a role changes, so the group membership
    never drifts. The province role has no ward; others keep theirs unless `ward` is given
    (a new profile: the first ward)."""
    if role not in Role.values:
        raise ValueError(f"Vai trò không hợp lệ: {role}")
    defaults = {"role": role, "agency": agency}
    if role == Role.PROVINCE:
        defaults["ward"] = None
    elif ward is not _KEEP:
        defaults["ward"] = ward
    profile, _ = Profile.objects.update_or_create(user=user, defaults=defaults)
    if role != Role.PROVINCE and profile.ward_id is None:
        profile.ward = Ward.first()
        profile.save(update_fields=["ward"])
    if any(g.ward_id != profile.ward_id for g in groups):
        raise ValueError("Tổ dân phố phải thuộc phường, xã của người dùng.")
    profile.groups.set(groups)
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_dn_group_ids", None)
    user.__dict__.pop("_dn_ward", None)
    return profile


def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    agency: Agency | None = None,
    groups=(),
    email: str = "",
    ward=_KEEP,
) -> "get_user_model()":
    User = get_user_model()
    # As the admin form labels Django's fields: last_name "Họ" (family and middle names),
    # first_name "Tên" (the given name, the last word); text.person_name shows them in order.
    family_middle, _, given = full_name.strip().rpartition(" ")
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=given,
        last_name=family_middle,
    )
    user_set_role(user=user, role=role, agency=agency, groups=groups, ward=ward)
    return user


def _client_ip(request) -> str | None:
    """The client's address as the rate limits see it (limits.client_ip: X-Forwarded-For only
    from a proxy named in TRUSTED_PROXY_IPS), None when the request has none."""
    if request is None:
        return None
    return client_ip(request) or None


def access_log(request, obj, action: str, detail: str = "", *, shown=None, model=None) -> AccessLog:
    """Record that request.user viewed, exported, printed or downloaded `obj` (a model
    instance), or a list of records: `shown` (instances or ids of `model`; a list page's
    rows, a search's results, an import preview), or None for a whole filtered list named in
    `detail`. One row, one INSERT, whatever the length of the list."""
    from django.contrib.contenttypes.models import ContentType

    ids = ""
    if shown is not None:
        shown = list(shown)
        if model is None and shown:
            model = type(shown[0])
        ids = ",".join(str(getattr(s, "pk", s)) for s in shown)
        ids = f",{ids}," if ids else ""
    typed = obj if obj is not None else model
    return AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(typed) if typed is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        object_ids=ids,
        action=action,
        detail=str(detail)[:255],
        path=request.get_full_path()[:500],
        ip=_client_ip(request),
    )
