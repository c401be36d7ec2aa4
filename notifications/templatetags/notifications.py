from django import template

from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    """The bell in the header with the user's unread count (one COUNT query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": Notification.objects.for_user(user).unread().count() if user else 0}
