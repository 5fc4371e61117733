"""A stand-in for the providers' oEmbed endpoints: no test reaches the network."""

import io
import json
import urllib.error


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FakeOpener:
    """Answers each request with `answers[endpoint prefix]` (a dict as JSON, bytes as they
    are, or an exception to raise), and records the addresses asked."""

    def __init__(self, answers=None):
        self.answers = answers or {}
        self.asked = []

    def open(self, request, timeout=None):
        self.asked.append(request.full_url)
        for prefix, answer in self.answers.items():
            if request.full_url.startswith(prefix):
                if isinstance(answer, BaseException):
                    raise answer
                body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                return FakeResponse(body)
        raise urllib.error.URLError("no network in tests")


def use(monkeypatch, answers=None) -> FakeOpener:
    """Every oEmbed request in this test goes to a FakeOpener with these answers."""
    opener = FakeOpener(answers)
    monkeypatch.setattr("embeds.oembed._opener", lambda: opener)
    return opener
