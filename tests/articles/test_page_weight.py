"""A story page stays light (#5): HTML + CSS + fonts + scripts under 50 kB before images, and
no script but the small first-party one behind the "Copy link" button (#16)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from articles.text import paragraphs_to_html
from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "In a significant move aimed at addressing the global fentanyl crisis, the administration "
    "has lifted sanctions on a research institute, hoping the gesture fosters cooperation "
    "between the two countries in combatting the illicit production of the drug. " * 2
)


def test_a_long_story_page_weighs_under_50_kb_before_images(client):
    story = PublishedArticleFactory(
        body=paragraphs_to_html([PARAGRAPH] * 12),
        authors=[AuthorFactory(), AuthorFactory()],
        section=SectionFactory(name="World"),
    )
    story.tags.add("fentanyl", "China", "public health")
    PublishedArticleFactory.create_batch(4, section=story.section)
    html = client.get(story.get_absolute_url()).content.decode()

    stylesheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)">', html)
    assert stylesheets
    css = [Path(finders.find(path)).read_bytes() for path in stylesheets]
    scripts = re.findall(r"<script[^>]*>", html.replace('<script type="application/ld+json">', ""))
    assert scripts == ['<script src="/static/js/share.js" defer>']
    js = Path(finders.find("js/share.js")).read_bytes()
    weight = len(html.encode()) + sum(map(len, css)) + len(js)
    assert weight < 50_000, weight
    # System fonts only: no web font to download.
    assert not re.search(rb"@font-face|\.woff2?|\.ttf|\.otf", b"".join(css))
