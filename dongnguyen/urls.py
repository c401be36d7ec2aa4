"""The core's own URLs: sign-in, password, language, admin, health check. The site's root
URLconf, which mounts these and every app, is portal/urls.py."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import two_factor, views
from .forms import LoginForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "dang-nhap/",
        two_factor.WardLoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    # Two-factor sign-in (dongnguyen/two_factor.py): the code step, the account's page.
    path("dang-nhap/ma-xac-thuc/", two_factor.login_code, name="login_code"),
    path("tai-khoan/xac-thuc-hai-buoc/", two_factor.two_factor, name="two_factor"),
    path(
        "tai-khoan/xac-thuc-hai-buoc/tat/",
        two_factor.two_factor_disable,
        name="two_factor_disable",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("nhat-ky-truy-cap/", views.access_log_search, name="access_log"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
