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
    # Agency inputs to the periodic report, good practices.
    path("bao-cao-co-quan/", views.input_list, name="input_list"),
    path("bao-cao-co-quan/<int:pk>/", views.input_detail, name="input_detail"),
    path("bao-cao-co-quan/<int:pk>/gui/", views.input_submit, name="input_submit"),
    path("mo-hinh/", views.practice_list, name="practice_list"),
    path("mo-hinh/them/", views.practice_edit, name="practice_create"),
    path("mo-hinh/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("mo-hinh/<int:pk>/sua/", views.practice_edit, name="practice_edit"),
    path("mo-hinh/<int:pk>/dinh-kem/", views.practice_attach, name="practice_attach"),
    path("mo-hinh/tep/<int:pk>/", views.practice_file, name="practice_file"),
]
