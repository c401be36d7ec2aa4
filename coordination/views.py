"""Coordination meetings, their actions and the minutes (BIÊN BẢN) PDF; the agencies' inputs
to the periodic report; the good-practice library."""

from urllib.parse import urlencode

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
from dongnguyen.roles import ward_of
from dongnguyen.services import access_log
from dongnguyen.text import query_text

from . import services
from .forms import ActionForm, AgencyInputForm, AttachmentForm, MeetingForm, PracticeForm
from .models import AgencyInput, Meeting, MeetingAction, Practice, PracticeAttachment


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


# ---------------------------------------------------------------------------------------------
# Agency inputs to the periodic report


def _inputs(request):
    return AgencyInput.objects.for_user(request.user)


@permission_required("agency_input.view")
def input_list(request):
    qs = (
        _inputs(request)
        .select_related("agency", "group")
        .order_by("-period_start", "kind", "group__code", "pk")
    )
    period = query_text(request, "period")
    periods = list(
        _inputs(request)
        .order_by("-period_start", "period")
        .values_list("period", flat=True)
        .distinct()[:20]
    )
    if period:
        qs = qs.filter(period=period)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/input_list.html",
        {
            "page": page,
            "period": period,
            "periods": periods,
            "query": urlencode({"period": period}) if period else "",
            "breadcrumbs": [(_("Báo cáo của cơ quan, tổ dân phố"), None)],
        },
    )


def _input_page(request, item, form, status=200):
    return render(
        request,
        "coordination/input_detail.html",
        {
            "item": item,
            "form": form,
            "figures": item.figure_rows(),
            "breadcrumbs": [
                (_("Báo cáo của cơ quan, tổ dân phố"), reverse("coordination:input_list")),
                (str(item), None),
            ],
        },
        status=status,
    )


@permission_required("agency_input.view")
def input_detail(request, pk):
    item = get_object_or_404(_inputs(request).select_related("agency", "group"), pk=pk)
    form = AgencyInputForm(agency_input=item) if may(request.user, "agency_input.fill") else None
    return _input_page(request, item, form)


@require_POST
@permission_required("agency_input.fill")
def input_submit(request, pk):
    item = get_object_or_404(_inputs(request).select_related("agency", "group"), pk=pk)
    form = AgencyInputForm(request.POST, agency_input=item)
    if form.is_valid():
        try:
            services.input_submit(
                agency_input=item,
                by=request.user,
                figures=form.figures,
                results=form.cleaned_data["results"],
                difficulties=form.cleaned_data["difficulties"],
                proposals=form.cleaned_data["proposals"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi báo cáo: %(x)s") % {"x": item.source_name})
            return redirect("coordination:input_detail", pk=item.pk)
    return _input_page(request, item, form, status=400)


# ---------------------------------------------------------------------------------------------
# Good practices


def _practices(request):
    return Practice.objects.for_user(request.user)


@permission_required("practice.view")
def practice_list(request):
    qs = _practices(request).select_related("group", "agency").order_by("-shared_on", "-pk")
    tag = query_text(request, "tag")
    q = query_text(request, "q")
    if tag:
        qs = qs.tagged(tag)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    query = urlencode({k: v for k, v in (("tag", tag), ("q", q)) if v})
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/practice_list.html",
        {
            "page": page,
            "tag": tag,
            "q": q,
            "query": query,
            "can_edit": may(request.user, "practice.edit"),
            "breadcrumbs": [(_("Mô hình, cách làm hay"), None)],
        },
    )


def _practice_page(request, practice, attach_form=None, status=200):
    return render(
        request,
        "coordination/practice_detail.html",
        {
            "practice": practice,
            "attachments": list(practice.attachments.all()),
            "can_edit": may(request.user, "practice.edit"),
            "attach_form": attach_form or AttachmentForm(),
            "breadcrumbs": [
                (_("Mô hình, cách làm hay"), reverse("coordination:practice_list")),
                (practice.title, None),
            ],
        },
        status=status,
    )


@permission_required("practice.view")
def practice_detail(request, pk):
    practice = get_object_or_404(_practices(request).select_related("group", "agency"), pk=pk)
    return _practice_page(request, practice)


@permission_required("practice.edit")
def practice_edit(request, pk=None):
    practice = get_object_or_404(_practices(request), pk=pk) if pk else None
    ward_id = practice.ward_id if practice else ward_of(request.user).pk
    initial = {} if practice else {"shared_on": timezone.localdate()}
    form = PracticeForm(
        request.POST or None,
        request.FILES or None,
        instance=practice,
        initial=initial,
        ward_id=ward_id,
    )
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        try:
            saved = services.practice_save(
                practice=obj, by=request.user, attachment=form.cleaned_data.get("attachment")
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mô hình, cách làm: %(t)s") % {"t": saved.title})
            return redirect("coordination:practice_detail", pk=saved.pk)
    title = practice.title if practice else _("Thêm mô hình, cách làm hay")
    return render(
        request,
        "coordination/form.html",
        {
            "form": form,
            "title": title,
            "multipart": True,
            "cancel_url": reverse("coordination:practice_list"),
            "breadcrumbs": [
                (_("Mô hình, cách làm hay"), reverse("coordination:practice_list")),
                (title, None),
            ],
        },
    )


@require_POST
@permission_required("practice.edit")
def practice_attach(request, pk):
    practice = get_object_or_404(_practices(request).select_related("group", "agency"), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.practice_attach(
                practice=practice, by=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã đính kèm tệp."))
            return redirect("coordination:practice_detail", pk=practice.pk)
    return _practice_page(request, practice, attach_form=form, status=400)


@permission_required("practice.view")
def practice_file(request, pk):
    item = get_object_or_404(
        PracticeAttachment.objects.filter(practice__in=_practices(request)), pk=pk
    )
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=str(item))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
