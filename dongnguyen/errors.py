"""The one error every service raises when a rule forbids a write (DESIGN.md "Rules in one
place"). It is a ValidationError, so a form shows it as it shows its own field errors, and the
message is always for the user, in Vietnamese, through gettext."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ServiceError(ValidationError):
    """A rule of the plan, the law or the workflow forbids the change.

    `ServiceError("…")` for one message, `ServiceError({"field": "…"})` for field errors."""

    @property
    def text(self) -> str:
        """All messages as one line, for a flash message."""
        return " ".join(str(m) for m in self.messages)


class StaleVersionError(ServiceError):
    """Someone else saved the record after this editor opened it: nothing was written."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "Hồ sơ đã được người khác cập nhật sau khi anh/chị mở trang. "
                "Hãy tải lại trang để xem nội dung mới nhất rồi thực hiện lại."
            ),
            code="stale",
        )


def full_clean(instance, *, exclude=None) -> None:
    """`instance.full_clean()` for a service, inside its transaction: the model's own rules
    (field validators, `clean()`, unique checks) refuse the write as the services' one
    ServiceError, with the same field → messages dict, so every view that already catches
    ServiceError shows them beside the form's fields. `exclude` only for fields the service
    sets after the check."""
    try:
        instance.full_clean(exclude=exclude)
    except ServiceError:
        raise
    except ValidationError as exc:
        raise ServiceError(
            exc.error_dict if hasattr(exc, "error_dict") else exc.error_list
        ) from None
