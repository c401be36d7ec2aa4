from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .home import attention_items
from .roles import role_of


@login_required
def home(request):
    return render(
        request,
        "dongnguyen/home.html",
        {
            "items": attention_items(request.user),
            "role": role_of(request.user),
            "today": timezone.localdate(),
        },
    )


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
