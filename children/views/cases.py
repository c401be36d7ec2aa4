"""Case pages: list, detail with its timeline, assessment, plan, closing and the workflow steps."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.paging import choice_labels, page_of_values, panels, row_url
from dongnguyen.permissions import can_move, may, permission_required
from dongnguyen.roles import agency_id_of
from dongnguyen.services import access_log
from dongnguyen.text import account_name, as_id, normalize_name, query_text
from dongnguyen.workdays import all_holidays

from .. import services
from ..forms_cases import (
    DEFAULT_ASSESSMENT_ITEMS,
    AssessForm,
    AssessItemFormSet,
    AttachmentForm,
    CloseForm,
    PlanActionFormSet,
    PlanForm,
    ReferralForm,
    VersionForm,
)
from ..models import (
    Case,
    Child,
    deadline_cutoffs,
    plan_deadline_for,
)


def _case_crumbs(extra=None):
    return [(_("Hồ sơ vụ việc"), reverse("children:case_list")), *(extra or [])]


@permission_required("case.view")
def case_list(request):
    cutoffs = deadline_cutoffs()
    qs = Case.objects.for_user(request.user).with_deadline_state(cutoffs)
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.open()
    deadline = request.GET.get("deadline", "")
    if deadline in ("overdue", "soon"):
        qs = qs.filter(deadline_state=deadline)
    if request.GET.get("mine"):
        qs = qs.filter(assigned_to=request.user)
    q = query_text(request)
    if q:
        qs = qs.filter(child__search_name__contains=normalize_name(q))
    page = page_of_values(qs, _LIST_COLUMNS, 50, request.GET.get("page"))
    page.object_list = rows = _list_rows(page.object_list)
    access_log(
        request,
        None,
        "view",
        _("danh sách hồ sơ vụ việc"),
        shown=[row["pk"] for row in rows],
        model=Case,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "children/case_list.html",
        {
            "page": page,
            "status": status,
            "deadline": deadline,
            "q": q,
            "statuses": Case.Status.choices,
            "query": query.urlencode(),
            "breadcrumbs": [(_("Hồ sơ vụ việc"), None)],
        },
    )


# What a row of the list shows, read as tuples (dongnguyen.paging.page_of_values).
_LIST_COLUMNS = (
    "pk",
    "emergency",
    "child_id",
    "child__full_name",
    "child__household__group__code",
    "received_at",
    "status",
    "closure_outcome",
    "risk_level",
    "assigned_to__last_name",
    "assigned_to__first_name",
    "assigned_to__username",
    "deadline_state",
)


def _list_rows(rows) -> list[dict]:
    """Each row's link, labels and officer's name, computed once per page rather than per row
    in the template. Plain dicts: the template reads a dict's key at once."""
    url = row_url("children:case_detail")
    status = choice_labels(Case, "status")
    outcome = choice_labels(Case, "closure_outcome")
    risk = choice_labels(Case, "risk_level")
    return [
        {
            "pk": pk,
            "url": url(pk),
            "emergency": emergency,
            "child_id": child_id,
            "child_name": child_name,
            "group_code": group_code,
            "received_at": received_at,
            "status_label": status.get(state, state),
            "closure_outcome": closure,
            "outcome_label": outcome.get(closure, closure),
            "risk_label": risk.get(level, level),
            "assigned_name": account_name(last, first, username) if username else "",
            "deadline_state": deadline,
        }
        for (
            pk,
            emergency,
            child_id,
            child_name,
            group_code,
            received_at,
            state,
            closure,
            level,
            last,
            first,
            username,
            deadline,
        ) in rows
    ]


def _case_for(request, pk, *, full=True):
    qs = Case.objects.for_user(request.user).select_related(
        "child__household__group", "intake", "assigned_to"
    )
    case = get_object_or_404(qs, pk=pk)
    if full and not may(request.user, "case.view_full"):
        raise Http404
    return case


