import pytest

from tests.factories import UserFactory


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client
