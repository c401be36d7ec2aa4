from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from dongnguyen.middleware import AnonymousBodyLimitMiddleware

        from .auth import token_user

        # A call signed with a personal token is not anonymous: the 64 KB limit is not its.
        if token_user not in AnonymousBodyLimitMiddleware.authenticators:
            AnonymousBodyLimitMiddleware.authenticators.append(token_user)
