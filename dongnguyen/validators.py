"""Field validators shared by the domain models (DESIGN.md "Rules in one place"): a rule about
one value lives here or on the model, so forms, imports, seeds and services all refuse the same
values with the same Vietnamese message."""

import re
from datetime import datetime, timedelta

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PHONE_MESSAGE = _("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng số 0 (ví dụ 0912345678).")
_STORED_PHONE = re.compile(r"^0\d{9}$")


def normalize_vn_phone(value: str) -> str:
    """How a number is stored: 10 digits starting with 0. Spaces, dots, dashes, brackets and a
    +84 prefix are allowed when typing; anything else is returned as typed (stripped) for
    `validate_vn_phone` to refuse."""
    value = (value or "").strip()
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits if _STORED_PHONE.match(digits) else value


def validate_vn_phone(value: str) -> None:
    """A Vietnamese mobile or landline number (libphonenumber, region VN) in its stored form."""
    if not value:
        return
    if not _STORED_PHONE.match(value):
        raise ValidationError(PHONE_MESSAGE, code="phone")
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_MESSAGE, code="phone") from None
    if not phonenumbers.is_valid_number_for_region(number, "VN"):
        raise ValidationError(PHONE_MESSAGE, code="phone")


@deconstructible
class PersonNameValidator:
    """A person's name: at least two letters, no digits (the message names whose name)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, value):
        name = " ".join((value or "").split())
        if len(name) < 2 or any(ch.isdigit() for ch in name):
            raise ValidationError(self.message, code="name")

    def __eq__(self, other):
        return isinstance(other, PersonNameValidator) and self.message == other.message


@deconstructible
class NotFutureValidator:
    """A date not after today (the ward's day), or a moment not after now plus `slack_minutes`
    (a clock a little ahead on the officer's computer is not a future report)."""

    def __init__(self, message, slack_minutes: int = 0):
        self.message = message
        self.slack_minutes = slack_minutes

    def __call__(self, value):
        if value is None:
            return
        if isinstance(value, datetime):
            future = value > timezone.now() + timedelta(minutes=self.slack_minutes)
        else:
            future = value > timezone.localdate()
        if future:
            raise ValidationError(self.message, code="future")

    def __eq__(self, other):
        return (
            isinstance(other, NotFutureValidator)
            and self.message == other.message
            and self.slack_minutes == other.slack_minutes
        )
