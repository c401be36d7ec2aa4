from django.urls import path

from . import views

app_name = "coordination"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("them/", views.meeting_edit, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/sua/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/bien-ban.pdf", views.meeting_minutes_pdf, name="meeting_pdf"),
    path("<int:pk>/bien-ban-da-ky/", views.meeting_signed, name="meeting_signed"),
    path("<int:pk>/giao-viec/", views.action_add, name="action_add"),
    path("viec/<int:pk>/xong/", views.action_done, name="action_done"),
]
