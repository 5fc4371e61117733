import pytest

from tests.embeds import fakes


@pytest.fixture(autouse=True)
def oembed(monkeypatch):
    """No test reaches a provider: each oEmbed request goes to a fake opener."""
    return fakes.use(monkeypatch)
