from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from .forms import AccessLogSearchForm
from .models import AccessLog
from .permissions import permission_required
from .services import access_log


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


PAGE_SIZE = 100


@permission_required("accesslog.view")
def access_log_search(request):
    """Search the access log by user, date and action (leadership and the case officer)."""
    form = AccessLogSearchForm(request.GET or None)
    rows = AccessLog.objects.for_user(request.user).select_related("user", "content_type")
    if form.is_valid():
        rows = rows.search(**form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page names which children (and other records) were looked at: reading it is logged
    # too, naming the log rows it showed.
    access_log(
        request,
        None,
        "view",
        detail=_("tra cứu nhật ký truy cập"),
        shown=page.object_list,
        model=AccessLog,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dongnguyen/access_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": [(_("Nhật ký truy cập"), None)],
        },
    )
