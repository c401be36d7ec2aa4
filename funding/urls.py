from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("du-toan/", views.estimate_list, name="estimate_list"),
    path("du-toan/them/", views.estimate_edit, name="estimate_create"),
    path("du-toan/<int:pk>/sua/", views.estimate_edit, name="estimate_edit"),
]
