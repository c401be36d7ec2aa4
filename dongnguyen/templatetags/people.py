"""`{{ user|person_name }}`: a name in Vietnamese order (dongnguyen.text.person_name)."""

from django import template

from dongnguyen.text import person_name as _person_name

register = template.Library()


@register.filter
def person_name(person) -> str:
    return _person_name(person)
