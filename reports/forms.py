from django import forms
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VersionedFormMixin

from .models import Report
from .periods import PeriodError, parse_period


class PeriodField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_period(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Kỳ"),
        help_text=_("2026 (năm), 2026-H1 (6 tháng), 2026-Q3 (quý) hoặc 2026-01-01..2026-03-31"),
    )


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=Report.Kind.choices)
    period = PeriodField(
        label=_("Kỳ báo cáo"),
        help_text=_("2026-H1 (6 tháng), 2026 (năm) hoặc khoảng ngày 2026-04-01..2026-04-20"),
    )

    def clean(self):
        data = super().clean()
        kind, period = data.get("kind"), data.get("period")
        if kind == Report.Kind.SEMIANNUAL and period and period.code[-3:-1] != "-H":
            self.add_error("period", _("Báo cáo 6 tháng cần kỳ dạng 2026-H1 hoặc 2026-H2."))
        if kind == Report.Kind.ANNUAL and period and not period.code.isdigit():
            self.add_error("period", _("Báo cáo năm cần kỳ là một năm, ví dụ 2026."))
        return data


class ReportTextForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = ["difficulties", "proposals"]
        widgets = {
            "difficulties": forms.Textarea(attrs={"rows": 5}),
            "proposals": forms.Textarea(attrs={"rows": 5}),
        }
