"""Pages of tips and intake reports, and the public tip form."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.forms import add_service_errors
from dongnguyen.limits import address_key, client_ip, over_limit
from dongnguyen.models import Ward
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log
from dongnguyen.text import query_text
from households.history import history_rows

from .. import services
from ..forms_cases import (
    IntakeEditForm,
    IntakeFilterForm,
    IntakeForm,
    PublicStatusForm,
    PublicTipForm,
    TriageForm,
)
from ..models import (
    Case,
    Child,
    IntakeReport,
)


def _intake_crumbs(extra=None):
    return [(_("Phản ánh, tố giác"), reverse("children:intake_list")), *(extra or [])]


@permission_required("intake.record")
def intake_list(request):
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
        qs = qs.late()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    access_log(request, None, "view", _("danh sách phản ánh"), shown=page, model=IntakeReport)
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


@permission_required("intake.record")
def intake_create(request):
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
                child=data.get("child"),
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


@permission_required("intake.view")
def intake_detail(request, pk):
    intake = get_object_or_404(
        IntakeReport.objects.for_user(request.user).select_related(
            "child__household__group", "group", "received_by", "duplicate_of", "business"
        ),
        pk=pk,
    )
    access_log(request, intake, "view")
    can_triage = may(request.user, "intake.triage") and intake.status in ("new", "verifying")
    show_reporter = may(request.user, "intake.reporter") or intake.received_by_id == request.user.pk
    child_q = query_text(request, "child_q")
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
            "can_edit": may(request.user, "intake.edit"),
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


@permission_required("intake.edit")
def intake_edit(request, pk):
    intake = get_object_or_404(IntakeReport.objects.for_user(request.user), pk=pk)
    access_log(request, intake, "view", _("trang sửa"))
    # The form works on a copy so a refused edit never touches the row shown in the crumbs.
    form = IntakeEditForm(
        request.POST or None, instance=IntakeReport.objects.get(pk=intake.pk), record=intake
    )
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


@permission_required("intake.triage")
@require_POST
def intake_triage(request, pk):
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


def _tip_limited(request) -> str | None:
    """None if this post may go on, else why not ("address" or "ward").

    The address is counted first: posts it refuses never reach the ward-wide count, so one
    address flooding the form cannot close it for everyone else."""
    address = address_key(client_ip(request))
    if over_limit(request, "public_tip", address, f"{settings.PUBLIC_TIP_RATE_PER_HOUR}/h"):
        return "address"
    if over_limit(request, "public_tip_all", "all", f"{settings.PUBLIC_TIP_GLOBAL_PER_HOUR}/h"):
        return "ward"
    return None


def public_tip(request):
    """The citizen's report form: no login, anonymous allowed; only a receipt code comes back.

    The ward comes first: from the link (?phuong=CODE, as each ward publishes it) or a ward
    step; the groups offered and the tip's ward are that ward's (the deployment's only ward
    needs no step)."""
    if request.method == "POST":
        limited = _tip_limited(request)
        if limited:
            return render(request, "children/public_tip_limited.html", {"why": limited}, status=429)
        form = PublicTipForm(request.POST)
        if form.is_valid() and form.claim_stamp():
            data = form.cleaned_data
            try:
                intake = services.public_tip_submit(
                    description=data["description"],
                    location=data["location"],
                    group=data["group"],
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"],
                    ward=data["ward"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                return render(
                    request, "children/public_tip_done.html", {"code": intake.receipt_code}
                )
        form.data = form.data.copy()
        # A fresh stamp: the corrected form is judged from now, not from the first try.
        form.data["started"] = PublicTipForm.stamp()
        asked = None
    else:
        asked = request.GET.get("phuong")
        ward = PublicTipForm.ward_from_query(asked)
        form = PublicTipForm(initial={"started": PublicTipForm.stamp()}, ward=ward)
    context = {
        "form": form,
        "ward": form.chosen_ward,
        # No ward yet (several wards, no link naming one): the page asks for the ward first.
        "ward_step": form.chosen_ward is None and not form.is_bound,
        "unknown_ward": bool(asked) and form.chosen_ward is None,
        "wards": Ward.objects.active().only("code", "name"),
    }
    return render(request, "children/public_tip.html", context)


PUBLIC_STATUS_LABELS = {
    "received": gettext_lazy("Đã tiếp nhận"),
    "verifying": gettext_lazy("Đang xác minh"),
    "handled": gettext_lazy("Đã xử lý"),
}


def public_tip_status(request):
    """A citizen looks up their tip by receipt code: received, being verified or handled.

    Nothing else is shown (not the report, the child, the case or the officer), and the answer
    for a wrong code is the same whatever the code. Look-ups are counted per address, so codes
    cannot be guessed in bulk. POST keeps codes out of server logs and browser history."""
    form = PublicStatusForm(request.POST or None)
    status = None
    looked_up = False
    if request.method == "POST":
        address = address_key(client_ip(request))
        rate = f"{settings.PUBLIC_STATUS_RATE_PER_HOUR}/h"
        if over_limit(request, "public_status", address, rate):
            return render(
                request, "children/public_tip_limited.html", {"why": "status"}, status=429
            )
        if form.is_valid():
            looked_up = True
            status = services.public_tip_status(form.cleaned_data["code"])
    return render(
        request,
        "children/public_tip_status.html",
        {
            "form": form,
            "looked_up": looked_up,
            "status": status,
            "status_label": PUBLIC_STATUS_LABELS.get(status, ""),
            "code": form.cleaned_data["code"] if looked_up else "",
        },
    )
