from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .errors import StaleVersionError
from .text import vn_sort_key

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


EMPTY_CHOICE = _("— Chọn —")


def use_vietnamese_empty_choice() -> None:
    """The empty choice of every select reads "— Chọn —", not Django's "---------": model
    fields with choices (BLANK_CHOICE_DASH, shared by reference) and ModelChoiceField's
    default (a form may still give its own, e.g. "Tất cả tổ dân phố" in a filter)."""
    from django.db.models import fields
    from django.forms import ModelChoiceField

    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE


class VnSortedChoiceIterator(ModelChoiceIterator):
    """The options in Vietnamese alphabetical order of their labels (the database's collation
    puts "Đoàn…" and "Ủy ban…" after "Z")."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset if self.queryset._prefetch_related_lookups else self.queryset.all()
        label = self.field.label_from_instance
        for obj in sorted(rows, key=lambda o: vn_sort_key(label(o))):
            yield self.choice(obj)


class VnSortedModelChoiceField(forms.ModelChoiceField):
    iterator = VnSortedChoiceIterator


def vn_sorted(choices) -> list:
    """(value, label) choices in Vietnamese alphabetical order of their labels."""
    return sorted(choices, key=lambda choice: vn_sort_key(choice[1]))


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


class OTPCodeForm(forms.Form):
    """The 6-digit code of an authenticator app (two-factor sign-in, dongnguyen/two_factor.py)."""

    code = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
        help_text=_("Mã trong ứng dụng xác thực trên điện thoại (đổi sau mỗi 30 giây)."),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Mã xác thực gồm đúng 6 chữ số."))
        return code


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


class AllYesNoFilterWidget(BooleanWidget):
    """A yes/no filter whose empty choice says what it does: "Tất cả" (no filter), not
    django-filter's "Unknown" ("Chưa xác định"), which reads as a value of the field."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("Tất cả")), ("true", _("Có")), ("false", _("Không"))]


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
    if isinstance(exc, StaleVersionError) and hasattr(form, "version_conflict"):
        form.version_conflict()
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class VersionedFormMixin:
    """The version of the record the editor opened, carried by a hidden `version` field
    (dongnguyen/versioning.py). The service's conditional UPDATE, inside its transaction,
    decides who wins; the loser's form is shown again with what they typed and the message.

    A ModelForm's instance is the record; a plain form gets it as `record=`. A valid form puts
    the version it was opened at on the record, so the service saves with
    `save_versioned(record)`. A form sent without the field (a script, an old page) is checked
    against the version the view loaded."""

    conflict_message = _(
        "Hồ sơ này vừa được người khác sửa sau khi bạn mở trang. Thay đổi của bạn CHƯA được "
        "lưu; nội dung bạn nhập vẫn còn dưới đây. Hãy mở lại hồ sơ trong thẻ khác để xem nội "
        "dung mới, rồi sửa lại nếu cần và bấm Lưu."
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record if record is not None else getattr(self, "instance", None)
        if self.record is not None and self.record.pk:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                required=False,
                min_value=1,
                max_value=2**31 - 1,  # the column's range: a forged value must not reach SQL
                initial=self.record.version,
            )

    def clean(self):
        data = super().clean()
        # On the record, not in cleaned_data: views pass **cleaned_data to services.
        version = data.pop("version", None)
        if version is not None:
            self.record.version = version
        return data

    def version_conflict(self) -> None:
        """The save was refused: say so, and move the hidden version on to the current one,
        so that after reading what changed the editor can save deliberately."""
        current = type(self.record)._base_manager.values_list("version", flat=True)
        current = current.filter(pk=self.record.pk).first()
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current
        self.add_error(None, forms.ValidationError(self.conflict_message, code="stale"))


class AccessLogSearchForm(forms.Form):
    user = forms.CharField(label=_("Người dùng"), max_length=150, required=False)
    date_from = VNDateField(label=_("Từ ngày"), required=False)
    date_to = VNDateField(label=_("Đến ngày"), required=False)
    action = forms.ChoiceField(label=_("Thao tác"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        from .models import AccessLog

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Tất cả")), *AccessLog.Action.choices]
