from django.urls import path

from . import views, views_province

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tinh-lai/", views.recompute, name="recompute"),
    path("tinh-lai/trang-thai/", views.recompute_status, name="recompute_status"),
    path("chi-tiet/<str:code>/<str:part>/", views.drill, name="drill"),
    path("kinh-phi/", views.finance, name="finance"),
    path("kinh-phi/du-toan/", views.budget, name="budget"),
    path("bao-cao/", views.report_list, name="report_list"),
    path("bao-cao/tao/", views.report_create, name="report_create"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/trang-thai/", views.report_status, name="report_status"),
    path("bao-cao/<int:pk>/tao-lai/", views.report_regenerate, name="report_regenerate"),
    path("bao-cao/<int:pk>/noi-dung/", views.report_edit_text, name="report_edit_text"),
    path("bao-cao/<int:pk>/ban-hanh/", views.report_finalize, name="report_finalize"),
    path("bao-cao/<int:pk>/luu-tru/", views.report_archive, name="report_archive"),
    path("bao-cao/<int:pk>/tai-pdf/", views.report_download, name="report_download"),
    path("bao-cao/<int:pk>/excel/", views.report_excel, name="report_excel"),
    path(
        "bao-cao/<int:pk>/de-nghi-don-vi/",
        views.report_inputs_request,
        name="report_inputs_request",
    ),
    # The province (issue 12.3–12.4).
    path("tinh/", views_province.province_dashboard, name="province_dashboard"),
    path("tinh/chi-tieu/<str:code>/", views_province.province_kpi, name="province_kpi"),
    path("tinh/bao-cao/", views_province.province_report_list, name="province_report_list"),
    path("tinh/bao-cao/tao/", views_province.province_report_create, name="province_report_create"),
    path(
        "tinh/bao-cao/<int:pk>/",
        views_province.province_report_detail,
        name="province_report_detail",
    ),
    path(
        "tinh/bao-cao/<int:pk>/tao-lai/",
        views_province.province_report_regenerate,
        name="province_report_regenerate",
    ),
    path(
        "tinh/bao-cao/<int:pk>/ban-hanh/",
        views_province.province_report_finalize,
        name="province_report_finalize",
    ),
    path(
        "tinh/bao-cao/<int:pk>/tai-pdf/",
        views_province.province_report_download,
        name="province_report_download",
    ),
]
