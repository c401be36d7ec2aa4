from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.forms import add_service_errors
from dongnguyen.paging import choice_labels, page_of_values, row_url
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log
from dongnguyen.text import query_text

from .filters import HouseholdFilter
from .forms import CaregiverForm, HouseholdForm
from .history import history_rows
from .models import Caregiver, Household
from .services import caregiver_delete, caregiver_save, household_save

PAGE_SIZE = 50


def _crumbs(*extra):
    return [(_("Hộ gia đình"), reverse("households:list")), *extra]


def _children_count():
    from children.models import Child

    rows = Child.objects.filter(household_id=OuterRef("pk")).order_by().values("household_id")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@permission_required("household.view")
def household_list(request):
    qs = (
        Household.objects.for_user(request.user)
        .order_by("code")
        # A correlated count per shown row: a JOIN + GROUP BY would aggregate every household
        # before the LIMIT, and make the paginator's COUNT aggregate them too.
        .annotate(children_count=_children_count())
    )
    filterset = HouseholdFilter(request.GET, queryset=qs, request=request)
    # A name search pages without COUNT(*): the count would scan every match a second time.
    page = page_of_values(
        filterset.qs,
        _LIST_COLUMNS,
        PAGE_SIZE,
        request.GET.get("page"),
        search=bool(query_text(request, "q")),
    )
    page.object_list = shown = _list_rows(page.object_list)
    access_log(
        request,
        None,
        "view",
        _("danh sách hộ gia đình"),
        shown=[row["pk"] for row in shown],
        model=Household,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "households/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": shown,
            "query": query.urlencode(),
            "can_edit": may(request.user, "household.edit"),
            "breadcrumbs": [(_("Hộ gia đình"), None)],
        },
    )


# What a row of the list shows, read as tuples (dongnguyen.paging.page_of_values).
_LIST_COLUMNS = (
    "pk",
    "code",
    "head_name",
    "address",
    "group__name",
    "poverty_status",
    "children_count",
)


def _list_rows(rows) -> list[dict]:
    """What each row shows, computed once per page rather than per row in the template (a
    {% url %} and two get_poverty_status_display() per row). Plain dicts: the template reads a
    dict's key at once, a model's attribute only after a failed key lookup."""
    url = row_url("households:detail")
    poverty = choice_labels(Household, "poverty_status")
    return [
        {
            "pk": pk,
            "url": url(pk),
            "code": code,
            "head_name": head_name,
            "address": address,
            "group_name": group_name,
            "poverty_status": status,
            "poverty_label": poverty.get(status, status),
            "children_count": children_count,
        }
        for pk, code, head_name, address, group_name, status, children_count in rows
    ]


@permission_required("household.view")
def household_detail(request, pk):
    household = get_object_or_404(
        Household.objects.for_user(request.user).select_related("group"), pk=pk
    )
    access_log(request, household, "view")
    from children.models import Child

    children = (
        Child.objects.for_user(request.user)
        .filter(household=household)
        .prefetch_related("special_groups")
    )
    caregivers = household.caregivers.all()
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "caregivers": caregivers,
            "children": children,
            "history": history_rows(
                household.history.all(),
                Caregiver.history.filter(household_id=household.pk),
            ),
            "can_edit": may(request.user, "household.edit"),
            "breadcrumbs": _crumbs((household.code, None)),
        },
    )


@permission_required("household.edit")
def household_create(request):
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        household = household_save(household=form.save(commit=False), by=request.user)
        messages.success(request, _("Đã thêm hộ %(code)s.") % {"code": household.code})
        return redirect("households:detail", household.pk)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "title": _("Thêm hộ gia đình"),
            "breadcrumbs": _crumbs((_("Thêm mới"), None)),
        },
    )


@permission_required("household.edit")
def household_edit(request, pk):
    household = get_object_or_404(Household.objects.for_user(request.user), pk=pk)
    access_log(request, household, "view", _("trang sửa"))
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household_save(household=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("households:detail", household.pk)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "household": household,
            "title": _("Sửa thông tin hộ %(code)s") % {"code": household.code},
            "breadcrumbs": _crumbs(
                (household.code, reverse("households:detail", args=[household.pk])),
                (_("Sửa"), None),
            ),
        },
    )


@permission_required("household.edit")
def caregiver_add(request, pk):
    household = get_object_or_404(Household.objects.for_user(request.user), pk=pk)
    return _caregiver_form(request, household, Caregiver(household=household))


@permission_required("household.edit")
def caregiver_edit(request, pk):
    caregiver = get_object_or_404(
        Caregiver.objects.for_user(request.user).select_related("household"), pk=pk
    )
    return _caregiver_form(request, caregiver.household, caregiver)


def _caregiver_form(request, household, caregiver):
    if caregiver.pk:
        access_log(request, caregiver, "view", _("trang sửa"))
    else:
        access_log(request, household, "view", _("thêm người chăm sóc"))
    form = CaregiverForm(request.POST or None, instance=caregiver)
    if request.method == "POST" and form.is_valid():
        try:
            caregiver_save(caregiver=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu người chăm sóc."))
            return redirect("households:detail", household.pk)
    title = _("Sửa người chăm sóc") if caregiver.pk else _("Thêm người chăm sóc")
    return render(
        request,
        "households/caregiver_form.html",
        {
            "form": form,
            "household": household,
            "caregiver": caregiver,
            "title": title,
            "breadcrumbs": _crumbs(
                (household.code, reverse("households:detail", args=[household.pk])),
                (title, None),
            ),
        },
    )


@permission_required("household.edit")
@require_POST
def caregiver_remove(request, pk):
    caregiver = get_object_or_404(Caregiver.objects.for_user(request.user), pk=pk)
    household_id = caregiver.household_id
    caregiver_delete(caregiver=caregiver, by=request.user)
    messages.success(request, _("Đã xóa người chăm sóc."))
    return redirect("households:detail", household_id)
