"""The site's root URLconf: the home page, the core's URLs and every app under its prefix."""

from django.urls import include, path

from . import offline, views

handler403 = "dongnguyen.views.error_403"
handler404 = "dongnguyen.views.error_404"
handler500 = "dongnguyen.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("tro-giup/", views.help_index, name="help"),
    path("tro-giup/<slug:slug>/", views.help_page, name="help_page"),
    path("tro-giup/anh/<str:name>", views.help_image, name="help_image"),
    path("", include("dongnguyen.urls")),
    path("ho-gia-dinh/", include("households.urls")),
    path("tre-em/", include("children.urls")),
    path("kiem-tra/", include("inspections.urls")),
    path("tuyen-truyen/", include("outreach.urls")),
    path("truong-hoc/", include("schools.urls")),
    path("chi-tieu/", include("reports.urls")),
    path("nhap-du-lieu/", include("imports.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    path("ngoai-tuyen/", offline.app, name="offline_app"),
    path("ngoai-tuyen/phien/", offline.token, name="offline_token"),
    path("ngoai-tuyen/viec-can-lam/", offline.due, name="offline_due"),
    path("dong-bo-ngoai-tuyen/", offline.changes, name="offline_changes"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("ma-truy-cap-api/", include("api.web_urls")),
    path("phoi-hop/", include("coordination.urls")),
    path("kinh-phi/", include("funding.urls")),
]
