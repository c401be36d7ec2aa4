"""The user's own API tokens as a page (the user menu's "Mã truy cập API"): list them, make one
(its key shown once), revoke one. The admin revokes anyone's in the Django admin."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dongnguyen.text import as_id

from .models import ApiToken

NEW_KEY = "api_new_token_key"
MAX_DAYS = 365


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên mã"),
        max_length=100,
        help_text=gettext_lazy("Để nhận ra mã khi cần thu hồi, ví dụ “Điện thoại của tôi”."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Số ngày hiệu lực"),
        min_value=1,
        max_value=MAX_DAYS,
        error_messages={
            "min_value": gettext_lazy("Số ngày hiệu lực từ 1 đến %(max)d.") % {"max": MAX_DAYS},
            "max_value": gettext_lazy("Số ngày hiệu lực từ 1 đến %(max)d.") % {"max": MAX_DAYS},
        },
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


@login_required
def token_list(request):
    form = ApiTokenForm(request.POST or None, initial={"days": settings.API_TOKEN_DAYS})
    if request.method == "POST" and form.is_valid():
        _token, key = ApiToken.issue(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        request.session[NEW_KEY] = key  # shown once, on the next page; only the hash is kept
        messages.success(request, _("Đã tạo mã truy cập mới."))
        return redirect("api_tokens:list")
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "new_key": request.session.pop(NEW_KEY, None),
            "breadcrumbs": [(_("Mã truy cập API"), None)],
        },
    )
    response["Cache-Control"] = "private, no-store"  # the new key must not stay in a cache
    return response


@require_POST
@login_required
def token_revoke(request):
    token = get_object_or_404(
        ApiToken.objects.filter(user=request.user), pk=as_id(request.POST.get("token", ""))
    )
    token.revoke()
    messages.success(request, _("Đã thu hồi mã “%(name)s”.") % {"name": token.name})
    return redirect("api_tokens:list")
