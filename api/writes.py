"""Writes over HTTP through the pages' own forms and services, so the API refuses what the
pages refuse with the same Vietnamese messages (DESIGN.md "Rules in one place"), plus the two
things a phone needs: optimistic concurrency (ETag / If-Match, 412 when stale) and idempotent
creates (a client UUID sent twice makes one record)."""

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response
from simple_history.utils import update_change_reason

from children.forms_register import ChildForm
from children.models import Child, SpecialGroup
from children.services import child_find_duplicates, child_save
from dongnguyen.errors import StaleVersionError
from households.forms import HouseholdForm
from households.services import household_save
from inspections import services as inspection_services
from inspections.forms import BusinessForm

from . import serializers as s
from .merge import (
    MERGE_HEADER,
    OFFLINE_HEADER,
    REASON_HEADER,
    base_instance,
    form_values,
    three_way,
)
from .models import ClientCreate, OfflineChange

NON_FIELD = "non_field_errors"


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"


def form_errors(errors) -> dict:
    """A form's or a service's errors as DRF field errors ("__all__" → non_field_errors)."""
    return {
        (NON_FIELD if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in errors.items()
    }


def service_errors(exc: DjangoValidationError, form) -> dict:
    """Like dongnguyen.forms.add_service_errors: beside the field when the form has it."""
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD: [str(m) for m in exc.messages]}
    out: dict[str, list[str]] = {}
    for field, errors in exc.message_dict.items():
        key = field if field in form.fields and field != "__all__" else NON_FIELD
        out.setdefault(key, []).extend(str(m) for m in errors)
    return out


def _renamed(errors: dict, names: dict) -> dict:
    return {names.get(field, field): messages for field, messages in errors.items()}


def if_match_version(request) -> int:
    """The version an update was prepared from: `If-Match: "3"` (the ETag of the read)."""
    header = request.headers.get("If-Match", "")
    match = re.fullmatch(r'\s*(?:W/)?"?(\d{1,10})"?\s*', header)
    if not match:
        raise PreconditionRequired(
            _(
                "Cần gửi tiêu đề If-Match với phiên bản (ETag) của bản ghi đã đọc, để không ghi "
                "đè thay đổi của người khác."
            )
        )
    return int(match.group(1))


@dataclass(frozen=True)
class Writer:
    """How one model is written: its page's form, the service the page calls, and the
    input/output representations for the schema."""

    form_class: type
    save: Any  # (request, form, *, creating) -> instance; raises ServiceError
    write_serializer: type
    initial: Any = None  # (instance) -> the form's initial beyond model_to_dict
    to_form_data: Any = None  # (data) -> data as the form reads it
    # (request, data, instance) -> the form, for forms built unlike form_class(data, user=…)
    make_form: Any = None
    # the form's field name → the API's (a form picking several rows, the API one)
    error_names: dict | None = None


def _household_save(request, form, *, creating):
    return household_save(household=form.save(commit=False), by=request.user)


def _child_save(request, form, *, creating):
    data = form.cleaned_data
    # The page asks before creating a second child with the same identity; so does the API.
    if creating or {"full_name", "birth_date", "national_id"} & set(form.changed_data):
        found = child_find_duplicates(
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            national_id=data["national_id"],
            exclude_pk=None if creating else form.instance.pk,
        )
        visible = list(Child.objects.for_user(request.user).filter(pk__in=found.values("pk")))
        if found.exists() and not data.get("confirm_duplicate"):
            raise ValidationError(
                {
                    "confirm_duplicate": [
                        _(
                            "Có thể trẻ này đã có trong danh sách (trùng họ tên và ngày sinh hoặc "
                            "số định danh). Hãy kiểm tra; nếu đúng là một trẻ khác, gửi lại với "
                            "confirm_duplicate = true."
                        )
                    ],
                    "duplicates": [str(c.pk) for c in visible],
                }
            )
    return child_save(
        child=form.save(commit=False), by=request.user, special_groups=data["special_groups"]
    )


