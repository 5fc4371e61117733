"""Every public page type is valid HTML to the Nu HTML Checker (#16), as is the admin's login.

The pages are rendered with the test client and checked by one run of the checker (vnu.jar
from the `vnu-jar` npm package; Java takes seconds to start). Errors fail the test; warnings
are printed. `.ci/run` and `make validate` install the checker into var/vnu; VNU_JAR names
another jar. Without Java or the jar the test skips, except in CI (CI=true), where it fails.
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles import services
from articles.models import Article, Breaking, FrontPageSlot, LiveUpdate
from articles.previews import preview_url
from embeds.models import OEmbedAnswer
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.validator]

# Where `make validate` and .ci/run install the pinned vnu-jar (`npm install --prefix var/vnu`).
INSTALLED_JAR = Path(settings.BASE_DIR) / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
# A page with the error the checker once found on every page (#16): it must be reported, or
# the checker is not checking.
CONTROL = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Control</title></head>'
    '<body><time datetime="2026-07-01T08:34:12.748174+00:00">1 July</time></body></html>'
)


def checker():
    """The command that runs the checker, or a skip (a failure in CI) saying what's missing."""
    jar = Path(os.environ.get("VNU_JAR") or INSTALLED_JAR)
    java = shutil.which("java")
    missing = [
        *([] if java else ["java (Debian: default-jre-headless)"]),
        *([] if jar.is_file() else [f"the Nu HTML Checker at {jar} (make validate installs it)"]),
    ]
    if missing:
        reason = "Missing: " + " and ".join(missing) + "."
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: the HTML checker must run in CI. {reason}")
        pytest.skip(reason)
    return [java, "-Xss4m", "-jar", str(jar), "--format", "json", "--exit-zero-always"]


def a_site():
    """A small site with one of everything a public page can show. Returns the addresses of
    every public page type, by name, with the status each must answer."""
    editor = EditorFactory()
    section = SectionFactory(name="City")
    author = AuthorFactory(name="Ada Lovelace", job_title="City reporter", bio="Writes on trams.")
    lead = make_image(jpeg((1600, 1000)), alt_text="The quay at dawn", credit="Jo Bloggs")
    figure = make_image(jpeg((1200, 800)), alt_text="Cranes", credit="Ana Díaz")
    OEmbedAnswer.objects.create(
        url=VIDEO, provider="youtube", is_ok=True, fetched_at=timezone.now(), title="Trams"
    )
    body = (
        "<p>The harbour bridge reopened on Monday after <strong>two years</strong>.</p>"
        f'<figure data-image="{figure.pk}"><img src="/x.jpg" alt="">'
        "<figcaption>Cranes at dawn</figcaption></figure>"
        "<h2>What changes</h2><ul><li>Trams</li><li>Bicycles</li></ul>"
        f'<figure data-embed="{VIDEO}"><a href="{VIDEO}">{VIDEO}</a></figure>'
        "<table><thead><tr><th>Line</th><th>Minutes</th></tr></thead>"
        "<tbody><tr><td>1</td><td>12</td></tr></tbody></table>"
        "<blockquote><p>It is a good day.</p></blockquote>"
    )
    now = timezone.now()
    story = PublishedArticleFactory(
        headline="Harbour bridge reopens",
        standfirst="Trams cross again.",
        section=section,
        authors=[author, AuthorFactory(name="Bo Berg")],
        lead_image=lead,
        body=body,
        published_at=now - timedelta(days=1),
    )
    story.tags.add("harbour")
    services.article_correct(
        article=story, by=editor, kind="correction", text="The bridge is 2 km long."
    )
    others = [
        PublishedArticleFactory(section=section, published_at=now - timedelta(days=1, hours=n))
        for n in range(1, 24)
    ]
    FrontPageSlot.objects.create(slot=0, article=story)
    Breaking.objects.create(
        text="Storm closes the bridge",
        link=story.get_absolute_url(),
        starts_at=now - timedelta(minutes=1),
        expires_at=now + timedelta(hours=2),
    )
    gone = others[-1]
    services.article_withdraw(article=gone, by=editor, reason="Legal advice.")
    link = services.preview_link_create(article=DraftArticleFactory(), by=editor)
    # A live blog (#18): its state, key events, updates with bylines and a picture.
    blog = PublishedArticleFactory(
        headline="Storm hits the coast", section=section, live=Article.Live.LIVE
    )
    for minutes, fields in enumerate(
        [
            {"title": "Bridge closed", "key_event": True},
            {"body": f'<p>Cranes down.</p><figure data-image="{figure.pk}"></figure>'},
        ]
    ):
        update = LiveUpdate.objects.create(
            article=blog,
            posted_at=now - timedelta(minutes=30 - minutes),
            **{"body": "<p>The wind is rising.</p>", **fields},
        )
        update.authors.set([author])
    day = story.publication_date
    return {
        "front": ("/", 200),
        "front-page-2": ("/?page=2", 200),
        "story": (story.get_absolute_url(), 200),
        "section": (section.get_absolute_url(), 200),
        "tag": (story.tags.get().get_absolute_url(), 200),
        "author": (author.get_absolute_url(), 200),
        "archive-year": (f"/{day:%Y}/", 200),
        "archive-month": (f"/{day:%Y/%m}/", 200),
        "archive-day": (f"/{day:%Y/%m/%d}/", 200),
        "search": ("/search/?q=harbour", 200),
        "search-empty": ("/search/?q=zzzzzz", 200),
        "search-form": ("/search/", 200),
        "corrections": ("/corrections/", 200),
        "not-found": ("/no-such-page/", 404),
        "withdrawn": (gone.get_absolute_url(), 410),
        "preview": (preview_url(link), 200),
        "live-blog": (blog.get_absolute_url(), 200),
        "admin-login": ("/admin/login/", 200),
    }


