from django.conf import settings

from .navigation import menu_for
from .page_help import page_help_for


def ward(request):
    """The page header names the user's ward (the first ward before login and for users of
    every ward; the province role: the province)."""
    user = getattr(request, "user", None)
    name, plan = settings.WARD_NAME, settings.WARD_PLAN_NUMBER
    if user is not None and user.is_authenticated:
        from dongnguyen.roles import ward_id_of, ward_of

        if ward_id_of(user) is not None or user.is_superuser:
            w = ward_of(user)
            name, plan = w.name, w.plan_number
    return {
        "WARD_NAME": name,
        "WARD_PLAN_NUMBER": plan,
        "nav_menu": menu_for(user, request.path) if user is not None else [],
        "page_help": page_help_for(request),
    }
