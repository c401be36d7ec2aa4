import re

from django import forms
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VersionedFormMixin

from .models import Caregiver, Household, ResidentialGroup

_PHONE = re.compile(r"^0\d{9}$")


def clean_phone(value: str) -> str:
    """Vietnamese phone numbers: 10 digits starting with 0; spaces, dots and +84 are allowed
    when typing."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not _PHONE.match(digits):
        raise forms.ValidationError(
            _("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng số 0 (ví dụ 0912345678).")
        )
    return digits


class HouseholdForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = ["code", "head_name", "address", "group", "phone", "poverty_status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "code": {"unique": _("Mã hộ này đã có trong danh sách; hãy kiểm tra lại.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Collaborators may only place households in their own groups.
        self.fields["group"].queryset = ResidentialGroup.objects.for_user(user).active()
        self.fields["group"].empty_label = _("— Chọn tổ dân phố —")
        self.fields["code"].help_text = _("Mã hộ duy nhất trong phường, ví dụ HGD-01-015.")

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_head_name(self):
        name = " ".join(self.cleaned_data["head_name"].split())
        if len(name) < 2 or any(ch.isdigit() for ch in name):
            raise forms.ValidationError(_("Họ tên chủ hộ không hợp lệ."))
        return name

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class CaregiverForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Caregiver
        fields = ["name", "relation", "phone"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2 or any(ch.isdigit() for ch in name):
            raise forms.ValidationError(_("Họ tên người chăm sóc không hợp lệ."))
        return name

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])
