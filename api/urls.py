"""/api/v1/: the router, the OpenAPI schema and its browsable docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("groups", views.ResidentialGroupViewSet, basename="group")
router.register("caregivers", views.CaregiverViewSet, basename="caregiver")
router.register("screenings", views.ScreeningViewSet, basename="screening")
router.register("supports", views.SupportViewSet, basename="support")
router.register("follow-ups", views.FollowUpViewSet, basename="followup")
router.register("violations", views.ViolationViewSet, basename="violation")
router.register("trainings", views.TrainingViewSet, basename="training")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("children", views.ChildViewSet, basename="child")
router.register("work-records", views.WorkRecordViewSet, basename="workrecord")
router.register("intake-reports", views.IntakeReportViewSet, basename="intake")
router.register("cases", views.CaseViewSet, basename="case")
router.register("businesses", views.BusinessViewSet, basename="business")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("sessions", views.OutreachSessionViewSet, basename="session")
router.register("kpis", views.KpiViewSet, basename="kpi")
router.register("reports", views.ReportViewSet, basename="report")
router.register("tokens", views.TokenViewSet, basename="token")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        views.SwaggerView.as_view(url_name="api:schema", url_self="/api/v1/docs/"),
        name="docs",
    ),
    path("", include(router.urls)),
]
