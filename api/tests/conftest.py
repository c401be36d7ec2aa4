import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import ApiToken


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_for():
    """An API client signed in with a new personal token of `user`."""

    def make(user, **kwargs):
        _token, key = ApiToken.issue(user=user, name="test", days=kwargs.pop("days", 30))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make
