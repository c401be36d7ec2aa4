from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dongnguyen.roles import Role, role_of
from reports import selectors
from reports.periods import current_periods

from .home import attention_items


@login_required
def home(request):
    role = role_of(request.user)
    year = current_periods()[0]
    return render(
        request,
        "portal/home.html",
        {
            "items": attention_items(request.user),
            "role": role,
            "today": timezone.localdate(),
            # Leadership watches the plan: the KPIs of this year that miss their target.
            "off_target": selectors.off_target(year) if role == Role.LEADERSHIP else None,
            "year": year,
        },
    )