def _child_form_data(data: dict) -> dict:
    """Special groups are sent as their codes (a…o), as the API answers them; the form picks
    rows by id. An unknown code stays as sent, so the form refuses it with its own message."""
    codes = data.get("special_groups")
    if isinstance(codes, list):
        ids = dict(
            SpecialGroup.objects.filter(code__in=[str(c) for c in codes]).values_list("code", "pk")
        )
        data = {**data, "special_groups": [ids.get(str(c), c) for c in codes]}
    return data


def _business_save(request, form, *, creating):
    return inspection_services.business_save(business=form.save(commit=False), by=request.user)


business_writer = Writer(BusinessForm, _business_save, s.BusinessWriteSerializer)
household_writer = Writer(HouseholdForm, _household_save, s.HouseholdWriteSerializer)
child_writer = Writer(
    ChildForm,
    _child_save,
    s.ChildWriteSerializer,
    initial=lambda child: {"household": child.household.code},
    to_form_data=_child_form_data,
)


class FormCreateMixin:
    """create for a ScopedViewSet with a `writer` (the records the pages only add)."""

    writer: Writer

    def _form(self, data, instance=None):
        w = self.writer
        if w.to_form_data and data is not None:
            data = w.to_form_data(data)
        if w.make_form:
            return w.make_form(self.request, data, instance)
        kwargs = {"user": self.request.user}
        if instance is not None:
            kwargs["instance"] = instance
            if w.initial:
                kwargs["initial"] = w.initial(instance)
        return w.form_class(data, **kwargs)

    def _save(self, form, *, creating):
        names = self.writer.error_names or {}
        if not form.is_valid():
            raise ValidationError(_renamed(form_errors(form.errors), names))
        try:
            return self.writer.save(self.request, form, creating=creating)
        except StaleVersionError:
            raise
        except DjangoValidationError as exc:
            raise ValidationError(_renamed(service_errors(exc, form), names)) from None

    def _respond(self, obj, status_code):
        obj = self.get_queryset().get(pk=obj.pk)
        from .views import etagged

        return etagged(Response(self.get_serializer(obj).data, status=status_code), obj)

    def _data(self) -> dict:
        data = self.request.data
        if not hasattr(data, "items"):
            raise ValidationError({NON_FIELD: [_("Nội dung gửi lên phải là một đối tượng JSON.")]})
        return {k: v for k, v in data.items() if k not in ("client_uuid", "version", "_base")}

    def create(self, request, *args, **kwargs):
        client_uuid = self._client_uuid()
        if client_uuid is not None:
            first = self._first_created(client_uuid)
            if first is not None:
                return self._respond(first, status.HTTP_200_OK)
        data = self._data()
        form = self._form(data)
        # A field left out starts as the page's empty form shows it (counts at 0, today…).
        shown = {
            name: form[name].initial
            for name in form.fields
            if name not in data and name != "version" and form[name].initial not in (None, "")
        }
        if shown:
            form = self._form({**data, **shown})
        try:
            with transaction.atomic():
                obj = self._save(form, creating=True)
                self._after_write(obj, OfflineChange.Kind.CREATE, [])
                if client_uuid is not None:
                    ClientCreate.objects.create(
                        client_uuid=client_uuid,
                        user=request.user,
                        content_type=ContentType.objects.get_for_model(self.model),
                        object_id=str(obj.pk),
                    )
        except IntegrityError:
            # The same UUID raced in twice: the other request made the record.
            first = self._first_created(client_uuid) if client_uuid is not None else None
            if first is None:
                raise
            return self._respond(first, status.HTTP_200_OK)
        return self._respond(obj, status.HTTP_201_CREATED)

    def _client_uuid(self):
        raw = self.request.data.get("client_uuid") if hasattr(self.request.data, "get") else None
        if raw in (None, ""):
            return None
        try:
            return uuid.UUID(str(raw))
        except ValueError:
            raise ValidationError({"client_uuid": [_("UUID không hợp lệ.")]}) from None

    def _first_created(self, client_uuid):
        row = ClientCreate.objects.filter(client_uuid=client_uuid).first()
        if row is None:
            return None
        if row.content_type != ContentType.objects.get_for_model(self.model):
            raise ValidationError({"client_uuid": [_("UUID này đã dùng cho một bản ghi khác.")]})
        first = self.get_queryset().filter(pk=row.object_id).first()
        if first is None:  # deleted, or out of this user's scope: no leak, no second record
            raise NotFound
        return first

    def _after_write(self, obj, kind, fields):
        """The history notes why a conflict was settled; offline writes are listed for the
        case officer (who, edited when on the phone, synced when)."""
        request = self.request
        reason = unquote(request.headers.get(REASON_HEADER, ""))[:100]
        if reason and hasattr(obj, "history"):
            update_change_reason(obj, reason)
        edited = request.headers.get(OFFLINE_HEADER)
        if edited is None:
            return
        OfflineChange.objects.create(
            user=request.user,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            kind=kind,
            fields=", ".join(fields)[:500],
            edited_at=parse_datetime(unquote(edited)) if edited else None,
            note=reason,
        )


