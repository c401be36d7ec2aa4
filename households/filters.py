import django_filters
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import BootstrapFilterMixin

from .models import Household, PovertyStatus, ResidentialGroup


def _groups(request):
    if request is None:
        return ResidentialGroup.objects.none()
    return ResidentialGroup.objects.for_user(request.user)


class HouseholdFilter(BootstrapFilterMixin, django_filters.FilterSet):
    """Household list filters; also used by exports. Construct as
    HouseholdFilter(request.GET, queryset=Household.objects.for_user(user), request=request)."""

    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")
    group = django_filters.ModelChoiceFilter(
        label=_("Tổ dân phố"),
        queryset=_groups,
        to_field_name="code",
        empty_label=_("Tất cả tổ dân phố"),
    )
    poverty_status = django_filters.ChoiceFilter(
        label=_("Diện hộ"), choices=PovertyStatus.choices, empty_label=_("Tất cả diện hộ")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sắp xếp"),
        fields=(
            ("code", "code"),
            ("search_name", "head_name"),
            ("group__code", "group"),
            ("poverty_status", "poverty_status"),
        ),
        field_labels={
            "code": _("Mã hộ"),
            "search_name": _("Chủ hộ"),
            "group__code": _("Tổ dân phố"),
            "poverty_status": _("Diện hộ"),
        },
    )

    class Meta:
        model = Household
        fields = ["q", "group", "poverty_status"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
