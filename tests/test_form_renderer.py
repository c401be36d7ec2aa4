"""The form renderer writes selects in Python (dongnguyen/renderers.py): the characters must be
exactly those of Django's own templates, for every kind of select and value the app uses."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from children.filters import ChildFilter
from children.models import Child
from dongnguyen.forms import AllYesNoFilterWidget
from dongnguyen.renderers import FormRenderer
from households.filters import HouseholdFilter
from households.models import Household, ResidentialGroup
from inspections.filters import BusinessFilter
from inspections.models import Business
from tests.factories import GroupFactory

STOCK = DjangoTemplates()
OURS = FormRenderer()

CHOICES = [
    ("", _("Tất cả")),
    ("a", "Ánh & <b>Bình</b>"),
    (1, 2026),
    ("q\"'", mark_safe("<i>an toàn</i>")),
    (_("Nhóm"), [("x", "X"), ("y", _("Có"))]),
    ("z", None),
]


def both(widget, name, value, attrs=None):
    return (
        widget.render(name, value, attrs, renderer=STOCK),
        widget.render(name, value, attrs, renderer=OURS),
    )


@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(choices=CHOICES),
        forms.Select(choices=CHOICES, attrs={"class": "form-select", "data-x": '"<&>'}),
        forms.Select(choices=CHOICES, attrs={"required": True, "disabled": False, "n": 0}),
        forms.SelectMultiple(choices=CHOICES, attrs={"class": "form-select"}),
        forms.NullBooleanSelect(),
        BooleanWidget(),
        AllYesNoFilterWidget(attrs={"class": "form-select"}),
        forms.Select(choices=[]),
    ],
    ids=["plain", "attrs", "true-false", "multiple", "null-boolean", "boolean", "yes-no", "empty"],
)
@pytest.mark.parametrize("value", [None, "", "a", 1, "y", "true", mark_safe("q\"'")])
def test_it_writes_the_templates_characters(widget, value):
    stock, ours = both(widget, "tên&<", value, {"id": "id_x"})
    assert ours == stock


def test_it_writes_a_multiple_select_with_several_values():
    stock, ours = both(forms.SelectMultiple(choices=CHOICES), "x", ["a", "y", 1])
    assert ours == stock
    assert ours.count(" selected") == 3


def test_it_keeps_the_template_of_a_widget_with_its_own_option_template():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    stock, ours = both(Custom(choices=CHOICES), "x", "a")
    assert ours == stock
    assert "<option" not in ours


def test_it_is_the_renderer_of_every_form(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "dongnguyen.renderers.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)
    assert OURS._own_select


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filterset, model, query",
    [
        (ChildFilter, Child, {}),
        (ChildFilter, Child, {"group": "TDP-02", "at_risk": "true", "age_band": "6_10"}),
        (BusinessFilter, Business, {"sector": "bogus", "active": "false"}),
        (HouseholdFilter, Household, {"poverty_status": "poor"}),
    ],
)
def test_it_renders_the_list_filters_as_django_does(officer, filterset, model, query):
    for code, name in (("TDP-01", "Tổ 1"), ("TDP-02", 'Tổ "2" & <3>')):
        GroupFactory(code=code, name=name)
    assert ResidentialGroup.objects.count() >= 2
    request = RequestFactory().get("/", query)
    request.user = officer
    form = filterset(request.GET, queryset=model.objects.all(), request=request).form
    for field in form:
        widget = field.field.widget
        if not isinstance(widget, forms.Select):
            continue
        attrs = field.build_widget_attrs({"id": field.auto_id})
        value = field.value()
        assert widget.render(field.html_name, value, attrs, renderer=OURS) == widget.render(
            field.html_name, value, attrs, renderer=STOCK
        ), field.name
