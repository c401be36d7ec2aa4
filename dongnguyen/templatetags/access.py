"""`{% load access %}`: the permission table (dongnguyen/permissions.py) in templates.

{% if request.user|may:"case.sheet" %}…{% endif %}
{% can_move request.user case "approve" as can_approve %}{% if can_approve %}…{% endif %}
"""

from django import template

from dongnguyen import permissions

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return permissions.may(user, action)


@register.simple_tag
def can_move(user, case, step: str) -> bool:
    return permissions.can_move(user, case, step)
