"""The yearly screening pages shared by children, households and businesses (plan II.2): the
group chosen, the tabs between the lists, and the households' own list. Here, in the lowest
of the three apps, so children and inspections build on it."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log

from .models import Household, ResidentialGroup
from .services import household_screen

PAGE_SIZE = 100


def screening_group(request):
    """The screening pages' groups (the user's active ones) and the one chosen (`group`, a
    code; the first by default). Another group's code is a 404."""
    groups = list(ResidentialGroup.objects.for_user(request.user).active())
    code = request.GET.get("group") or (groups[0].code if groups else "")
    group = next((g for g in groups if g.code == code), None)
    if code and group is None:
        raise Http404  # another group's screening list, or no such group
    return groups, group


def screening_tabs(request, group, current: str) -> dict:
    """The context of the tabs shared by the screening pages
    (templates/children/_screening_tabs.html)."""
    return {
        "tab": current,
        "tab_query": f"group={group.code}" if group else "",
        "can_screen_households": may(request.user, "household.screen"),
        "can_screen_businesses": may(request.user, "business.screen"),
    }


def year_start(on: date | None = None) -> date:
    return (on or timezone.localdate()).replace(month=1, day=1)


class ScreenForm(forms.Form):
    """One row of a household or business screening list: the button pressed and the
    reasons typed (required when at risk: the model's rule)."""

    at_risk = forms.TypedChoiceField(
        choices=[("0", gettext_lazy("Không có nguy cơ")), ("1", gettext_lazy("Có nguy cơ"))],
        coerce=lambda v: v == "1",
    )
    reasons = forms.CharField(required=False, max_length=2000)


def unscreened_households(user, group, on=None):
    """The group's households (in the user's scope) with no screening in the year of `on`."""
    return (
        Household.objects.for_user(user)
        .filter(group=group)
        .exclude(screenings__date__gte=year_start(on))
        .order_by("code")
    )


def screen_row(request, obj, *, kind, done=None, form=None):
    """The row partial, as the htmx answer of a screening."""
    return render(
        request,
        "households/_screen_row.html",
        {"obj": obj, "kind": kind, "done": done, "form": form},
    )


@permission_required("household.screen")
def household_screening(request):
    groups, group = screening_group(request)
    qs = unscreened_households(request.user, group) if group else Household.objects.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log(request, None, "view", _("rà soát hộ gia đình"), shown=page, model=Household)
    return render(
        request,
        "households/screening.html",
        {
            **screening_tabs(request, group, "households"),
            "kind": "household",
            "groups": groups,
            "group": group,
            "page": page,
            "query": f"group={group.code}" if group else "",
            "year": timezone.localdate().year,
            "breadcrumbs": [(_("Rà soát"), None)],
        },
    )


def screen_post(request, obj, *, kind, service, back):
    """Record one screening from a row's form. htmx gets the row back (with the error and
    what was typed, when the rule refuses it); a plain post a message and the list."""
    form = ScreenForm(request.POST)
    done = None
    if form.is_valid():
        try:
            done = service(by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.messages)
    if request.htmx:
        return screen_row(request, obj, kind=kind, done=done, form=form)
    if done:
        messages.success(request, _("Đã ghi kết quả rà soát."))
    else:
        errors = [str(e) for e in form.non_field_errors()] or [_("Kết quả rà soát không hợp lệ.")]
        messages.error(request, " ".join(errors))
    return redirect(back)


@permission_required("household.screen")
@require_POST
def household_screen_view(request, pk):
    household = get_object_or_404(
        Household.objects.for_user(request.user).select_related("group"), pk=pk
    )
    return screen_post(
        request,
        household,
        kind="household",
        service=lambda **kw: household_screen(household=household, **kw),
        back=reverse("households:screening") + f"?group={household.group.code}",
    )
