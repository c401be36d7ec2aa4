from django import forms

from .models import BudgetEstimate, Source


class EstimateForm(forms.ModelForm):
    class Meta:
        model = BudgetEstimate
        fields = ["year", "activity", "source", "amount_vnd", "note"]


class CostFieldsMixin:
    """`cost_vnd` and `cost_source` on a ModelForm of a session, training or inspection: both
    optional on the form (nothing spent by default, from the state budget)."""

    def _setup_cost_fields(self):
        for name in ("cost_vnd", "cost_source"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_cost_vnd(self):
        return self.cleaned_data.get("cost_vnd") or 0

    def clean_cost_source(self):
        return self.cleaned_data.get("cost_source") or Source.STATE_BUDGET
