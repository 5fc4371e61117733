import pytest

from tests.factories import EditorFactory, ReporterFactory


@pytest.fixture
def editor(client):
    """An editor, logged in on the test client."""
    user = EditorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def reporter(client):
    """A reporter, logged in on the test client."""
    user = ReporterFactory()
    client.force_login(user)
    return user
