"""Intake, cases, tasks, attachments and the case sheet. Short function views: load in the
user's scope, validate a form, call a service, redirect or render."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.forms import add_service_errors
from dongnguyen.models import Holiday
from dongnguyen.pdf import render_pdf
from dongnguyen.roles import Role, agency_id_of, role_of
from dongnguyen.services import access_log
from dongnguyen.text import as_id, normalize_name, query_text
from households.history import history_rows

from . import services
from .catalogue import load_catalogue
from .forms_cases import (
    DEFAULT_ASSESSMENT_ITEMS,
    AssessForm,
    AssessItemFormSet,
    AttachmentForm,
    CloseForm,
    FollowUpForm,
    IntakeEditForm,
    IntakeFilterForm,
    IntakeForm,
    PlanActionFormSet,
    PlanForm,
    PublicTipForm,
    ReferralForm,
    SupportForm,
    TriageForm,
    VersionForm,
)
from .models import (
    Attachment,
    Case,
    CasePlanAction,
    Child,
    IntakeReport,
    Referral,
    deadline_cutoffs,
)
from .models_cases import plan_deadline_for

# The police hand what they find to the child-protection officer; case files are not theirs.
CASE_ROLES = (Role.LEADERSHIP, Role.CASE_OFFICER, Role.HEALTH, Role.MASS_ORG)
# Mass organisations see a referred child's name, group and needs: not the whole case file.
FULL_CASE_ROLES = (Role.LEADERSHIP, Role.CASE_OFFICER, Role.HEALTH)


def _need(request, *roles) -> str:
    role = role_of(request.user)
    if role not in roles:
        raise PermissionDenied
    return role


def _url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _intake_crumbs(extra=None):
    return [(_("Phản ánh, tố giác"), reverse("children:intake_list")), *(extra or [])]


def _case_crumbs(extra=None):
    return [(_("Hồ sơ vụ việc"), reverse("children:case_list")), *(extra or [])]


# --- Intake -------------------------------------------------------------------------------


@login_required
def intake_list(request):
    _need(request, *services.INTAKE_ROLES)
    qs = IntakeReport.objects.for_user(request.user).select_related("child", "group")
    filters = IntakeFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["channel"]:
            qs = qs.filter(channel=data["channel"])
        if data["date_from"]:
            qs = qs.filter(received_at__date__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(received_at__date__lte=data["date_to"])
    # The home page's "over 12 hours without assessment" tile.
    late = request.GET.get("late") == "1"
    if late:
        qs = qs.filter(received_at__lt=timezone.now() - timedelta(hours=12))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "children/intake_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "late_before": timezone.now() - timedelta(hours=12),
            "late": late,
            "can_create": True,
            "breadcrumbs": [(_("Phản ánh, tố giác"), None)],
        },
    )


@login_required
def intake_create(request):
    _need(request, *services.INTAKE_ROLES)
    form = IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intake = services.intake_create(
                by=request.user,
                channel=data.get("channel", ""),
                description=data["description"],
                received_at=data["received_at"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                location=data["location"],
                group=data["group"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã ghi nhận phản ánh %(code)s.") % {"code": intake.receipt_code}
            )
            return redirect("children:intake_detail", intake.pk)
    return render(
        request,
        "children/intake_form.html",
        {"form": form, "breadcrumbs": _intake_crumbs([(_("Ghi nhận phản ánh"), None)])},
    )


@login_required
def intake_detail(request, pk):
    _need(request, *services.INTAKE_ROLES, Role.HEALTH, Role.MASS_ORG)
    intake = get_object_or_404(
        IntakeReport.objects.for_user(request.user).select_related(
            "child__household__group", "group", "received_by", "duplicate_of", "business"
        ),
        pk=pk,
    )
    access_log(request, intake, "view")
    role = role_of(request.user)
    can_triage = role in services.TRIAGE_ROLES and intake.status in ("new", "verifying")
    show_reporter = (
        role in (Role.LEADERSHIP, Role.CASE_OFFICER, Role.POLICE)
        or intake.received_by_id == request.user.pk
    )
    child_q = request.GET.get("child_q", "").strip()
    matches = (
        Child.objects.for_user(request.user).search(child_q).select_related("household__group")[:20]
        if can_triage and child_q
        else []
    )
    return render(
        request,
        "children/intake_detail.html",
        {
            "intake": intake,
            # The reporter's identity stays with the officers who act on the report.
            "show_reporter": show_reporter,
            "can_edit": role in services.INTAKE_EDIT_ROLES,
            # Earlier versions name the reporter: only for those who may see them.
            "history": history_rows(intake.history.all()) if show_reporter else None,
            "can_triage": can_triage,
            "child_q": child_q,
            "matches": matches,
            "cases": Case.objects.for_user(request.user).filter(intake=intake),
            "triage_form": TriageForm(),
            "late": intake.status == "new"
            and intake.received_at < timezone.now() - timedelta(hours=12),
            "breadcrumbs": _intake_crumbs([(intake.receipt_code, None)]),
        },
    )


@login_required
def intake_edit(request, pk):
    _need(request, *services.INTAKE_EDIT_ROLES)
    intake = get_object_or_404(IntakeReport.objects.for_user(request.user), pk=pk)
    # The form works on a copy so a refused edit never touches the row shown in the crumbs.
    form = IntakeEditForm(request.POST or None, instance=IntakeReport.objects.get(pk=intake.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_update(
                intake=intake,
                by=request.user,
                **{name: form.cleaned_data[name] for name in services.INTAKE_EDIT_FIELDS},
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("children:intake_detail", intake.pk)
    return render(
        request,
        "children/intake_edit.html",
        {
            "form": form,
            "intake": intake,
            "breadcrumbs": _intake_crumbs(
                [
                    (intake.receipt_code, reverse("children:intake_detail", args=[intake.pk])),
                    (_("Sửa"), None),
                ]
            ),
        },
    )


@login_required
@require_POST
def intake_triage(request, pk):
    _need(request, *services.TRIAGE_ROLES)
    intake = get_object_or_404(IntakeReport.objects.for_user(request.user), pk=pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("children:intake_detail", pk)
    data = form.cleaned_data
    child = None
    if data["child"]:
        child = get_object_or_404(Child.objects.for_user(request.user), pk=data["child"])
    try:
        if data["action"] == "link":
            if child is None:
                raise ServiceError(_("Hãy tìm và chọn trẻ em."))
            services.intake_link_child(intake=intake, by=request.user, child=child)
            messages.success(
                request, _("Đã gắn phản ánh với trẻ %(name)s.") % {"name": child.full_name}
            )
        elif data["action"] == "open_case":
            case = services.intake_open_case(
                intake=intake, by=request.user, child=child, emergency=data["emergency"]
            )
            messages.success(request, _("Đã mở hồ sơ vụ việc %(case)s.") % {"case": case})
            return redirect("children:case_detail", case.pk)
        else:
            duplicate_of = None
            if data["action"] == "duplicate" and data["duplicate_code"]:
                duplicate_of = (
                    IntakeReport.objects.for_user(request.user)
                    .filter(receipt_code=data["duplicate_code"].strip().upper())
                    .first()
                )
                if duplicate_of is None:
                    raise ServiceError(
                        _("Không tìm thấy phản ánh mã %(code)s.") % {"code": data["duplicate_code"]}
                    )
            services.intake_dismiss(
                intake=intake,
                by=request.user,
                status=data["action"],
                note=data["note"],
                duplicate_of=duplicate_of,
            )
            messages.success(request, _("Đã cập nhật kết quả xử lý phản ánh."))
    except ServiceError as exc:
        messages.error(request, exc.text)
    return redirect("children:intake_detail", pk)


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def public_tip(request):
    """The citizen's report form: no login, anonymous allowed; only a receipt code comes back."""
    if request.method == "POST":
        key = f"public_tip:{_client_ip(request)}:{timezone.now():%Y%m%d%H}"
        cache.add(key, 0, 3600)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
        if count > settings.PUBLIC_TIP_RATE_PER_HOUR:
            return render(request, "children/public_tip_limited.html", status=429)
        form = PublicTipForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            intake = services.public_tip_submit(
                description=data["description"],
                location=data["location"],
                group=data["group"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
            )
            return render(request, "children/public_tip_done.html", {"code": intake.receipt_code})
        form.data = form.data.copy()
        # A fresh stamp: the corrected form is judged from now, not from the first try.
        form.data["started"] = PublicTipForm.stamp()
    else:
        form = PublicTipForm(initial={"started": PublicTipForm.stamp()})
    return render(request, "children/public_tip.html", {"form": form})


# --- Cases --------------------------------------------------------------------------------


@login_required
def case_list(request):
    _need(request, *CASE_ROLES)
    cutoffs = deadline_cutoffs()
    qs = (
        Case.objects.for_user(request.user)
        .with_deadline_state(cutoffs)
        .select_related("child__household__group", "assigned_to")
    )
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
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
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


def _case_for(request, pk, *, full=True):
    qs = Case.objects.for_user(request.user).select_related(
        "child__household__group", "intake", "assigned_to"
    )
    case = get_object_or_404(qs, pk=pk)
    if full and role_of(request.user) not in FULL_CASE_ROLES:
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


@login_required
def case_detail(request, pk):
    _need(request, *CASE_ROLES)
    case = _case_for(request, pk, full=False)
    role = role_of(request.user)
    access_log(request, case, "view")
    limited = role not in FULL_CASE_ROLES
    referrals = list(case.referrals.select_related("agency").order_by("referred_on"))
    supports = list(case.supports.select_related("provider", "recorded_by").order_by("date"))
    actions = list(case.actions.select_related("agency"))
    if limited:
        mine = agency_id_of(request.user)
        referrals = [r for r in referrals if r.agency_id == mine]
        supports = [s for s in supports if s.provider_id == mine]
        actions = [a for a in actions if a.agency_id == mine]
        events = follow_ups = items = attachments = []
    else:
        events = list(case.events.select_related("by"))
        follow_ups = list(case.follow_ups.select_related("by").order_by("date"))
        items = list(case.assessment_items.all())
        attachments = list(case.attachments.select_related("uploaded_by"))
    holidays = set(Holiday.objects.values_list("date", flat=True))
    is_officer = role == Role.CASE_OFFICER
    evidence = services.withdrawn_evidence(case) if is_officer else None
    return render(
        request,
        "children/case_detail.html",
        {
            "case": case,
            "child": case.child,
            "child_url": _url_or_none("children:detail", case.child_id),
            "limited": limited,
            "items": items,
            "actions": actions,
            "supports": supports,
            "follow_ups": follow_ups,
            "referrals": referrals,
            "attachments": attachments,
            "timeline": [] if limited else _timeline(case, events, supports, follow_ups),
            "assess_due": case.received_at + timedelta(hours=12),
            "plan_due": plan_deadline_for(case.received_at, holidays),
            "is_officer": is_officer,
            "is_leader": role == Role.LEADERSHIP,
            # The roles plan_action_done accepts (others would get a 403 from the button).
            "can_mark_done": role in (Role.CASE_OFFICER, Role.HEALTH, Role.MASS_ORG),
            "withdrawn_ok": evidence is not None,
            "referral_form": ReferralForm(),
            "attachment_form": AttachmentForm(),
            "today": timezone.localdate(),
            "breadcrumbs": _case_crumbs([(str(case), None)]),
        },
    )


@login_required
@require_POST
def case_open_view(request):
    _need(request, *services.CASE_WORKERS)
    child = get_object_or_404(
        Child.objects.for_user(request.user), pk=as_id(request.POST.get("child"))
    )
    case = services.case_open(child=child, by=request.user, assigned_to=request.user)
    messages.success(request, _("Đã mở hồ sơ vụ việc %(case)s.") % {"case": case})
    return redirect("children:case_detail", case.pk)


def _form_page(request, case, title, forms_, template="children/case_form.html", extra=None):
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


@login_required
def case_assess(request, pk):
    _need(request, *services.CASE_WORKERS)
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


@login_required
def case_plan(request, pk):
    _need(request, *services.CASE_WORKERS)
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


@login_required
def case_close(request, pk):
    _need(request, *services.CASE_WORKERS)
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


STEPS = {
    "approve": services.case_plan_approve,
    "start": services.case_start,
    "monitor": services.case_monitor,
    "reopen": services.case_reopen,
}


@login_required
@require_POST
def case_step(request, pk):
    _need(request, Role.CASE_OFFICER, Role.LEADERSHIP)
    case = _case_for(request, pk)
    step = request.POST.get("step")
    form = VersionForm(request.POST)
    if not form.is_valid() or step not in (*STEPS, "assign"):
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("children:case_detail", pk)
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


@login_required
@require_POST
def referral_create(request, pk):
    _need(request, *services.CASE_WORKERS)
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
    if role_of(user) != Role.CASE_OFFICER:
        qs = qs.filter(agency_id=agency_id_of(user))
    return qs


@login_required
@require_POST
def referral_close(request, pk):
    _need(request, Role.CASE_OFFICER, Role.HEALTH, Role.MASS_ORG)
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


@login_required
def support_create(request):
    role = _need(request, Role.CASE_OFFICER, Role.HEALTH, Role.MASS_ORG)
    case = referral = None
    if request.GET.get("referral"):
        referral = get_object_or_404(
            _referrals_for(request.user).select_related("child", "case"),
            pk=as_id(request.GET["referral"]),
        )
        child, case = referral.child, referral.case
    elif request.GET.get("case") and role == Role.CASE_OFFICER:
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
            if case is not None and role == Role.CASE_OFFICER:
                return redirect("children:case_detail", case.pk)
            return redirect("children:tasks")
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


@login_required
def followup_create(request, pk):
    _need(request, *services.CASE_WORKERS)
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


@login_required
@require_POST
def plan_action_done(request, pk):
    role = _need(request, Role.CASE_OFFICER, Role.HEALTH, Role.MASS_ORG)
    qs = CasePlanAction.objects.filter(case__in=Case.objects.for_user(request.user))
    if role != Role.CASE_OFFICER:
        qs = qs.filter(agency_id=agency_id_of(request.user))
    action = get_object_or_404(qs.select_related("case"), pk=pk)
    services.plan_action_done(action=action, by=request.user)
    messages.success(request, _("Đã đánh dấu hoàn thành: %(a)s") % {"a": action.action})
    return redirect(_next(request) or reverse("children:case_detail", args=[action.case_id]))


# --- Tasks --------------------------------------------------------------------------------


@login_required
def tasks(request):
    role = _need(request, Role.CASE_OFFICER, Role.LEADERSHIP, Role.HEALTH, Role.MASS_ORG)
    today = timezone.localdate()
    context = {"breadcrumbs": [(_("Việc cần làm"), None)], "today": today, "role": role}
    if role in (Role.CASE_OFFICER, Role.LEADERSHIP):
        cutoffs = deadline_cutoffs()
        cases = Case.objects.for_user(request.user).with_deadline_state(cutoffs)
        if role == Role.CASE_OFFICER:
            cases = cases.filter(Q(assigned_to=request.user) | Q(assigned_to__isnull=True))
            steps = cases.filter(deadline_state__in=["overdue", "soon"])
        else:
            steps = cases.filter(status=Case.Status.PLAN_DRAFTED)
        steps = list(
            steps.select_related("child__household__group", "assigned_to").order_by("received_at")[
                :200
            ]
        )
        holidays = set(
            Holiday.objects.filter(date__gte=today - timedelta(days=60)).values_list(
                "date", flat=True
            )
        )
        for c in steps:
            c.due = (
                c.received_at + timedelta(hours=12)
                if c.status == Case.Status.RECEIVED
                else plan_deadline_for(c.received_at, holidays)
            )
        late_intakes = (
            IntakeReport.objects.for_user(request.user)
            .filter(status__in=["new", "verifying"])
            .select_related("child", "group")
            .order_by("received_at")[:100]
        )
        overdue_actions = (
            CasePlanAction.objects.filter(
                case__in=cases.open(), done_on__isnull=True, due_on__lte=today + timedelta(days=3)
            )
            .select_related("case__child", "agency")
            .order_by("due_on")[:100]
        )
        context.update(
            steps=steps,
            intakes=late_intakes,
            plan_actions=overdue_actions,
            late_before=timezone.now() - timedelta(hours=12),
            soon_before=timezone.now() - timedelta(hours=8),
        )
    else:
        referrals = (
            Referral.objects.filter(agency_id=agency_id_of(request.user), closed=False)
            .select_related("child__household__group", "case")
            .annotate(
                n_supports=Count(
                    "child__supports",
                    filter=Q(child__supports__provider_id=agency_id_of(request.user)),
                )
            )
            .order_by("referred_on")
        )
        actions = (
            CasePlanAction.objects.filter(
                agency_id=agency_id_of(request.user),
                done_on__isnull=True,
                case__in=Case.objects.for_user(request.user).open(),
            )
            .select_related("case__child")
            .order_by("due_on")
        )
        context.update(referrals=referrals, agency_actions=actions)
    return render(request, "children/tasks.html", context)


# --- Attachments --------------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request):
    _need(request, Role.CASE_OFFICER, Role.COLLABORATOR)
    case = child = None
    if request.POST.get("case"):
        case = get_object_or_404(
            Case.objects.for_user(request.user), pk=as_id(request.POST["case"])
        )
        back = reverse("children:case_detail", args=[case.pk])
    else:
        child = get_object_or_404(
            Child.objects.for_user(request.user), pk=as_id(request.POST.get("child"))
        )
        back = _next(request) or _url_or_none("children:detail", child.pk) or reverse("home")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        services.attachment_add(
            by=request.user,
            uploaded=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            case=case,
            child=child,
        )
    except ServiceError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Đã tải lên tài liệu."))
    return redirect(back)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.for_user(request.user), pk=pk)
    access_log(request, attachment, "download", detail=attachment.original_name)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Case sheet ---------------------------------------------------------------------------


