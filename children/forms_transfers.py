from django import forms
from django.utils.translation import gettext_lazy as _

from households.models import Household, ResidentialGroup


class TransferSendForm(forms.Form):
    to_ward = forms.ModelChoiceField(label=_("Chuyển đến phường, xã"), queryset=None)
    note = forms.CharField(
        label=_("Lý do, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_ward"].queryset = wards


class TransferAcceptForm(forms.Form):
    """The receiving officer picks a household of their ward, or enters a new one."""

    household = forms.ModelChoiceField(
        label=_("Vào hộ gia đình đã có"), queryset=Household.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Hoặc hộ mới thuộc tổ dân phố"),
        queryset=ResidentialGroup.objects.none(),
        required=False,
    )
    code = forms.CharField(label=_("Mã hộ mới"), max_length=30, required=False)
    head_name = forms.CharField(label=_("Chủ hộ"), max_length=120, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, ward_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(
            group__ward_id=ward_id
        ).select_related("group")
        self.fields["group"].queryset = ResidentialGroup.objects.filter(
            ward_id=ward_id, active=True
        )

    def clean(self):
        data = super().clean()
        if data.get("household") is None and data.get("group") is None:
            raise forms.ValidationError(_("Hãy chọn hộ gia đình nơi đến hoặc nhập một hộ mới."))
        return data

    def new_household(self) -> Household | None:
        if self.cleaned_data.get("household") is not None:
            return None
        return Household(
            group=self.cleaned_data["group"],
            code=self.cleaned_data["code"],
            head_name=self.cleaned_data["head_name"],
            address=self.cleaned_data["address"],
        )


class TransferRefuseForm(forms.Form):
    note = forms.CharField(label=_("Lý do từ chối"), widget=forms.Textarea(attrs={"rows": 2}))
