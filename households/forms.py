from django import forms
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VersionedFormMixin
from dongnguyen.validators import normalize_vn_phone

from .models import Caregiver, Household, ResidentialGroup


def clean_phone(value: str) -> str:
    """Spaces, dots and +84 are allowed when typing; the model's validator judges the number."""
    return normalize_vn_phone(value)


def clean_name(value: str) -> str:
    """Spaces as typed are tidied; the model's validator judges the name."""
    return " ".join((value or "").split())


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
        self.fields["code"].help_text = _(
            "Mã hộ duy nhất trong phường, ví dụ HGD-01-001 (tổ 01, hộ số 001)."
        )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_head_name(self):
        return clean_name(self.cleaned_data["head_name"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class CaregiverForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Caregiver
        fields = ["name", "relation", "phone"]

    def clean_name(self):
        return clean_name(self.cleaned_data["name"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])