class FormWriteMixin(FormCreateMixin):
    """create / update / partial_update for a ScopedViewSet with a `writer`."""

    def update(self, request, *args, partial=False, **kwargs):
        obj = self.get_object()
        expected = if_match_version(request)
        data = self._data()
        kind = OfflineChange.Kind.UPDATE
        if expected != obj.version:
            if not (partial and request.headers.get(MERGE_HEADER, "").lower() == "fields"):
                return self._stale(obj)
            merged = self._merge(obj, expected, data)
            if isinstance(merged, Response):
                return merged
            data, expected, kind = merged, obj.version, OfflineChange.Kind.MERGED
        if request.headers.get(REASON_HEADER):
            kind = OfflineChange.Kind.RESOLVED
        sent_fields = sorted(data)
        if partial:
            current = self._form(None, instance=obj)
            data = {
                **{name: current[name].value() for name in current.fields if name != "version"},
                **data,
            }
        form = self._form({**data, "version": expected}, instance=obj)
        try:
            with transaction.atomic():
                saved = self._save(form, creating=False)
                self._after_write(saved, kind, sent_fields)
        except StaleVersionError:
            return self._stale(self.get_queryset().get(pk=obj.pk))
        return self._respond(saved, status.HTTP_200_OK)

    def _merge(self, obj, expected, data):
        """A stale edit of some fields: what still applies, or 409 with the conflicts."""
        from .views import etagged

        w = self.writer
        base_obj = base_instance(obj, expected)
        if base_obj is not None:
            base = form_values(self._form(None, instance=base_obj))
        else:
            # Records made before their history was kept: the values the phone started from.
            sent_base = (
                self.request.data.get("_base") if hasattr(self.request.data, "get") else None
            )
            if not isinstance(sent_base, dict) or sent_base.get("version") != expected:
                return self._stale(obj)
            base = w.to_form_data(sent_base) if w.to_form_data else sent_base
        sent = w.to_form_data(data) if w.to_form_data else data
        apply, conflicts = three_way(base, self._form(None, instance=obj), sent)
        if conflicts:
            body = {
                "detail": _(
                    "Người khác đã sửa cùng trường này trong lúc bạn ngoại tuyến. Không có gì bị "
                    "ghi đè: hãy chọn giá trị cần giữ."
                ),
                "conflicts": [c.as_dict() for c in conflicts],
                "current": self.get_serializer(self.get_queryset().get(pk=obj.pk)).data,
            }
            return etagged(Response(body, status=status.HTTP_409_CONFLICT), obj)
        return apply

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _stale(self, obj):
        from .views import etagged

        obj = self.get_queryset().get(pk=obj.pk)
        body = {
            "detail": str(StaleVersionError().messages[0]),
            "current": self.get_serializer(obj).data,
        }
        return etagged(Response(body, status=status.HTTP_412_PRECONDITION_FAILED), obj)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description='Phiên bản (ETag) của bản ghi đã đọc, ví dụ "3".',
)
