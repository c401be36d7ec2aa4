import django_filters
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import AllYesNoFilterWidget, BootstrapFilterMixin
from households.models import ResidentialGroup

from .models import Business, Sector


def _groups(request):
    if request is None:
        return ResidentialGroup.objects.none()
    return ResidentialGroup.objects.for_user(request.user)


class BusinessFilter(BootstrapFilterMixin, django_filters.FilterSet):
    """Filters of the business register (also used by the Excel export)."""

    q = django_filters.CharFilter(label=_("Tìm theo tên cơ sở"), method="filter_q")
    group = django_filters.ModelChoiceFilter(
        label=_("Tổ dân phố"), queryset=_groups, empty_label=_("Tất cả tổ dân phố")
    )
    sector = django_filters.ChoiceFilter(
        label=_("Ngành nghề"), choices=Sector.choices, empty_label=_("Tất cả ngành nghề")
    )
    high_risk = django_filters.BooleanFilter(label=_("Nguy cơ cao"), widget=AllYesNoFilterWidget)
    active = django_filters.BooleanFilter(label=_("Đang hoạt động"), widget=AllYesNoFilterWidget)

    class Meta:
        model = Business
        fields = ["q", "group", "sector", "high_risk", "active"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