def _timeline(case, events, supports, follow_ups):
    rows = [
        {
            "at": e.at,
            "kind": "event",
            "text": (
                _("%(from)s → %(to)s")
                % {
                    "from": Case.Status(e.from_status).label if e.from_status else "",
                    "to": Case.Status(e.to_status).label,
                }
                if e.from_status != e.to_status
                else ""
            ),
            "note": e.note,
            "by": e.by,
        }
        for e in events
    ]
    tz = timezone.get_current_timezone()
    for s in supports:
        rows.append(
            {
                "at": timezone.make_aware(datetime.combine(s.date, datetime.min.time()), tz),
                "kind": "support",
                "text": f"{s.get_kind_display()} ({s.provider.name})",
                "note": s.notes,
                "by": s.recorded_by,
                "date_only": True,
            }
        )
    for f in follow_ups:
        rows.append(
            {
                "at": timezone.make_aware(datetime.combine(f.date, datetime.min.time()), tz),
                "kind": "followup",
                "text": _("Còn lao động trái quy định")
                if f.working_unlawfully
                else _("Không còn lao động trái quy định"),
                "note": f.notes,
                "by": f.by,
                "date_only": True,
            }
        )
    return sorted(rows, key=lambda r: r["at"])


# The panels of a case's page, each read only when the case has rows in it.
_CASE_PANELS = (
    "referrals",
    "supports",
    "actions",
    "events",
    "follow_ups",
    "assessment_items",
    "attachments",
)


@permission_required("case.view")
def case_detail(request, pk):
    case = _case_for(request, pk, full=False)
    access_log(request, case, "view")
    limited = not may(request.user, "case.view_full")
    rows = panels(case, *_CASE_PANELS)  # a panel the case has no rows in costs no query
    referrals = list(
        rows("referrals", case.referrals.select_related("agency").order_by("referred_on"))
    )
    supports = list(
        rows("supports", case.supports.select_related("provider", "recorded_by").order_by("date"))
    )
    actions = list(rows("actions", case.actions.select_related("agency")))
    if limited:
        mine = agency_id_of(request.user)
        referrals = [r for r in referrals if r.agency_id == mine]
        supports = [s for s in supports if s.provider_id == mine]
        actions = [a for a in actions if a.agency_id == mine]
        events = follow_ups = items = attachments = []
    else:
        events = list(rows("events", case.events.select_related("by")))
        follow_ups = list(rows("follow_ups", case.follow_ups.select_related("by").order_by("date")))
        items = list(rows("assessment_items", case.assessment_items.all()))
        attachments = list(rows("attachments", case.attachments.select_related("uploaded_by")))
    holidays = all_holidays()
    evidence = services.withdrawn_evidence(case) if can_move(request.user, case, "close") else None
    return render(
        request,
        "children/case_detail.html",
        {
            "case": case,
            "child": case.child,
            "child_url": reverse("children:detail", args=[case.child_id]),
            "limited": limited,
            "items": items,
            "actions": actions,
            "supports": supports,
            "follow_ups": follow_ups,
            "referrals": referrals,
            "attachments": attachments,
            "timeline": [] if limited else _timeline(case, events, supports, follow_ups),
            "sent_back": _sent_back(case, events),
            "assess_due": case.received_at + timedelta(hours=12),
            "plan_due": plan_deadline_for(case.received_at, holidays),
            "withdrawn_ok": evidence is not None,
            "referral_form": ReferralForm(),
            "attachment_form": AttachmentForm.for_page(request),
            "today": timezone.localdate(),
            "breadcrumbs": _case_crumbs([(str(case), None)]),
        },
    )


@permission_required("case.open")
@require_POST
def case_open_view(request):
    child = get_object_or_404(
        Child.objects.for_user(request.user), pk=as_id(request.POST.get("child"))
    )
    case = services.case_open(child=child, by=request.user, assigned_to=request.user)
    messages.success(request, _("Đã mở hồ sơ vụ việc %(case)s.") % {"case": case})
    return redirect("children:case_detail", case.pk)


def _form_page(request, case, title, forms_, template="children/case_form.html", extra=None):
    # The form pages of a case name the child and show the case's details.
    access_log(request, case, "view", title)
    return render(
        request,
        template,
        {
            "case": case,
            "title": title,
            "forms": forms_,
            "breadcrumbs": _case_crumbs(
                [(str(case), reverse("children:case_detail", args=[case.pk])), (title, None)]
            ),
            **(extra or {}),
        },
    )


