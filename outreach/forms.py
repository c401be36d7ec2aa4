from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.forms import VersionedFormMixin, VNDateField
from dongnguyen.roles import Role, role_of, ward_of
from dongnguyen.text import as_id, person_name
from funding.forms import CostFieldsMixin
from households.models import Caregiver, Household, ResidentialGroup
from inspections.models import Business

from .models import MaterialDistribution, OutreachSession, Training
from .services import staff_and_collaborators


class IdsField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        # A forged id past the column's range would overflow the database driver (a 500).
        for pk in value or ():
            if as_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class PickedField(IdsField):
    """Ids ticked in the htmx picker. Never rendered as one big select: a group has hundreds
    of households, the template shows only the ticked ones and the search results."""

    widget = forms.MultipleHiddenInput


class SessionForm(CostFieldsMixin, VersionedFormMixin, forms.ModelForm):
    date = VNDateField(label=_("Ngày"))
    households = PickedField(
        label=_("Hộ gia đình được tuyên truyền"), queryset=Household.objects.none(), required=False
    )
    businesses = PickedField(
        label=_("Cơ sở được tuyên truyền"), queryset=Business.objects.none(), required=False
    )
    all_households_with_children = forms.BooleanField(
        label=_("Thêm tất cả hộ có trẻ em dưới 16 tuổi của tổ"), required=False
    )
    caregivers = PickedField(
        label=_("Cha mẹ, người chăm sóc trẻ được tuyên truyền"),
        queryset=Caregiver.objects.none(),
        required=False,
    )

    PICKED = ("households", "businesses", "all_households_with_children", "caregivers")

    class Meta:
        model = OutreachSession
        fields = [
            "group",
            "date",
            "channel",
            "topic",
            "organizer",
            "attendee_count",
            "caregiver_count",
            "children_count",
            "leaflets",
            "posters",
            "booklets",
            "materials",
            "cost_vnd",
            "cost_source",
        ]
        widgets = {"materials": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_cost_fields()
        self.user = user
        self.fields["group"].queryset = ResidentialGroup.objects.for_user(user).active()
        if role_of(user) == Role.COLLABORATOR:
            self.fields["group"].required = True
            self.fields["group"].empty_label = None
            self.fields["group"].help_text = ""
        self.fields["households"].queryset = Household.objects.for_user(user)
        self.fields["businesses"].queryset = Business.objects.for_user(user)
        self.fields["caregivers"].queryset = Caregiver.objects.for_user(user)
        if self.instance.pk and not self.is_bound:
            # Only the caregivers this editor may see; the others stay (session_save).
            self.initial["caregivers"] = list(
                self.instance.caregivers_reached.filter(
                    pk__in=self.fields["caregivers"].queryset.values("pk")
                ).values_list("pk", flat=True)
            )
            self.initial["households"] = list(
                self.instance.households_reached.values_list("pk", flat=True)
            )
            self.initial["businesses"] = list(
                self.instance.businesses_reached.values_list("pk", flat=True)
            )

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.PICKED]

    def picked(self, name):
        """The ticked rows to show again (after an error, or when editing)."""
        value = self[name].value() or []
        ids = [as_id(v) for v in value if as_id(v)]
        qs = self.fields[name].queryset.filter(pk__in=ids)
        if name == "caregivers":
            return qs.select_related("household").order_by("household__code", "name")
        return qs.select_related("group")

    def clean(self):
        data = super().clean()
        if data.get("all_households_with_children") and not data.get("group"):
            self.add_error("group", _("Chọn tổ dân phố để thêm tất cả hộ có trẻ em của tổ."))
        return data


class ParticipantField(IdsField):
    def label_from_instance(self, user):
        name = person_name(user)
        return f"{name} — {user.profile.get_role_display()}"


class TrainingForm(CostFieldsMixin, VersionedFormMixin, forms.ModelForm):
    date = VNDateField(label=_("Ngày"))
    participants = ParticipantField(
        label=_("Học viên (cán bộ, cộng tác viên)"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Training
        fields = ["title", "date", "organizer", "outside_participants", "topics", "participants"]
        fields += ["cost_vnd", "cost_source"]
        widgets = {"topics": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_cost_fields()
        ward = self.instance.ward if self.instance.pk else (ward_of(user) if user else None)
        self.fields["participants"].queryset = staff_and_collaborators(ward)


class MaterialForm(CostFieldsMixin, forms.ModelForm):
    date = VNDateField(label=_("Ngày"))

    class Meta:
        model = MaterialDistribution
        fields = [
            "date",
            "kind",
            "quantity",
            "group",
            "session",
            "notes",
            "cost_vnd",
            "cost_source",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_cost_fields()
        self.fields["group"].queryset = ResidentialGroup.objects.for_user(user).active()
        # The sessions of the last year (a distribution is recorded soon after it happens).
        since = timezone.localdate() - timedelta(days=366)
        self.fields["session"].queryset = (
            OutreachSession.objects.for_user(user).filter(date__gte=since).order_by("-date")
        )
