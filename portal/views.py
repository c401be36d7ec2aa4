from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dongnguyen.roles import role_of

from .home import attention_items


@login_required
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "items": attention_items(request.user),
            "role": role_of(request.user),
            "today": timezone.localdate(),
        },
    )
