from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.forms import add_service_errors
from dongnguyen.permissions import may, permission_required
from dongnguyen.roles import Role, group_ids_of, role_of, ward_of
from dongnguyen.services import access_log
from dongnguyen.text import as_id, normalize_name, query_text
from households.models import Caregiver, Household, ResidentialGroup
from inspections.models import Business

from . import coverage, services
from .forms import MaterialForm, SessionForm, TrainingForm
from .models import Channel, MaterialDistribution, OutreachSession, Training


def _year(request) -> int:
    value = request.GET.get("year", "")
    today = timezone.localdate()
    year = as_id(value)
    return year if year and 2000 <= year <= today.year + 1 else today.year


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _editable_sessions(user):
    """Sessions a user may change: collaborators their own groups' (not ward-wide ones)."""
    qs = OutreachSession.objects.for_user(user)
    if role_of(user) == Role.COLLABORATOR:
        qs = qs.filter(group_id__in=group_ids_of(user))
    return qs


# -- sessions --------------------------------------------------------------------------------


@permission_required("session.view")
def session_list(request):
    year = _year(request)
    start, end = coverage.year_bounds(year)
    qs = (
        OutreachSession.objects.for_user(request.user)
        .in_period(start, end)
        .select_related("group", "organizer")
        .annotate(
            n_households=Count("households_reached", distinct=True),
            n_businesses=Count("businesses_reached", distinct=True),
        )
        .order_by("-date", "-pk")
    )
    group = request.GET.get("group")
    if group == "ward":
        qs = qs.filter(group__isnull=True)
    elif as_id(group):
        qs = qs.filter(group_id=as_id(group))
    channel = request.GET.get("channel")
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/session_list.html",
        {
            "page": page,
            "year": str(year),  # a string: no thousands separator in "2026"
            "group": group,
            "channel": channel,
            "query": _query(request),
            "groups": ResidentialGroup.objects.for_user(request.user),
            "channels": Channel.choices,
            "can_edit": may(request.user, "session.edit"),
            "can_coverage": may(request.user, "coverage.view"),
            "can_training": may(request.user, "training.view"),
            "breadcrumbs": [(_("Tuyên truyền"), None)],
        },
    )


@permission_required("session.view")
def session_detail(request, pk):
    session = get_object_or_404(
        OutreachSession.objects.for_user(request.user).select_related("group", "organizer"),
        pk=pk,
    )
    households = session.households_reached.filter(
        pk__in=Household.objects.for_user(request.user).values("pk")
    ).select_related("group")
    access_log(request, session, "view")
    return render(
        request,
        "outreach/session_detail.html",
        {
            "session": session,
            "households": households,
            "hidden_households": session.households_reached.count() - households.count(),
            "businesses": session.businesses_reached.select_related("group"),
            "caregivers": session.caregivers_reached.filter(
                pk__in=Caregiver.objects.for_user(request.user).values("pk")
            )
            .select_related("household")
            .order_by("household__code", "name"),
            "can_edit": _editable_sessions(request.user).filter(pk=pk).exists()
            and may(request.user, "session.edit"),
            "breadcrumbs": [
                (_("Tuyên truyền"), reverse("outreach:session_list")),
                (str(session), None),
            ],
        },
    )