def check(command, folder):
    """Runs the checker once over every .html file in `folder`: its messages by file name."""
    files = sorted(folder.glob("*.html"))
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=300, check=False
    )
    # The JSON report is on stderr.
    report = json.loads(result.stderr)
    messages = {path.name: [] for path in files}
    for message in report["messages"]:
        messages[Path(message.get("url", "")).name].append(message)
    return messages


def describe(message):
    where = f"line {message.get('lastLine', '?')}"
    extract = " ".join(message.get("extract", "").split())
    return f"{where}: {message['message']} [{extract}]"


def test_every_public_page_type_is_valid_html(client, tmp_path):
    command = checker()
    for name, (path, status) in a_site().items():
        response = client.get(path)
        assert response.status_code == status, (name, path)
        (tmp_path / f"{name}.html").write_bytes(response.content)
    story = (tmp_path / "story.html").read_text()
    # The story shows every block it was given (a lead picture, a figure, an embed, a note).
    for shown in ('class="story-figure"', 'class="embed', "The quay at dawn", "2 km long"):
        assert shown in story, shown
    assert "Harbour bridge reopens" in (tmp_path / "search.html").read_text()
    blog = (tmp_path / "live-blog.html").read_text()
    for shown in ('class="live-update', "Key events", 'class="story-figure"'):
        assert shown in blog, shown
    (tmp_path / "control.html").write_text(CONTROL, encoding="utf-8")
    messages = check(command, tmp_path)
    control = messages.pop("control.html")
    assert any(m["type"] == "error" and "datetime" in m["message"] for m in control), control
    errors, warnings = [], []
    for name, found in messages.items():
        for message in found:
            kind = message.get("subType", message["type"])
            line = f"{name}: {describe(message)}"
            (warnings if kind == "warning" or message["type"] == "info" else errors).append(line)
    if warnings:
        print("Nu HTML Checker warnings:", *warnings, sep="\n  ")  # noqa: T201
    assert not errors, "\n".join(errors)
