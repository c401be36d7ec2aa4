"""Referrals, supports, follow-ups, plan actions and the task list."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.forms import add_service_errors
from dongnguyen.paging import choice_labels, row_url
from dongnguyen.permissions import may, permission_required
from dongnguyen.roles import agency_id_of
from dongnguyen.services import access_log
from dongnguyen.text import account_name, as_id
from dongnguyen.workdays import all_holidays

from .. import services
from ..forms_cases import (
    FollowUpForm,
    ReferralForm,
    SupportForm,
)
from ..models import (
    Case,
    CasePlanAction,
    Child,
    IntakeReport,
    Referral,
    deadline_cutoffs,
    deadline_state_of,
    plan_deadline_for,
)
from .cases import _case_for, _form_page


@permission_required("case.refer")
@require_POST
def referral_create(request, pk):
    case = _case_for(request, pk)
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            services.referral_create(
                child=case.child,
                case=case,
                agency=form.cleaned_data["agency"],
                needs=form.cleaned_data["needs"],
                by=request.user,
            )
        except ServiceError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("Đã chuyển gửi."))
    else:
        messages.error(request, _("Hãy chọn cơ quan nhận chuyển gửi."))
    return redirect("children:case_detail", pk)


def _referrals_for(user):
    qs = Referral.objects.for_user(user).select_related("agency")
    if not may(user, "case.work"):
        qs = qs.filter(agency_id=agency_id_of(user))
    return qs


@permission_required("referral.close")
@require_POST
def referral_close(request, pk):
    referral = get_object_or_404(_referrals_for(request.user), pk=pk)
    services.referral_close(referral=referral, by=request.user)
    messages.success(request, _("Đã đánh dấu hoàn thành việc chuyển gửi."))
    return redirect(_next(request) or reverse("children:tasks"))


def _next(request):
    target = request.POST.get("next") or request.GET.get("next")
    # Only a path on this site: anything else (a bare word) would be taken by redirect() for
    # a URL name and fail with a 500.
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, {request.get_host()})
    ):
        return target
    return None


@permission_required("support.record")
def support_create(request):
    case = referral = None
    if request.GET.get("referral"):
        referral = get_object_or_404(
            _referrals_for(request.user).select_related("child", "case"),
            pk=as_id(request.GET["referral"]),
        )
        child, case = referral.child, referral.case
    elif request.GET.get("case") and may(request.user, "case.support"):
        case = _case_for(request, as_id(request.GET["case"]))
        child = case.child
    else:
        raise Http404
    form = SupportForm(
        request.POST or None,
        user=request.user,
        initial={"date": timezone.localdate(), "provider": agency_id_of(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.support_record(child=child, case=case, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã ghi nhận hỗ trợ cho trẻ %(name)s.") % {"name": child.full_name}
            )
            if case is not None and may(request.user, "case.support"):
                return redirect("children:case_detail", case.pk)
            return redirect("children:tasks")
    access_log(request, child, "view", _("ghi nhận hỗ trợ"))
    return render(
        request,
        "children/case_support_form.html",
        {
            "form": form,
            "child": child,
            "referral": referral,
            "case": case,
            "breadcrumbs": [
                (_("Việc cần làm"), reverse("children:tasks")),
                (_("Ghi nhận hỗ trợ"), None),
            ],
        },
    )


@permission_required("case.follow_up")
def followup_create(request, pk):
    case = _case_for(request, pk)
    form = FollowUpForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(
                child=case.child, case=case, by=request.user, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("Đã ghi nhận lần theo dõi."))
            return redirect("children:case_detail", pk)
    return _form_page(request, case, _("Theo dõi, đánh giá"), [form])


@permission_required("case.action_done")
@require_POST
def plan_action_done(request, pk):
    qs = CasePlanAction.objects.filter(case__in=Case.objects.for_user(request.user))
    if not may(request.user, "case.work"):
        qs = qs.filter(agency_id=agency_id_of(request.user))
    action = get_object_or_404(qs.select_related("case"), pk=pk)
    services.plan_action_done(action=action, by=request.user)
    messages.success(request, _("Đã đánh dấu hoàn thành: %(a)s") % {"a": action.action})
    return redirect(_next(request) or reverse("children:case_detail", args=[action.case_id]))


# What a step row of the task list reads: the case's step and receipt (its deadline), the
# child's name and group code, the assignee's name (dongnguyen.text.account_name). The rows of
# the task list's three lists are read as tuples and handed to the template as dicts, as the
# lists' rows are (dongnguyen.paging.page_of_values): model instances with their joined
# child, household, group and user were built for every row of up to 200.
STEP_COLUMNS = (
    "pk",
    "child_id",
    "status",
    "received_at",
    "child__full_name",
    "child__household__group__code",
    "assigned_to__last_name",
    "assigned_to__first_name",
    "assigned_to__username",
)


# What a due plan action of the task list reads (its case's link, child's name, agency, what
# and when).
PLAN_ACTION_COLUMNS = (
    "case_id",
    "case__child_id",
    "case__child__full_name",
    "action",
    "agency__name",
    "due_on",
)

# What an intake row of the task list reads (its link, code, time, channel, text, and its
# child for the access log).
INTAKE_COLUMNS = ("pk", "receipt_code", "received_at", "channel", "description", "child_id")


@permission_required("tasks.view")
def tasks(request):
    now = timezone.now()
    today = timezone.localtime(now).date()
    context = {"breadcrumbs": [(_("Việc cần làm"), None)], "today": today}
    if may(request.user, "case.deadlines"):
        # The holidays (from the cache) for the cutoffs and the steps' due dates.
        holidays = all_holidays()
        cutoffs = deadline_cutoffs(now, holidays)
        cases = Case.objects.for_user(request.user)
        if may(request.user, "case.work"):
            cases = cases.filter(Q(assigned_to=request.user) | Q(assigned_to__isnull=True))
            steps = cases.in_deadline_state(cutoffs, ("overdue", "soon"))
        else:
            steps = cases.filter(status=Case.Status.PLAN_DRAFTED)
        step_rows = steps.order_by("received_at").values_list(*STEP_COLUMNS)[:200]
        # The rows show the report's own columns only (no child, no group to join), and
        # never who reported it: the reporter's name and phone are not read.
        intake_rows = (
            IntakeReport.objects.for_user(request.user)
            .filter(status__in=["new", "verifying"])
            .order_by("received_at")
            .values_list(*INTAKE_COLUMNS)[:100]
        )
        action_rows = (
            CasePlanAction.objects.filter(
                case__in=cases.open(), done_on__isnull=True, due_on__lte=today + timedelta(days=3)
            )
            .order_by("due_on")
            .values_list(*PLAN_ACTION_COLUMNS)[:100]
        )
        case_url = row_url("children:case_detail")
        intake_url = row_url("children:intake_detail")
        channel = choice_labels(IntakeReport, "channel")
        late_before = now - timedelta(hours=12)
        soon_before = now - timedelta(hours=8)
        # The badge of each state rendered once for the page, not included at every row.
        badge = {
            state: render_to_string("children/_deadline.html", {"state": state})
            for state in ("overdue", "soon", "")
        }
        steps = []
        for (
            pk,
            child_id,
            status,
            received_at,
            child_name,
            group,
            last,
            first,
            username,
        ) in step_rows:
            # The state from the fetched columns: the same rule as the annotation, without
            # its CASE expression compiled on every request.
            state = deadline_state_of(status, received_at, cutoffs)
            received = status == Case.Status.RECEIVED
            steps.append(
                {
                    "pk": pk,
                    "url": case_url(pk),
                    "child_id": child_id,
                    "child_name": child_name,
                    "group_code": group,
                    "status": status,
                    "received": received,
                    "due": received_at + timedelta(hours=12)
                    if received
                    else plan_deadline_for(received_at, holidays),
                    "overdue": state == "overdue",
                    "badge": badge[state],
                    "assigned_name": account_name(last, first, username) if username else "",
                }
            )
        late_intakes = []
        for pk, code, received_at, via, description, child_id in intake_rows:
            late = received_at < late_before
            late_intakes.append(
                {
                    "url": intake_url(pk),
                    "receipt_code": code,
                    "received_at": received_at,
                    "channel_label": channel.get(via, via),
                    "description": description,
                    "child_id": child_id,
                    "late": late,
                    "badge": badge["overdue"]
                    if late
                    else badge["soon"]
                    if received_at < soon_before
                    else "",
                }
            )
        overdue_actions = [
            {
                "url": case_url(case_id),
                "child_id": child_id,
                "child_name": child_name,
                "action": action,
                "agency_name": agency,
                "due_on": due_on,
                "badge": badge["overdue" if due_on < today else "soon"],
            }
            for case_id, child_id, child_name, action, agency, due_on in action_rows
        ]
        shown = [
            *(c["child_id"] for c in steps),
            *(i["child_id"] for i in late_intakes if i["child_id"]),
            *(a["child_id"] for a in overdue_actions),
        ]
        context.update(
            steps=steps,
            intakes=late_intakes,
            plan_actions=overdue_actions,
        )
    else:
        referrals = list(
            Referral.objects.for_user(request.user)
            .filter(agency_id=agency_id_of(request.user), closed=False)
            .select_related("child__household__group", "case")
            .annotate(
                n_supports=Count(
                    "child__supports",
                    filter=Q(child__supports__provider_id=agency_id_of(request.user)),
                )
            )
            .order_by("referred_on")
        )
        actions = list(
            CasePlanAction.objects.filter(
                agency_id=agency_id_of(request.user),
                done_on__isnull=True,
                case__in=Case.objects.for_user(request.user).open(),
            )
            .select_related("case__child")
            .order_by("due_on")
        )
        context.update(referrals=referrals, agency_actions=actions)
        shown = [*(r.child_id for r in referrals), *(a.case.child_id for a in actions)]
        if may(request.user, "health.record"):
            # A child found in unlawful work gets a health check (issue 14).
            due = list(
                services.children_needing_health_check(request.user)
                .select_related("household__group")
                .order_by("search_name")[:200]
            )
            context["health_checks_due"] = due
            shown += [c.pk for c in due]
    # The children named on the page, each once.
    shown = list(dict.fromkeys(shown))
    access_log(request, None, "view", _("việc cần làm"), shown=shown, model=Child)
    return render(request, "children/tasks.html", context)