def _with_job_names(records):
    """The meeting reads job names, not the catalogue's codes."""
    records = list(records)
    if records:
        jobs = load_catalogue().jobs
        for record in records:
            job = jobs.get(record.job_code)
            record.job_name = job.name if job else record.job_code
    return records


@login_required
def case_sheet(request, pk):
    _need(request, Role.CASE_OFFICER, Role.LEADERSHIP, Role.HEALTH)
    case = _case_for(request, pk)
    child = case.child
    access_log(request, case, "print", detail=_("Phiếu hồ sơ vụ việc"))
    holidays = set(Holiday.objects.values_list("date", flat=True))
    pdf = render_pdf(
        "children/pdf/case_sheet.html",
        {
            "case": case,
            "child": child,
            "age": child.age,
            "caregivers": child.household.caregivers.all(),
            "items": case.assessment_items.all(),
            "actions": case.actions.select_related("agency"),
            "supports": case.supports.select_related("provider").order_by("date"),
            "follow_ups": case.follow_ups.order_by("date"),
            "referrals": case.referrals.select_related("agency"),
            "events": case.events.select_related("by"),
            "work_records": _with_job_names(child.work_records.select_related("business")[:5]),
            "plan_due": plan_deadline_for(case.received_at, holidays),
            "doc_date": timezone.localdate(),
            "printed_by": request.user,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ho-so-{case.pk:05d}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
