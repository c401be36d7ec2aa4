from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from dongnguyen.decorators import role_required
from dongnguyen.roles import Role
from dongnguyen.services import access_log

from .models import Household, ResidentialGroup

REGISTER_ROLES = (Role.LEADERSHIP, Role.CASE_OFFICER, Role.COLLABORATOR)


@role_required(*REGISTER_ROLES)
def household_list(request):
    qs = Household.objects.for_user(request.user).select_related("group")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.search(q)
    group = request.GET.get("group")
    if group:
        qs = qs.filter(group__code=group)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "households/list.html",
        {
            "page": page,
            "q": q,
            "group": group,
            "groups": ResidentialGroup.objects.for_user(request.user),
            "breadcrumbs": [(_("Hộ gia đình"), None)],
        },
    )


@role_required(*REGISTER_ROLES)
def household_detail(request, pk):
    household = get_object_or_404(
        Household.objects.for_user(request.user).select_related("group"), pk=pk
    )
    access_log(request, household, "view")
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "caregivers": household.caregivers.all(),
            "breadcrumbs": [(_("Hộ gia đình"), "/ho-gia-dinh/"), (household.code, None)],
        },
    )