@permission_required("case.assess")
def case_assess(request, pk):
    case = _case_for(request, pk)
    if request.method == "POST":
        form = AssessForm(request.POST)
        items = AssessItemFormSet(request.POST, prefix="items")
        if form.is_valid() and items.is_valid():
            try:
                services.case_assess(
                    case=case,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    risk_level=form.cleaned_data["risk_level"],
                    emergency=form.cleaned_data["emergency"],
                    notes=form.cleaned_data["note"],
                    items=[f.cleaned_data for f in items if f.cleaned_data],
                )
            except ServiceError as exc:
                form.add_error(None, exc.text)
            else:
                messages.success(request, _("Đã ghi nhận đánh giá ban đầu."))
                return redirect("children:case_detail", pk)
    else:
        form = AssessForm(initial={"version": case.version, "emergency": case.emergency})
        items = AssessItemFormSet(
            prefix="items", initial=[{"item": str(i)} for i in DEFAULT_ASSESSMENT_ITEMS]
        )
    return _form_page(
        request,
        case,
        _("Đánh giá ban đầu"),
        [form],
        "children/case_assess.html",
        {"items": items},
    )


@permission_required("case.plan")
def case_plan(request, pk):
    case = _case_for(request, pk)
    if request.method == "POST":
        form = PlanForm(request.POST)
        actions = PlanActionFormSet(request.POST, prefix="actions")
        if form.is_valid() and actions.is_valid():
            try:
                services.case_plan_draft(
                    case=case,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    goal=form.cleaned_data["goal"],
                    actions=[f.cleaned_data for f in actions if f.cleaned_data],
                )
            except ServiceError as exc:
                form.add_error(None, exc.text)
            else:
                messages.success(
                    request, _("Đã lưu kế hoạch hỗ trợ, can thiệp; chờ lãnh đạo phê duyệt.")
                )
                return redirect("children:case_detail", pk)
    else:
        form = PlanForm(initial={"version": case.version, "goal": case.plan_goal})
        actions = PlanActionFormSet(
            prefix="actions",
            initial=[
                {"action": a.action, "agency": a.agency_id, "due_on": a.due_on}
                for a in case.actions.filter(done_on__isnull=True)
            ],
        )
    return _form_page(
        request,
        case,
        _("Kế hoạch hỗ trợ, can thiệp"),
        [form],
        "children/case_plan.html",
        {"actions": actions, "done_actions": case.actions.filter(done_on__isnull=False)},
    )


@permission_required("case.close")
def case_close(request, pk):
    case = _case_for(request, pk)
    form = CloseForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                case=case,
                by=request.user,
                version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("Đã kết thúc hồ sơ."))
            return redirect("children:case_detail", pk)
    return _form_page(request, case, _("Kết thúc hồ sơ"), [form])


def _sent_back(case, events):
    """The leader's note while a plan they sent back waits for the officer's revision."""
    last = events[-1] if events else None
    if (
        case.status == case.Status.ASSESSED
        and last is not None
        and (last.from_status, last.to_status) == (case.Status.PLAN_DRAFTED, case.Status.ASSESSED)
    ):
        return last
    return None


STEPS = {
    "approve": services.case_plan_approve,
    "send_back": services.case_plan_send_back,
    "start": services.case_start,
    "monitor": services.case_monitor,
    "reopen": services.case_reopen,
}


@permission_required("case.step")
@require_POST
def case_step(request, pk):
    case = _case_for(request, pk)
    step = request.POST.get("step")
    form = VersionForm(request.POST)
    if not form.is_valid() or step not in (*STEPS, "assign"):
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("children:case_detail", pk)
    if not may(request.user, f"case.{step}"):
        raise PermissionDenied  # one form posts several steps, each with its own roles
    version, note = form.cleaned_data["version"], form.cleaned_data["note"]
    try:
        if step == "assign":
            services.case_assign(
                case=case, by=request.user, version=version, assigned_to=request.user
            )
        else:
            STEPS[step](case=case, by=request.user, version=version, note=note)
    except ServiceError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Đã cập nhật hồ sơ."))
    return redirect("children:case_detail", pk)
