from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("them/", views.session_edit, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/sua/", views.session_edit, name="session_edit"),
    path("chon-ho/", views.household_picker, name="household_picker"),
    path("chon-nguoi-cham-soc/", views.caregiver_picker, name="caregiver_picker"),
    path("chon-co-so/", views.business_picker, name="business_picker"),
    path("bao-phu/", views.coverage_view, name="coverage"),
    path("bao-phu/<int:pk>/", views.coverage_group, name="coverage_group"),
    path("tap-huan/", views.training_list, name="training_list"),
    path("tap-huan/them/", views.training_edit, name="training_create"),
    path("tap-huan/<int:pk>/", views.training_detail, name="training_detail"),
    path("tap-huan/<int:pk>/sua/", views.training_edit, name="training_edit"),
    path("tap-huan/chua-tap-huan/", views.untrained, name="untrained"),
    path("tai-lieu/", views.material_list, name="material_list"),
    path("tai-lieu/them/", views.material_create, name="material_create"),
]
