from django.urls import path

from . import web

app_name = "api_tokens"
urlpatterns = [
    path("", web.token_list, name="list"),
    path("thu-hoi/", web.token_revoke, name="revoke"),
]
