from django.urls import path

from . import screening, views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("them/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/sua/", views.household_edit, name="edit"),
    path("<int:pk>/nguoi-cham-soc/them/", views.caregiver_add, name="caregiver_add"),
    path("nguoi-cham-soc/<int:pk>/sua/", views.caregiver_edit, name="caregiver_edit"),
    path("ra-soat/", screening.household_screening, name="screening"),
    path("<int:pk>/ra-soat/", screening.household_screen_view, name="screen"),
    path("nguoi-cham-soc/<int:pk>/xoa/", views.caregiver_remove, name="caregiver_remove"),
]
