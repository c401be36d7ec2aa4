from django.conf import settings

from .navigation import menu_for


def ward(request):
    user = getattr(request, "user", None)
    return {
        "WARD_NAME": settings.WARD_NAME,
        "WARD_PLAN_NUMBER": settings.WARD_PLAN_NUMBER,
        "nav_menu": menu_for(user, request.path) if user is not None else [],
    }
