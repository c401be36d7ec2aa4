from django import forms
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VNDateField

from .models import BudgetEstimate, Donation, Donor, Source


class EstimateForm(forms.ModelForm):
    class Meta:
        model = BudgetEstimate
        fields = ["year", "activity", "source", "amount_vnd", "note"]


class CostFieldsMixin:
    """`cost_vnd` and `cost_source` on a ModelForm of a session, material, training or inspection: both
    optional on the form (nothing spent by default, from the state budget)."""

    def _setup_cost_fields(self):
        for name in ("cost_vnd", "cost_source"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_cost_vnd(self):
        return self.cleaned_data.get("cost_vnd") or 0

    def clean_cost_source(self):
        return self.cleaned_data.get("cost_source") or Source.STATE_BUDGET


class DonorForm(forms.ModelForm):
    class Meta:
        model = Donor
        fields = ["name", "kind", "contact"]


class DonationForm(forms.ModelForm):
    date = VNDateField(label=_("Ngày tiếp nhận"))
    restricted_to_kind = forms.ChoiceField(
        label=_("Chỉ dành cho hình thức hỗ trợ"), required=False, choices=()
    )

    class Meta:
        model = Donation
        fields = ["donor", "date", "amount_vnd", "in_kind", "value_vnd", "purpose"]
        fields += ["restricted_to_group", "restricted_to_kind"]

    def __init__(self, *args, user, support_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        from households.models import ResidentialGroup

        self.fields["donor"].queryset = Donor.objects.for_user(user)
        self.fields["restricted_to_group"].queryset = ResidentialGroup.objects.for_user(user)
        self.fields["restricted_to_kind"].choices = [("", "---------"), *support_kinds]
