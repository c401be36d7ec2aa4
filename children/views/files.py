"""Attachments of children and cases, and the printable case sheet."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.errors import ServiceError
from dongnguyen.pdf import render_pdf
from dongnguyen.permissions import permission_required
from dongnguyen.services import access_log
from dongnguyen.text import as_id
from dongnguyen.workdays import all_holidays

from .. import services
from ..catalogue import load_catalogue
from ..forms_cases import (
    AttachmentForm,
)
from ..models import (
    Attachment,
    Case,
    Child,
    plan_deadline_for,
)
from .care import _next
from .cases import _case_for


@permission_required("attachment.upload")
@require_POST
def attachment_upload(request):
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
        back = _next(request) or reverse("children:detail", args=[child.pk])
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        AttachmentForm.keep_draft(request, urlsplit(back).path)
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
        AttachmentForm.keep_draft(request, urlsplit(back).path)
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


def _with_job_names(records):
    """The meeting reads job names, not the catalogue's codes."""
    records = list(records)
    if records:
        jobs = load_catalogue().jobs
        for record in records:
            job = jobs.get(record.job_code)
            record.job_name = job.name if job else record.job_code
    return records


@permission_required("case.sheet")
def case_sheet(request, pk):
    case = _case_for(request, pk)
    child = case.child
    access_log(request, case, "print", detail=_("Phiếu hồ sơ vụ việc"))
    holidays = all_holidays()
    pdf = render_pdf(
        "children/pdf/case_sheet.html",
        {
            "case": case,
            "child": child,
            "ward": child.household.group.ward,
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
