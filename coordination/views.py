"""Coordination meetings, their actions and the minutes (BIÊN BẢN) PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.forms import add_service_errors
from dongnguyen.pdf import render_pdf
from dongnguyen.permissions import may, permission_required
from dongnguyen.services import access_log

from . import services
from .forms import ActionForm, MeetingForm
from .models import Meeting, MeetingAction


def _meetings(request):
    return Meeting.objects.for_user(request.user)


@permission_required("meeting.view")
def meeting_list(request):
    qs = (
        _meetings(request)
        .annotate(
            n_actions=Count("actions", distinct=True),
            n_open=Count("actions", filter=Q(actions__status="open"), distinct=True),
        )
        .order_by("-date", "-pk")
    )
    kind = request.GET.get("kind")
    if kind in Meeting.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/meeting_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": Meeting.Kind.choices,
            "query": f"kind={kind}" if kind else "",
            "can_edit": may(request.user, "meeting.edit"),
            "breadcrumbs": [(_("Cuộc họp phối hợp"), None)],
        },
    )


@permission_required("meeting.view")
def meeting_detail(request, pk):
    meeting = get_object_or_404(_meetings(request).select_related("case__child"), pk=pk)
    if meeting.case_id:
        access_log(request, meeting, "view", detail=_("Họp hội đồng ca"))
    actions = list(meeting.actions.select_related("agency", "assignee__profile"))
    closable = {a.pk for a in actions if services.may_close(request.user, a)}
    can_edit = may(request.user, "meeting.edit")
    return render(
        request,
        "coordination/meeting_detail.html",
        {
            "meeting": meeting,
            "agencies": meeting.agencies.order_by("name"),
            "actions": actions,
            "closable": closable if may(request.user, "meeting.action_done") else set(),
            "can_edit": can_edit,
            "action_form": ActionForm(ward_id=meeting.ward_id) if can_edit else None,
            "today": timezone.localdate(),
            "breadcrumbs": [
                (_("Cuộc họp phối hợp"), reverse("coordination:meeting_list")),
                (str(meeting), None),
            ],
        },
    )


@permission_required("meeting.edit")
def meeting_edit(request, pk=None):
    meeting = get_object_or_404(_meetings(request), pk=pk) if pk else None
    initial = {}
    if meeting is None:
        initial = {"date": timezone.localdate(), "kind": request.GET.get("kind", "")}
        case_id = request.GET.get("case", "")
        if case_id.isdigit():
            initial.update(kind=Meeting.Kind.CASE_CONFERENCE, case_id=int(case_id))
    form = MeetingForm(
        request.POST or None, request.FILES or None, instance=meeting, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.case_id = form.cleaned_data.get("case_id")
        try:
            saved = services.meeting_save(
                meeting=obj, by=request.user, agencies=form.cleaned_data["agencies"]
            )
        except ValidationError as exc:
            if getattr(exc, "error_dict", None) and "case" in exc.error_dict:
                form.add_error("case_id", exc.error_dict.pop("case"))
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cuộc họp."))
            return redirect("coordination:meeting_detail", pk=saved.pk)
    title = str(meeting) if meeting else _("Thêm cuộc họp")
    return render(
        request,
        "coordination/form.html",
        {
            "form": form,
            "title": title,
            "multipart": True,
            "cancel_url": reverse("coordination:meeting_list"),
            "breadcrumbs": [
                (_("Cuộc họp phối hợp"), reverse("coordination:meeting_list")),
                (title, None),
            ],
        },
    )


@permission_required("meeting.view")
def meeting_minutes_pdf(request, pk):
    meeting = get_object_or_404(_meetings(request).select_related("case__child", "ward"), pk=pk)
    access_log(request, meeting, "print", detail=_("Biên bản cuộc họp"))
    pdf = render_pdf(
        "coordination/pdf/minutes.html",
        {
            "meeting": meeting,
            "agencies": meeting.agencies.order_by("name"),
            "actions": meeting.actions.select_related("agency", "assignee"),
            "doc_date": meeting.date,
            "WARD_NAME": meeting.ward.name,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-{meeting.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("meeting.view")
def meeting_signed(request, pk):
    meeting = get_object_or_404(_meetings(request), pk=pk)
    if not meeting.signed_minutes:
        raise Http404
    access_log(request, meeting, "download", detail=_("Biên bản đã ký"))
    response = FileResponse(meeting.signed_minutes.open("rb"), as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("meeting.edit")
def action_add(request, pk):
    meeting = get_object_or_404(_meetings(request), pk=pk)
    form = ActionForm(request.POST, ward_id=meeting.ward_id)
    if form.is_valid():
        action = form.save(commit=False)
        action.meeting = meeting
        try:
            services.action_save(action=action, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã giao việc: %(a)s") % {"a": action.what})
            return redirect("coordination:meeting_detail", pk=meeting.pk)
    # Show the meeting again with what was typed and the errors.
    actions = list(meeting.actions.select_related("agency", "assignee__profile"))
    return render(
        request,
        "coordination/meeting_detail.html",
        {
            "meeting": meeting,
            "agencies": meeting.agencies.order_by("name"),
            "actions": actions,
            "closable": {a.pk for a in actions},
            "can_edit": True,
            "action_form": form,
            "today": timezone.localdate(),
            "breadcrumbs": [
                (_("Cuộc họp phối hợp"), reverse("coordination:meeting_list")),
                (str(meeting), None),
            ],
        },
        status=400,
    )


@require_POST
@permission_required("meeting.action_done")
def action_done(request, pk):
    action = get_object_or_404(
        MeetingAction.objects.for_user(request.user).select_related("meeting"), pk=pk
    )
    if not services.may_close(request.user, action):
        raise Http404
    try:
        services.action_done(action=action, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã đánh dấu hoàn thành: %(a)s") % {"a": action.what})
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("coordination:meeting_detail", pk=action.meeting_id)
