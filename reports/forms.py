from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VersionedFormMixin, VNDateField

from .models import Report
from .periods import PeriodError, month_period, parse_period


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Kỳ"),
        help_text=_("2026 (năm), 2026-H1 (6 tháng), 2026-Q3 (quý) hoặc 2026-01-01..2026-03-31"),
    )


def _year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(min(2026, this_year - 1), this_year + 2)]


def _part_choices():
    return [
        ("year", _("Cả năm")),
        ("H1", _("6 tháng đầu năm")),
        ("H2", _("6 tháng cuối năm")),
        *[(f"Q{n}", _("Quý %(q)s") % {"q": r}) for n, r in enumerate(["I", "II", "III", "IV"], 1)],
        *[(f"M{m}", _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)],
        ("range", _("Khoảng ngày khác (nhập từ ngày, đến ngày)")),
    ]


class ReportCreateForm(forms.Form):
    """The period is chosen, not typed as a code: a year, then the whole year, a half, a
    quarter or a month of it, or any range of days for an ad-hoc report."""

    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=Report.Kind.choices)
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=_year_choices)
    part = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=_part_choices, initial="H1")
    date_from = VNDateField(label=_("Từ ngày"), required=False)
    date_to = VNDateField(label=_("Đến ngày"), required=False)
    # A script (or an old bookmark) may still send the period as its code: "2026-H1".
    period = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("period") and not self.data.get("part"):
            self.fields["year"].required = self.fields["part"].required = False

    def clean(self):
        data = super().clean()
        kind, year, part = data.get("kind"), data.get("year"), data.get("part")
        if data.get("period") and not part:
            return self._clean_code(data, kind)
        if not (kind and year and part):
            return data
        if kind == Report.Kind.SEMIANNUAL and part not in ("H1", "H2"):
            self.add_error(
                "part", _("Báo cáo 6 tháng cần kỳ “6 tháng đầu năm” hoặc “6 tháng cuối năm”.")
            )
            return data
        if kind == Report.Kind.ANNUAL and part != "year":
            self.add_error("part", _("Báo cáo năm cần kỳ “Cả năm”."))
            return data
        try:
            if part == "year":
                data["period"] = parse_period(str(year))
            elif part[0] in "HQ":
                data["period"] = parse_period(f"{year}-{part}")
            elif part[0] == "M":
                data["period"] = month_period(year, int(part[1:]))
            else:
                start, end = data.get("date_from"), data.get("date_to")
                if not start or not end:
                    for name, day in (("date_from", start), ("date_to", end)):
                        if not day and name not in self.errors:
                            self.add_error(name, _("Nhập ngày khi chọn “Khoảng ngày khác”."))
                    return data
                data["period"] = parse_period(f"{start.isoformat()}..{end.isoformat()}")
        except PeriodError as exc:
            self.add_error("part" if part != "range" else "date_to", str(exc))
        return data

    def _clean_code(self, data, kind):
        try:
            period = parse_period(data["period"])
        except PeriodError as exc:
            self.add_error(None, str(exc))
            return data
        if kind == Report.Kind.SEMIANNUAL and period.code[-3:-1] != "-H":
            self.add_error(None, _("Báo cáo 6 tháng cần kỳ dạng 2026-H1 hoặc 2026-H2."))
        elif kind == Report.Kind.ANNUAL and not period.code.isdigit():
            self.add_error(None, _("Báo cáo năm cần kỳ là một năm, ví dụ 2026."))
        else:
            data["period"] = period
        return data


class ReportTextForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = ["difficulties", "proposals"]
        widgets = {
            "difficulties": forms.Textarea(attrs={"rows": 5}),
            "proposals": forms.Textarea(attrs={"rows": 5}),
        }


class InputsRequestForm(forms.Form):
    """The due date of the agencies' inputs to a report (the officer asks for them)."""

    due_on = VNDateField(label=_("Hạn các đơn vị gửi báo cáo"))
