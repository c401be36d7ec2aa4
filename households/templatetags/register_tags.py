from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, field, label, param="sort"):
    """A column header that sorts by `field`, toggling ascending/descending, keeping the
    other filters of the page."""
    request = context["request"]
    query = request.GET.copy()
    current = query.get(param, "")
    if current == field:
        new, icon, state = f"-{field}", "bi-sort-down-alt", "ascending"
    elif current == f"-{field}":
        new, icon, state = field, "bi-sort-up", "descending"
    else:
        new, icon, state = field, "", "none"
    query[param] = new
    query.pop("page", None)
    return format_html(
        '<a href="?{}" class="text-reset" data-sort="{}">{}{}</a>',
        query.urlencode(),
        state,
        label,
        format_html(' <span class="bi {}" aria-hidden="true"></span>', icon) if icon else "",
    )
