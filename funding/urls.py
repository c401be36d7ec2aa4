from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("du-toan/", views.estimate_list, name="estimate_list"),
    path("du-toan/them/", views.estimate_edit, name="estimate_create"),
    path("du-toan/<int:pk>/sua/", views.estimate_edit, name="estimate_edit"),
    path("tai-tro/", views.donation_list, name="donation_list"),
    path("tai-tro/them/", views.donation_edit, name="donation_create"),
    path("tai-tro/<int:pk>/", views.donation_detail, name="donation_detail"),
    path("tai-tro/<int:pk>/sua/", views.donation_edit, name="donation_edit"),
    path("nha-tai-tro/them/", views.donor_create, name="donor_create"),
]
