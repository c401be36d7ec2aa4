from django import template
from django.urls import reverse
from django.utils.http import urlencode

from dongnguyen.roles import role_of
from imports.views import BUSINESS_EXPORTERS, REGISTER_EXPORTERS

register = template.Library()

EXPORTS = {
    "households": ("imports:export_households", REGISTER_EXPORTERS),
    "children": ("imports:export_children", REGISTER_EXPORTERS),
    "businesses": ("imports:export_businesses", BUSINESS_EXPORTERS),
}


@register.inclusion_tag("imports/_export_links.html", takes_context=True)
def export_links(context, kind):
    """'Xuất Excel / CSV' of the list as it is filtered now, for the roles that may export it."""
    request = context["request"]
    url_name, roles = EXPORTS[kind]
    if role_of(request.user) not in roles:
        return {"links": []}
    query = request.GET.copy()
    query.pop("page", None)
    base = reverse(url_name)
    links = []
    for fmt, label in (("xlsx", "Excel"), ("csv", "CSV")):
        query["format"] = fmt
        links.append({"url": f"{base}?{urlencode(sorted(query.items()))}", "label": label})
    return {"links": links}
