"""The installable offline app for door-to-door work (DESIGN.md "Offline").

The app is one page (/ngoai-tuyen/) that a service worker keeps for use without signal. The
collaborator's own groups are read through the API (the same scope as the pages) into the
browser's IndexedDB; forms are the pages' own forms, rendered here, queued on the phone with a
client UUID and sent through the API when the connection returns (static/js/offline.js)."""

import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from api.models import OfflineChange
from children.forms_cases import FollowUpForm, IntakeForm
from children.forms_register import ChildForm, ScreeningForm
from children.models import Child, FollowUp, Screening, WorkRecord
from children.views import unscreened_children
from dongnguyen.permissions import permission_required
from dongnguyen.roles import in_ward
from dongnguyen.services import access_log
from households.forms import CaregiverForm, HouseholdForm
from households.models import Caregiver

# The child form's fields that make sense at a door; the rest stay for the office.
CHILD_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "household",
    "national_id",
    "school_status",
    "school_name",
    "dropout_date",
    "dropout_reason",
    "at_risk",
    "risk_factors",
    "notes",
)


def _offline_form(form, keep=None):
    for name in list(form.fields):
        if name == "version" or (keep is not None and name not in keep):
            del form.fields[name]
    return form


@never_cache
@permission_required("offline.use")
def app(request):
    forms = {
        "household": _offline_form(HouseholdForm(user=request.user, prefix="household")),
        "child": _offline_form(ChildForm(user=request.user, prefix="child"), CHILD_FIELDS),
        "caregiver": _offline_form(CaregiverForm(prefix="caregiver")),
        "screening": ScreeningForm(prefix="screening"),
        "followup": FollowUpForm(prefix="followup"),
        "intake": IntakeForm(user=request.user, prefix="intake"),
    }
    return render(
        request,
        "portal/offline.html",
        {
            "forms": forms,
            "config": {
                "user": request.user.pk,
                "maxDays": settings.OFFLINE_MAX_DAYS,
                "tokenUrl": reverse("offline_token"),
                "loginUrl": reverse("login"),
                "dueUrl": reverse("offline_due"),
                "api": {
                    "households": reverse("api:household-list"),
                    "children": reverse("api:child-list"),
                    "caregivers": reverse("api:caregiver-list"),
                    "screenings": reverse("api:screening-list"),
                    "followups": reverse("api:followup-list"),
                    "intakes": reverse("api:intake-list"),
                },
            },
        },
    )


def open_followups(user):
    """The children of the user's scope still to be followed up (DOMAIN: follow up until the
    child has stopped working): a labour record not ended, or a last visit that found the
    child still working unlawfully. With the date of that last visit."""
    visits = FollowUp.objects.filter(child=OuterRef("pk")).order_by("-date", "-pk")
    working = WorkRecord.objects.filter(child=OuterRef("pk"), lawful=False, ended_on=None)
    return (
        Child.objects.for_user(user)
        .current()
        .annotate(
            last_visit=Subquery(visits.values("date")[:1]),
            last_unlawful=Subquery(visits.values("working_unlawfully")[:1]),
            working=Exists(working),
        )
        .filter(Q(working=True) | Q(last_unlawful=True))
    )


@never_cache
@permission_required("offline.use")
def due(request):
    """What the collaborator has to do in their groups, for the phone's copy: the screenings
    due this year and the open follow-ups (ids of children the copy already holds, no names).
    Three queries (two lists, one log row) whatever the number of children."""
    screenings = list(unscreened_children(request.user, None).values_list("pk", flat=True))
    followups = [
        {"child": pk, "last_visit": last.isoformat() if last else None}
        for pk, last in open_followups(request.user).values_list("pk", "last_visit")
    ]
    access_log(
        request,
        None,
        "view",
        _("ngoại tuyến: việc cần làm (%(s)d rà soát, %(f)d theo dõi)")
        % {"s": len(screenings), "f": len(followups)},
        shown=sorted({*screenings, *(f["child"] for f in followups)}),
        model=Child,
    )
    return JsonResponse({"screenings": screenings, "followups": followups})


@never_cache
@permission_required("offline.use")
def token(request):
    """A fresh CSRF token for a sync started from a page that was loaded offline."""
    return JsonResponse({"csrf": get_token(request), "user": request.user.pk})


def service_worker(request):
    """The service worker at the site's root, so it may control /ngoai-tuyen/."""
    path = settings.BASE_DIR / "static" / "js" / "sw.js"
    response = HttpResponse(path.read_text(encoding="utf-8"), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def manifest(request):
    data = {
        "name": _("Phòng, chống lao động trẻ em — nhập liệu tại hộ"),
        "short_name": _("Nhập liệu tại hộ"),
        "lang": "vi",
        "start_url": reverse("offline_app"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#8b1a1a",
        "icons": [{"src": static("img/logo.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


@permission_required("offline.review")
def changes(request):
    """What reached the server from phones without signal: by whom, edited when, synced when."""
    # The ward's own: what its users entered (another ward's officer sees none of it).
    rows = (
        in_ward(OfflineChange.objects.all(), request.user, "user__profile__ward")
        .select_related("user", "content_type")
        .order_by("-synced_at")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    parents = _parents(page.object_list)
    for row in page.object_list:
        row.link = _link(row.content_type, row.object_id, parents)
    return render(request, "portal/offline_changes.html", {"page": page})


# A record's own page, or the page it is shown on (a caregiver on its household's, a
# screening or a visit on the child's): (page, the model, the column naming the parent).
PAGES = {
    "household": ("households:detail", None, None),
    "child": ("children:detail", None, None),
    "intakereport": ("children:intake_detail", None, None),
    "caregiver": ("households:detail", Caregiver, "household_id"),
    "screening": ("children:detail", Screening, "child_id"),
    "followup": ("children:detail", FollowUp, "child_id"),
}


def _parents(rows) -> dict:
    """{(model name, id): the parent's id} for the rows shown on a parent's page: one query
    per kind of record on the page, whatever the number of rows."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        spec = PAGES.get(row.content_type.model)
        if spec and spec[1] is not None and row.object_id.isdigit():
            wanted.setdefault(row.content_type.model, set()).add(int(row.object_id))
    found = {}
    for name, ids in wanted.items():
        _page, model, column = PAGES[name]
        for pk, parent in model.objects.filter(pk__in=ids).values_list("pk", column):
            found[(name, pk)] = parent
    return found


def _link(content_type: ContentType, object_id: str, parents: dict) -> str:
    spec = PAGES.get(content_type.model)
    if spec is None or not object_id.isdigit():
        return ""
    name, model, _column = spec
    pk = int(object_id) if model is None else parents.get((content_type.model, int(object_id)))
    if pk is None:
        return ""  # deleted since
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""
