from django.urls import path

from . import views
from .views.health import healthcheck_add

urlpatterns = [
    path("", views.child_list, name="list"),
    path("them/", views.child_create, name="create"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/lich-su/", views.child_history, name="history"),
    path("<int:pk>/ai-da-xem/", views.child_viewers, name="viewers"),
    path("<int:pk>/sua/", views.child_edit, name="edit"),
    path("<int:pk>/nguy-co/", views.child_risk, name="risk"),
    path("<int:pk>/gop-ho-so/", views.child_merge_view, name="merge"),
    path("<int:pk>/lam-viec/them/", views.workrecord_add, name="workrecord_add"),
    path("<int:pk>/kham-suc-khoe/them/", healthcheck_add, name="healthcheck_add"),
    path("lam-viec/<int:pk>/", views.workrecord_detail, name="workrecord_detail"),
    path("lam-viec/<int:pk>/sua/", views.workrecord_edit, name="workrecord_edit"),
    path("lam-viec/<int:pk>/mo-ho-so/", views.workrecord_open_case, name="workrecord_open_case"),
    path("ra-soat/", views.screening, name="screening"),
    path("ra-soat/<int:pk>/", views.screening_record_view, name="screening_record"),
    # Transfers to another ward (issue 12.5).
    path("chuyen/", views.transfer_list, name="transfer_list"),
    path("<int:pk>/chuyen-di/", views.transfer_send_view, name="transfer_send"),
    path("chuyen/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("chuyen/<int:pk>/tiep-nhan/", views.transfer_decide, name="transfer_decide"),
]
