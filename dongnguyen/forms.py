from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

# Every forms.CharField (and so every text field of every form, filters and the login form
# included) already carries Django's ProhibitNullCharactersValidator: PostgreSQL cannot store
# a NUL byte, and without it a pasted "\x00" would end in a 500. Django's Vietnamese catalogue
# has no translation of its message, so the project gives its own (set in AppConfig.ready).
NUL_MESSAGE = _(
    "Nội dung có ký tự không hợp lệ (ký tự NUL, thường lẫn vào khi sao chép từ tệp khác). "
    "Hãy xóa ký tự đó hoặc gõ lại."
)


def use_vietnamese_nul_message() -> None:
    ProhibitNullCharactersValidator.message = NUL_MESSAGE


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị vô hiệu hóa."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


class VNDateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy (the ward's habit), whatever the browser's locale."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "placeholder": "dd/mm/yyyy",
                "inputmode": "numeric",
                "autocomplete": "off",
                **(attrs or {}),
            },
            format="%d/%m/%Y",
        )


class VNDateField(forms.DateField):
    widget = VNDateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}
        )
        super().__init__(**kwargs)


def bootstrap_widgets(form):
    """Give every widget of a form Bootstrap's classes (selects look like selects)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        existing = widget.attrs.get("class", "")
        if css not in existing.split():
            widget.attrs["class"] = f"{existing} {css}".strip()
    return form


class BootstrapFilterMixin:
    """For django-filter FilterSets rendered field by field in list templates."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_bootstrapped", False):
            bootstrap_widgets(form)
            form._bootstrapped = True
        return form


def add_service_errors(form, exc):
    """Put a service's ValidationError on the form, beside its field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class EditConflictMixin:
    """Refuses to save a ModelForm over changes someone else saved after this form was opened.

    The form carries the row's `updated_at` as it was when the page was shown; if the row has
    changed since, the second writer is told and nothing is overwritten. The hidden value is
    moved on to the current one, so after reading the message (and reloading what changed)
    the officer can save deliberately."""

    conflict_field = "loaded_at"
    conflict_message = _(
        "Hồ sơ này vừa được người khác sửa (lúc %(time)s) sau khi bạn mở trang. Thay đổi của "
        "bạn CHƯA được lưu. Hãy mở lại hồ sơ trong thẻ khác để xem nội dung mới, rồi sửa lại "
        "nếu cần và bấm Lưu."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and getattr(self.instance, "updated_at", None):
            self.fields[self.conflict_field] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=self._stamp()
            )

    def _stamp(self) -> str:
        return self.instance.updated_at.isoformat()

    def clean(self):
        data = super().clean()
        if self.conflict_field not in self.fields:
            return data
        key = self.add_prefix(self.conflict_field)
        sent = self.data.get(key)
        # A form sent without the stamp (a script, an old page) is not checked.
        if sent and sent != self._stamp():
            self.data = self.data.copy()
            self.data[key] = self._stamp()
            from django.utils import timezone

            when = timezone.localtime(self.instance.updated_at).strftime("%H:%M %d/%m/%Y")
            raise forms.ValidationError(self.conflict_message % {"time": when}, code="conflict")
        return data
