from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("tai-len/", views.upload, name="upload"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/tien-do/", views.job_progress, name="progress"),
    path("<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("<int:pk>/thu-lai/", views.retry, name="retry"),
    path("mau/<str:kind>.xlsx", views.template_download, name="template"),
    path("chuyen-can-truong/", views.school_attendance, name="school_attendance"),
    path(
        "chuyen-can-truong/mau.xlsx",
        views.school_attendance_template,
        name="school_attendance_template",
    ),
    path("xuat/ho-gia-dinh/", views.export_households, name="export_households"),
    path("xuat/tre-em/", views.export_children, name="export_children"),
    path("xuat/co-so/", views.export_businesses, name="export_businesses"),
    path("xuat/tong-hop/", views.export_aggregates, name="export_aggregates"),
]
