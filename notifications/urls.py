from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("chuong/", views.bell, name="bell"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("doc-het/", views.notification_read_all, name="read_all"),
    path("tuy-chon/", views.preferences, name="preferences"),
    path("lich/", views.month_calendar, name="calendar"),
    path("lich/tao/", views.feed_issue, name="feed_issue"),
    path("lich/thu-hoi/", views.feed_revoke, name="feed_revoke"),
    path("lich/<str:token>.ics", views.feed, name="feed"),
]
