from datetime import date

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import AllYesNoFilterWidget, BootstrapFilterMixin
from households.models import ResidentialGroup

from .models import Child, SchoolStatus, SpecialGroup

AGE_BANDS = [
    ("under6", _("Dưới 6 tuổi")),
    ("6_10", _("6–10 tuổi")),
    ("11_15", _("11–15 tuổi")),
    ("16_17", _("16–17 tuổi")),
]
_BAND_YEARS = {"under6": (0, 6), "6_10": (6, 11), "11_15": (11, 16), "16_17": (16, 18)}


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year - years, day=28)


def age_band_q(band: str, on: date | None = None) -> dict:
    """Birth-date bounds for children aged [low, high) completed years on `on`."""
    on = on or timezone.localdate()
    low, high = _BAND_YEARS[band]
    return {"birth_date__lte": years_before(on, low), "birth_date__gt": years_before(on, high)}


def _groups(request):
    if request is None:
        return ResidentialGroup.objects.none()
    return ResidentialGroup.objects.for_user(request.user)


class ChildFilter(BootstrapFilterMixin, django_filters.FilterSet):
    """Child list filters; also used by exports. Construct as
    ChildFilter(request.GET, queryset=Child.objects.for_user(user), request=request)."""

    q = django_filters.CharFilter(label=_("Họ tên hoặc số định danh"), method="filter_q")
    group = django_filters.ModelChoiceFilter(
        label=_("Tổ dân phố"),
        field_name="household__group",
        queryset=_groups,
        to_field_name="code",
        empty_label=_("Tất cả tổ dân phố"),
    )
    at_risk = django_filters.BooleanFilter(
        label=_("Nguy cơ lao động sớm"),
        widget=AllYesNoFilterWidget,
    )
    special_group = django_filters.ModelChoiceFilter(
        label=_("Hoàn cảnh đặc biệt"),
        field_name="special_groups",
        queryset=SpecialGroup.objects.all(),
        empty_label=_("Tất cả"),
    )
    school_status = django_filters.ChoiceFilter(
        label=_("Tình trạng học tập"), choices=SchoolStatus.choices, empty_label=_("Tất cả")
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Độ tuổi"),
        choices=AGE_BANDS,
        method="filter_age_band",
        empty_label=_("Mọi độ tuổi"),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sắp xếp"),
        fields=(
            ("search_name", "name"),
            ("birth_date", "birth_date"),
            ("household__group__code", "group"),
            ("school_status", "school_status"),
            ("at_risk", "at_risk"),
        ),
    )

    class Meta:
        model = Child
        fields = ["q", "group", "at_risk", "special_group", "school_status", "age_band"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(**age_band_q(value))
