"""Writers (writes.py) of the records the pages add and change beside households, children and
businesses: each is the page's own form and the service its view calls, nothing else."""

from urllib.parse import unquote

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from children import services as child_services
from children.forms_cases import FollowUpForm, IntakeEditForm, IntakeForm, SupportForm
from children.forms_register import ScreeningForm, WorkRecordForm
from children.models import Case, Child, IntakeReport, WorkRecord
from dongnguyen.permissions import may
from dongnguyen.text import as_id
from households.forms import CaregiverForm
from households.models import Caregiver, Household
from households.services import caregiver_save
from inspections import services as inspection_services
from inspections.forms import (
    InspectionPlanForm,
    InspectionRecordForm,
    ViolationForm,
    ViolationHandleForm,
)
from inspections.models import Inspection
from outreach import services as outreach_services
from outreach.forms import SessionForm, TrainingForm

from . import serializers as s
from .merge import OFFLINE_HEADER
from .writes import Writer


def parent(data, field: str, queryset):
    """The record a new one belongs to (a household's caregiver, a child's work record), picked
    by id among those the user may see, refused with the messages of a form's choice field."""
    raw = (data or {}).get(field)
    if raw in (None, ""):
        raise ValidationError({field: [str(forms.Field.default_error_messages["required"])]})
    pk = as_id(str(raw))
    found = queryset.filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationError(
            {field: [str(forms.ModelChoiceField.default_error_messages["invalid_choice"])]}
        )
    return found


# -- caregivers (households:caregiver_add / caregiver_edit) -----------------------------------


def _caregiver_form(request, data, instance):
    if instance is None:
        household = parent(data, "household", Household.objects.for_user(request.user))
        instance = Caregiver(household=household)
    return CaregiverForm(data, instance=instance)


def _caregiver_save(request, form, *, creating):
    return caregiver_save(caregiver=form.save(commit=False), by=request.user)


caregiver_writer = Writer(
    CaregiverForm, _caregiver_save, s.CaregiverWriteSerializer, make_form=_caregiver_form
)


# -- work records (children:workrecord_add / workrecord_edit) ---------------------------------


def _workrecord_form(request, data, instance):
    if instance is None:
        child = parent(data, "child", Child.objects.for_user(request.user))
        instance = WorkRecord(child=child)
    return WorkRecordForm(data, instance=instance, user=request.user, child=instance.child)


def _workrecord_save(request, form, *, creating):
    record = form.save(commit=False)
    record.child = form.child
    child_services.workrecord_save(record=record, by=request.user)
    return record  # the open record of the same work when the report was linked to it


workrecord_writer = Writer(
    WorkRecordForm, _workrecord_save, s.WorkRecordWriteSerializer, make_form=_workrecord_form
)


# -- screenings (children:screening_record) ---------------------------------------------------


def _screening_form(request, data, instance):
    form = ScreeningForm(data)
    form.api_parent = parent(data, "child", Child.objects.for_user(request.user))
    return form


def _screening_save(request, form, *, creating):
    return child_services.screening_record(
        child=form.api_parent,
        outcome=form.cleaned_data["outcome"],
        by=request.user,
        on=_offline_day(request),
    )


def _offline_day(request):
    """The day a screening was done at the door, when a phone sends it later (the offline
    app's X-Offline-Edited-At); never a future day. None: today."""
    raw = request.headers.get(OFFLINE_HEADER)
    edited = parse_datetime(unquote(raw)) if raw else None
    if edited is None or timezone.is_naive(edited):
        return None
    day = timezone.localdate(edited)
    return day if day <= timezone.localdate() else None


screening_writer = Writer(
    ScreeningForm, _screening_save, s.ScreeningWriteSerializer, make_form=_screening_form
)


# -- intake reports (children:intake_create / intake_edit) ------------------------------------


def _intake_form(request, data, instance):
    if instance is None:
        form = IntakeForm(data, user=request.user)
        # A tip about a child already on the list (the offline app's "Báo tin" on a child):
        # any child in the user's scope, as the agencies' form picks one.
        if "child" not in form.fields and (data or {}).get("child") not in (None, ""):
            form.api_child = parent(data, "child", Child.objects.for_user(request.user))
        return form
    # As the page: the form works on a copy, the service on the record.
    return IntakeEditForm(data, instance=IntakeReport.objects.get(pk=instance.pk), record=instance)


