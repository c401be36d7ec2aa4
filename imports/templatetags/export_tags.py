from django import template
from django.urls import reverse
from django.utils.http import urlencode

from dongnguyen.permissions import may

register = template.Library()

EXPORTS = {
    "households": ("imports:export_households", "export.registers"),
    "children": ("imports:export_children", "export.registers"),
    "businesses": ("imports:export_businesses", "export.businesses"),
}


@register.inclusion_tag("imports/_export_links.html", takes_context=True)
def export_links(context, kind):
    """'Xuất Excel / CSV' of the list as it is filtered now, for the roles that may export it."""
    request = context["request"]
    url_name, action = EXPORTS[kind]
    if not may(request.user, action):
        return {"links": []}
    query = request.GET.copy()
    query.pop("page", None)
    base = reverse(url_name)
    links = []
    for fmt, label in (("xlsx", "Excel"), ("csv", "CSV")):
        query["format"] = fmt
        links.append({"url": f"{base}?{urlencode(sorted(query.items()))}", "label": label})
    return {"links": links}
