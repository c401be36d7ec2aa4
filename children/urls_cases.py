from django.urls import path

from . import views as v

urlpatterns = [
    path("phan-anh/", v.intake_list, name="intake_list"),
    path("phan-anh/moi/", v.intake_create, name="intake_create"),
    path("phan-anh/<int:pk>/", v.intake_detail, name="intake_detail"),
    path("phan-anh/<int:pk>/sua/", v.intake_edit, name="intake_edit"),
    path("phan-anh/<int:pk>/xu-ly/", v.intake_triage, name="intake_triage"),
    path("gui-phan-anh/", v.public_tip, name="public_tip"),
    path("tra-cuu-phan-anh/", v.public_tip_status, name="public_tip_status"),
    path("ho-so/", v.case_list, name="case_list"),
    path("ho-so/mo/", v.case_open_view, name="case_open"),
    path("ho-so/<int:pk>/", v.case_detail, name="case_detail"),
    path("ho-so/<int:pk>/danh-gia/", v.case_assess, name="case_assess"),
    path("ho-so/<int:pk>/ke-hoach/", v.case_plan, name="case_plan"),
    path("ho-so/<int:pk>/ket-thuc/", v.case_close, name="case_close"),
    path("ho-so/<int:pk>/buoc/", v.case_step, name="case_step"),
    path("ho-so/<int:pk>/chuyen-gui/", v.referral_create, name="referral_create"),
    path("ho-so/<int:pk>/theo-doi/", v.followup_create, name="followup_create"),
    path("ho-so/<int:pk>/phieu.pdf", v.case_sheet, name="case_sheet"),
    path("chuyen-gui/<int:pk>/xong/", v.referral_close, name="referral_close"),
    path("ho-tro/moi/", v.support_create, name="support_create"),
    path("hoat-dong/<int:pk>/xong/", v.plan_action_done, name="plan_action_done"),
    path("viec-can-lam/", v.tasks, name="tasks"),
    path("tai-lieu/tai-len/", v.attachment_upload, name="attachment_upload"),
    path("tai-lieu/<int:pk>/", v.attachment_download, name="attachment_download"),
]
