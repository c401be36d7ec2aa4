from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("hoc-sinh/them/", views.enrol, name="enrol"),
    path("<int:pk>/lop/<str:class_name>/", views.class_attendance, name="class_attendance"),
    path("canh-bao/", views.warning_list, name="warnings"),
    path("canh-bao/<int:pk>/", views.warning_contact, name="warning_contact"),
]
