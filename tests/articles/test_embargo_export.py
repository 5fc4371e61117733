"""A restored site keeps its embargoes and legal holds (#15).

They travel with the site export on purpose: a backup restored without them would put an
embargoed story live at once, or free a story Legal holds. The plain-text story importer
(articles/importing.py) has no line for either, and makes new stories only: an embargo is set
in the story form after the import.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import LegalFactory, PublishedArticleFactory
from tests.test_export_import import empty_the_site, run


@pytest.mark.django_db(transaction=True)
def test_embargo_and_hold_come_back_with_the_site(settings, tmp_path, client):
    embargo = (timezone.now() + timedelta(hours=3)).replace(microsecond=0)
    embargoed = PublishedArticleFactory(headline="Budget under embargo", embargo_until=embargo)
    held = PublishedArticleFactory(headline="Held story")
    services.article_hold(article=held, by=LegalFactory(), reason="Names a witness.")
    export = tmp_path / "backup"
    run("export_site", str(export))
    empty_the_site(settings)
    run("import_site", str(export))

    embargoed = Article.objects.get(headline="Budget under embargo")
    assert embargoed.embargo_until == embargo and not embargoed.is_published()
    assert "Budget under embargo" not in client.get("/").content.decode()
    held = Article.objects.get(headline="Held story")
    assert held.is_held() and held.hold_reason == "Names a witness."
    assert held.held_by.username.startswith("user")