@permission_required("session.edit")
def session_edit(request, pk=None):
    session = None
    if pk is not None:
        session = get_object_or_404(_editable_sessions(request.user), pk=pk)
    initial = {}
    if session is None:
        initial["date"] = timezone.localdate()
        groups = group_ids_of(request.user)
        if role_of(request.user) == Role.COLLABORATOR and groups:
            initial["group"] = groups[0]
    form = SessionForm(request.POST or None, instance=session, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.session_save(
                session=form.save(commit=False),
                by=request.user,
                households=data["households"],
                businesses=data["businesses"],
                all_households_with_children=data["all_households_with_children"],
                caregivers=data["caregivers"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu buổi tuyên truyền."))
            return redirect("outreach:session_detail", pk=saved.pk)
    title = str(session) if session else _("Ghi buổi tuyên truyền")
    return render(
        request,
        "outreach/session_form.html",
        {
            "form": form,
            "title": title,
            "picked_households": form.picked("households"),
            "picked_businesses": form.picked("businesses"),
            "picked_caregivers": form.picked("caregivers"),
            "breadcrumbs": [
                (_("Tuyên truyền"), reverse("outreach:session_list")),
                (title, None),
            ],
        },
    )


@permission_required("session.edit")
def household_picker(request):
    """htmx: households of one group matching a name or code, as checkboxes (50 at most);
    `children=1` keeps only households with a child under 16."""
    qs = Household.objects.for_user(request.user).select_related("group")
    group = request.GET.get("group", "")
    if as_id(group):
        qs = qs.filter(group_id=as_id(group))
    q = query_text(request, "hq")
    if q:
        qs = qs.search(q)
    if request.GET.get("children"):
        qs = qs.filter(pk__in=coverage.households_with_children().values("pk"))
    results = list(qs.order_by("code")[:50]) if (q or as_id(group)) else []
    if results:
        access_log(request, None, "view", _("tìm hộ gia đình"), shown=results, model=Household)
    return render(
        request,
        "outreach/_picker_results.html",
        {"results": results, "name": "households", "kind": "household"},
    )


CAREGIVERS_SHOWN = 50


@permission_required("session.edit")
def caregiver_picker(request):
    """htmx: the caregivers of one group (in the editor's scope) whose name, or whose
    household's head or code, matches `cq`, as checkboxes (50 at most); `children=1` lists
    the caregivers of the group's households with a child under 16. A caregiver's name has no
    stored search column, so within a group (a few hundred people) the names are matched
    here, ignoring case and diacritics; without a group only the household search is used."""
    qs = Caregiver.objects.for_user(request.user).select_related("household")
    group = as_id(request.GET.get("group", ""))
    q = query_text(request, "cq")
    if not (q or group):
        results = []
    else:
        if group:
            qs = qs.filter(household__group_id=group)
        if request.GET.get("children"):
            qs = qs.filter(household__in=coverage.households_with_children().values("pk"))
        qs = qs.order_by("household__code", "name", "pk")
        if q and group:
            norm = normalize_name(q)
            households = set(
                Household.objects.filter(group_id=group).search(q).values_list("pk", flat=True)
            )
            results = [
                c for c in qs if norm in normalize_name(c.name) or c.household_id in households
            ][:CAREGIVERS_SHOWN]
        elif q:
            results = list(
                qs.filter(household__in=Household.objects.search(q).values("pk"))[:CAREGIVERS_SHOWN]
            )
        else:
            results = list(qs[:CAREGIVERS_SHOWN])
    if results:
        access_log(request, None, "view", _("tìm người chăm sóc"), shown=results, model=Caregiver)
    return render(
        request,
        "outreach/_picker_results.html",
        {"results": results, "name": "caregivers", "kind": "caregiver"},
    )


@permission_required("session.edit")
def business_picker(request):
    qs = Business.objects.for_user(request.user).active().select_related("group")
    group = request.GET.get("group", "")
    if as_id(group):
        qs = qs.filter(group_id=as_id(group))
    q = query_text(request, "bq")
    if q:
        qs = qs.search(q)
    results = list(qs[:50]) if (q or as_id(group)) else []
    return render(
        request,
        "outreach/_picker_results.html",
        {"results": results, "name": "businesses", "kind": "business"},
    )


# -- coverage --------------------------------------------------------------------------------


@permission_required("coverage.view")
def coverage_view(request):
    year = _year(request)
    groups = ResidentialGroup.objects.for_user(request.user).active()
    rows = coverage.coverage_by_group(groups, year)
    start, end = coverage.year_bounds(year)
    ward_wide = OutreachSession.objects.filter(
        group__isnull=True, date__gte=start, date__lte=end
    ).count()
    return render(
        request,
        "outreach/coverage.html",
        {
            "rows": rows,
            "year": str(year),  # a string: no thousands separator in "2026"
            "ward_wide": ward_wide,
            "without_sessions": sum(1 for r in rows if not r.sessions),
            "breadcrumbs": [
                (_("Tuyên truyền"), reverse("outreach:session_list")),
                (_("Độ bao phủ năm %(y)d") % {"y": year}, None),
            ],
        },
    )


@permission_required("coverage.view")
def coverage_group(request, pk):
    group = get_object_or_404(ResidentialGroup.objects.for_user(request.user), pk=pk)
    year = _year(request)
    what = request.GET.get("what", "households")
    if what == "businesses":
        qs = coverage.businesses_not_reached(year).filter(group=group).order_by("search_name")
    else:
        what = "households"
        qs = (
            coverage.households_not_reached(year)
            .filter(group=group)
            .filter(pk__in=Household.objects.for_user(request.user).values("pk"))
            .order_by("code")
        )
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    if what == "households":
        access_log(
            request, None, "view", _("hộ chưa được tuyên truyền"), shown=page, model=Household
        )
    return render(
        request,
        "outreach/coverage_group.html",
        {
            "group": group,
            "year": str(year),  # a string: no thousands separator in "2026"
            "what": what,
            "page": page,
            "query": _query(request),
            "can_edit": may(request.user, "session.edit"),
            "breadcrumbs": [
                (_("Tuyên truyền"), reverse("outreach:session_list")),
                (_("Độ bao phủ năm %(y)d") % {"y": year}, reverse("outreach:coverage")),
                (str(group), None),
            ],
        },
    )


# -- trainings -------------------------------------------------------------------------------


@permission_required("training.view")
def training_list(request):
    year = _year(request)
    start, end = coverage.year_bounds(year)
    qs = (
        Training.objects.for_user(request.user)
        .in_period(start, end)
        .annotate(n_participants=Count("participants"))
        .order_by("-date", "-pk")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/training_list.html",
        {
            "page": page,
            "year": str(year),  # a string: no thousands separator in "2026"
            "query": _query(request),
            "can_edit": may(request.user, "training.edit"),
            "breadcrumbs": [(_("Tập huấn"), None)],
        },
    )


@permission_required("training.view")
def training_detail(request, pk):
    training = get_object_or_404(Training.objects.for_user(request.user), pk=pk)
    return render(
        request,
        "outreach/training_detail.html",
        {
            "training": training,
            "participants": training.participants.select_related("profile__agency"),
            "can_edit": may(request.user, "training.edit"),
            "breadcrumbs": [
                (_("Tập huấn"), reverse("outreach:training_list")),
                (training.title, None),
            ],
        },
    )


@permission_required("training.edit")
def training_edit(request, pk=None):
    training = None
    if pk is not None:
        training = get_object_or_404(Training.objects.for_user(request.user), pk=pk)
    form = TrainingForm(
        request.POST or None,
        user=request.user,
        instance=training,
        initial={} if training else {"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.training_save(
                training=form.save(commit=False),
                by=request.user,
                participants=form.cleaned_data["participants"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu lớp tập huấn."))
            return redirect("outreach:training_detail", pk=saved.pk)
    title = training.title if training else _("Thêm lớp tập huấn")
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": reverse("outreach:training_list"),
            "breadcrumbs": [(_("Tập huấn"), reverse("outreach:training_list")), (title, None)],
        },
    )


@permission_required("training.view")
def untrained(request):
    """Active staff and collaborators with no training dated in the year (KPI K12)."""
    year = _year(request)
    start, end = coverage.year_bounds(year)
    trained = Training.participants.through.objects.filter(
        user_id=OuterRef("pk"), training__date__gte=start, training__date__lte=end
    )
    qs = (
        services.staff_and_collaborators(ward_of(request.user))
        .select_related("profile__agency")
        .exclude(Exists(trained))
    )
    total = services.staff_and_collaborators(ward_of(request.user)).count()
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/untrained.html",
        {
            "page": page,
            "year": str(year),  # a string: no thousands separator in "2026"
            "total": total,
            "query": _query(request),
            "breadcrumbs": [
                (_("Tập huấn"), reverse("outreach:training_list")),
                (_("Chưa được tập huấn năm %(y)d") % {"y": year}, None),
            ],
        },
    )


# -- materials (leaflets, posters, banners, booklets, broadcasts) ------------------------------


@permission_required("material.view")
def material_list(request):
    year = _year(request)
    start, end = coverage.year_bounds(year)
    visible = MaterialDistribution.objects.for_user(request.user)
    qs = visible.in_period(start, end).select_related("group", "session").order_by("-date", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/material_list.html",
        {
            "page": page,
            "year": str(year),
            "query": _query(request),
            "totals": coverage.materials_by_kind(
                start, end, visible, OutreachSession.objects.for_user(request.user)
            ),
            "can_edit": may(request.user, "material.record"),
            "breadcrumbs": [
                (_("Tuyên truyền"), reverse("outreach:session_list")),
                (_("Tài liệu tuyên truyền"), None),
            ],
        },
    )


@permission_required("material.record")
def material_create(request):
    form = MaterialForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_record(distribution=form.instance, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi tài liệu tuyên truyền."))
            return redirect("outreach:material_list")
    return render(
        request,
        "outreach/material_form.html",
        {
            "form": form,
            "breadcrumbs": [
                (_("Tài liệu tuyên truyền"), reverse("outreach:material_list")),
                (_("Ghi tài liệu phát"), None),
            ],
        },
    )
