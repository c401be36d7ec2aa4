from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm

handler403 = "dongnguyen.views.error_403"
handler404 = "dongnguyen.views.error_404"
handler500 = "dongnguyen.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]

# App URLs: each app that has a urls.py is mounted under its prefix.
for prefix, module in [
    ("ho-gia-dinh/", "households.urls"),
    ("tre-em/", "children.urls"),
    ("kiem-tra/", "inspections.urls"),
    ("tuyen-truyen/", "outreach.urls"),
    ("chi-tieu/", "reports.urls"),
    ("nhap-du-lieu/", "imports.urls"),
]:
    try:
        urlpatterns.append(path(prefix, include(module)))
    except ModuleNotFoundError as exc:
        if exc.name not in (module, module.split(".")[0]):
            raise
# Media (attachments, report PDFs) is never served directly: views check scope, log the
# download and send it as an attachment.
