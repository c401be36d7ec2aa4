from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("co-so/", views.business_list, name="business_list"),
    path("co-so/them/", views.business_edit, name="business_create"),
    path("co-so/<int:pk>/", views.business_detail, name="business_detail"),
    path("co-so/<int:pk>/sua/", views.business_edit, name="business_edit"),
    path("co-so/<int:pk>/cam-ket/", views.business_commitment, name="business_commitment"),
    path("co-so/ra-soat/", views.business_screening, name="business_screening"),
    path("co-so/<int:pk>/ra-soat/", views.business_screen, name="business_screen"),
    path("cam-ket/", views.commitment_list, name="commitment_list"),
    path("cam-ket/ho-gia-dinh/", views.household_commitment, name="household_commitment"),
    path("cam-ket/tim-ho/", views.household_search, name="household_search"),
    path("cam-ket/<int:pk>/in/", views.commitment_pdf, name="commitment_pdf"),
    path("", views.inspection_list, name="inspection_list"),
    path("ke-hoach/", views.inspection_plan, name="inspection_plan"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/ket-qua/", views.inspection_record, name="inspection_record"),
    path("<int:pk>/huy/", views.inspection_cancel, name="inspection_cancel"),
    path("<int:pk>/tre-em/", views.minor_add, name="minor_add"),
    path("<int:pk>/tim-tre/", views.child_search, name="child_search"),
    path("<int:pk>/vi-pham/", views.violation_add, name="violation_add"),
    path("vi-pham/", views.violation_list, name="violation_list"),
    path("vi-pham/<int:pk>/", views.violation_edit, name="violation_edit"),
]