def _intake_save(request, form, *, creating):
    data = form.cleaned_data
    if creating:
        return child_services.intake_create(
            by=request.user,
            channel=data.get("channel", ""),
            description=data["description"],
            received_at=data["received_at"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            location=data["location"],
            group=data["group"],
            child=data.get("child") or getattr(form, "api_child", None),
        )
    return child_services.intake_update(
        intake=form.record,
        by=request.user,
        **{name: data[name] for name in child_services.INTAKE_EDIT_FIELDS},
    )


intake_writer = Writer(IntakeForm, _intake_save, s.IntakeWriteSerializer, make_form=_intake_form)


# -- inspections (inspections:inspection_plan / inspection_record) ----------------------------


def _inspection_form(request, data, instance):
    if instance is None:
        if data is not None and "business" in data:
            data = {**data, "businesses": [data["business"]]}
        return InspectionPlanForm(data, user=request.user)
    if instance.status == Inspection.Status.CANCELLED:
        raise PermissionDenied  # as the page: a cancelled visit has no result to record
    return InspectionRecordForm(
        data,
        initial={
            "date": instance.date,
            "findings": instance.findings,
            "minutes_number": instance.minutes_number,
            "legal_dissemination": instance.legal_dissemination,
        },
        record=instance,
    )


def _inspection_save(request, form, *, creating):
    if creating:
        return inspection_services.inspection_plan(by=request.user, **form.cleaned_data)[0]
    return inspection_services.inspection_record(
        inspection=form.record, by=request.user, **form.cleaned_data
    )


inspection_writer = Writer(
    InspectionPlanForm,
    _inspection_save,
    s.InspectionWriteSerializer,
    make_form=_inspection_form,
    error_names={"businesses": "business"},
)


# -- violations (inspections:violation_add / violation_edit) ----------------------------------


def _violation_form(request, data, instance):
    if instance is None:
        inspection = parent(data, "inspection", Inspection.objects.for_user(request.user))
        form = ViolationForm(data, inspection=inspection)
        form.api_parent = inspection
        return form
    return ViolationHandleForm(
        data,
        initial={
            "status": instance.status,
            "handled_on": instance.handled_on,
            "decision_number": instance.decision_number,
            "fine_vnd": instance.fine_vnd,
            "reinspection_due": instance.reinspection_due,
        },
        record=instance,
    )


def _violation_save(request, form, *, creating):
    if creating:
        return inspection_services.violation_create(
            inspection=form.api_parent, by=request.user, **form.cleaned_data
        )
    return inspection_services.violation_handle(
        violation=form.record, by=request.user, **form.cleaned_data
    )


violation_writer = Writer(
    ViolationForm, _violation_save, s.ViolationWriteSerializer, make_form=_violation_form
)


# -- awareness sessions and trainings (outreach:session_edit / training_edit) -----------------


def _session_form(request, data, instance):
    return SessionForm(data, instance=instance, user=request.user)


def _session_save(request, form, *, creating):
    data = form.cleaned_data
    return outreach_services.session_save(
        session=form.save(commit=False),
        by=request.user,
        households=data["households"],
        businesses=data["businesses"],
        all_households_with_children=data["all_households_with_children"],
    )


session_writer = Writer(
    SessionForm, _session_save, s.OutreachSessionWriteSerializer, make_form=_session_form
)


def _training_form(request, data, instance):
    return TrainingForm(data, instance=instance)


def _training_save(request, form, *, creating):
    return outreach_services.training_save(
        training=form.save(commit=False),
        by=request.user,
        participants=form.cleaned_data["participants"],
    )


training_writer = Writer(
    TrainingForm, _training_save, s.TrainingWriteSerializer, make_form=_training_form
)


# -- supports and follow-ups (children:support_create / followup_create) ----------------------


def _support_form(request, data, instance):
    from children.views.care import _referrals_for

    form = SupportForm(data, user=request.user)
    data = data or {}
    if data.get("referral") not in (None, ""):
        referral = parent(data, "referral", _referrals_for(request.user))
        form.api_parent = (referral.child, referral.case)
    elif data.get("case") not in (None, "") and may(request.user, "case.support"):
        case = parent(data, "case", _full_cases(request.user))
        form.api_parent = (case.child, case)
    else:
        raise ValidationError(
            {"case": [_("Hãy chọn hồ sơ vụ việc (case) hoặc lượt chuyển gửi (referral).")]}
        )
    return form


def _full_cases(user):
    """The cases whose page the user opens in full (children.views.cases._case_for)."""
    if not may(user, "case.view_full"):
        return Case.objects.none()
    return Case.objects.for_user(user).select_related("child")


def _support_save(request, form, *, creating):
    child, case = form.api_parent
    return child_services.support_record(
        child=child, case=case, by=request.user, **form.cleaned_data
    )


support_writer = Writer(
    SupportForm, _support_save, s.SupportWriteSerializer, make_form=_support_form
)


def _followup_form(request, data, instance):
    """A case's follow-up (`case`, the officer, as the case page), or a visit to a child of
    the user's scope (`child`, e.g. a collaborator door to door): followup_record decides."""
    form = FollowUpForm(data)
    data = data or {}
    if data.get("case") not in (None, ""):
        if not may(request.user, "case.follow_up"):
            raise PermissionDenied
        case = parent(data, "case", _full_cases(request.user))
        form.api_parent = (case.child, case)
    else:
        form.api_parent = (parent(data, "child", Child.objects.for_user(request.user)), None)
    return form


def _followup_save(request, form, *, creating):
    child, case = form.api_parent
    return child_services.followup_record(
        child=child, case=case, by=request.user, **form.cleaned_data
    )


followup_writer = Writer(
    FollowUpForm, _followup_save, s.FollowUpWriteSerializer, make_form=_followup_form
)
