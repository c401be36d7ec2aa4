"""The form renderer (settings.FORM_RENDERER): Django's own, with its select widget written in
Python.

Django renders a select as a template that includes one template per option, and each of those
includes the attributes' template: a ward's group filter of a dozen options is some forty
template renders, and the filter forms of the list pages spent most of their time there. This
renderer writes the same characters from the same widget context (the markup of Django's
select.html, select_option.html and attrs.html, escaped and formatted as the templates do),
and only while those templates are Django's own: an app that overrides one of them gets its
template as before. tests/test_form_renderer.py compares both outputs byte for byte.
"""

from functools import cached_property
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
ATTRS = "django/forms/widgets/attrs.html"
_DJANGO_FORMS = Path(django.forms.__file__).parent


def _shown(value) -> str:
    """`{{ value }}` in a template: localized, then escaped unless already safe."""
    return conditional_escape(localize(template_localtime(value)))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe, escapes the rest."""
    text = stringformat(value, "s")
    # A safe value stays safe through the filter (is_safe), as in the template.
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs) -> str:
    """attrs.html: ` name="value"` per attribute, ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def render_select(widget) -> str:
    """select.html for the widget's context (each included option keeps its template's final
    newline; the outer template's is stripped by the renderer)."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class FormRenderer(DjangoTemplates):
    @cached_property
    def _own_select(self) -> bool:
        """Whether select.html, select_option.html and attrs.html are Django's own files."""
        return all(
            Path(self.get_template(name).origin.name).is_relative_to(_DJANGO_FORMS)
            for name in (SELECT, OPTION, ATTRS)
        )

    def render(self, template_name, context, request=None):
        if template_name == SELECT and self._own_select:
            widget = context["widget"]
            if all(
                option["template_name"] == OPTION
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return render_select(widget)
        return super().render(template_name, context, request)
