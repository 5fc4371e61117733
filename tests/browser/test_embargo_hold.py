"""Embargo and legal hold in a real browser (#15): an editor embargoes a draft and sees the
banner in the newsroom's time zone; Legal holds a live story and withdraws it in one step."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import SCREENSHOTS, axe_problems, axe_report, log_in
from tests.factories import (
    DraftArticleFactory,
    EditorFactory,
    LegalFactory,
    PublishedArticleFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def test_an_editor_embargoes_a_draft_and_sees_the_banner(live_server, browser):
    story = DraftArticleFactory(headline="Budget: what the minister will announce")
    editor = EditorFactory(username="amira", first_name="Amira", last_name="Haddad")
    embargo = timezone.localtime() + timedelta(days=1)
    context, page = log_in(browser, live_server, editor)
    page.goto(change_url(live_server, story))
    page.locator("#id_embargo_until_0").fill(embargo.strftime("%Y-%m-%d"))
    page.locator("#id_embargo_until_1").fill("14:00:00")
    page.get_by_role("button", name="Save and continue editing").click()

    banner = page.locator("#story-embargo")
    expect(banner).to_contain_text(f"Embargoed until {embargo.day} {embargo:%b %Y}, 14:00")
    zone = timezone.localtime(embargo.replace(hour=14, minute=0)).tzname()
    expect(banner).to_contain_text(f"14:00 {zone}, in the newsroom")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "embargo-banner.png", full_page=False)
    story.refresh_from_db()
    assert timezone.localtime(story.embargo_until).strftime("%H:%M") == "14:00"

    # Publishing now is refused, with the time and what to do.
    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("published because it is embargoed until")
    expect(page.locator(".messagelist")).to_contain_text("or later.")
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT

    # The story list says so too.
    page.goto(f"{live_server.url}/admin/articles/article/")
    expect(page.locator(".story-badge--embargo")).to_contain_text("Embargoed until")
    context.close()


def test_legal_holds_a_live_story_and_withdraws_it(live_server, browser):
    story = PublishedArticleFactory(headline="Court case: the witness speaks")
    address = f"{live_server.url}{story.get_absolute_url()}"
    legal = LegalFactory(username="lena", first_name="Lena", last_name="Legal")
    context, page = log_in(browser, live_server, legal)
    page.goto(change_url(live_server, story))
    # Legal reads the story; the form is read-only for them.
    expect(page.locator("#id_headline")).to_have_count(0)
    page.get_by_role("link", name="Place legal hold…").click()

    page.get_by_label("Why is it held?").fill("Names a witness the court protects.")
    page.get_by_label("If you withdraw it: what readers are told").fill(
        "This story has been removed while we review it."
    )
    page.get_by_role("button", name="Place hold and withdraw").click()

    expect(page.locator(".messagelist")).to_contain_text("Placed a legal hold")
    hold = page.locator("#story-hold")
    expect(hold).to_contain_text("Names a witness the court protects.")
    expect(hold).to_contain_text("placed by Lena Legal")
    expect(page.get_by_role("link", name="Lift legal hold…")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "legal-hold-banner.png", full_page=False)

    reader = browser.new_context().new_page()
    assert reader.goto(address).status == 410
    story.refresh_from_db()
    assert story.is_held() and story.status == Article.Status.WITHDRAWN
    context.close()


def test_the_embargo_and_hold_pages_have_no_axe_violations(live_server, browser):
    """The banners on the form, the badges in the list and on the desk, and Legal's pages."""

    from articles import services

    legal = LegalFactory(username="lena", first_name="Lena", last_name="Legal")
    live = PublishedArticleFactory(headline="A live story")
    story = DraftArticleFactory(
        headline="Held and embargoed", embargo_until=timezone.now() + timedelta(days=1)
    )
    services.article_hold(article=story, by=legal, reason="Names a witness.")
    admin = f"{live_server.url}/admin"
    pages = {
        legal: {
            "hold a live story": f"{admin}/articles/article/{live.pk}/hold/",
            "lift the hold": f"{admin}/articles/article/{story.pk}/hold/lift/",
            "the story as Legal reads it": f"{admin}/articles/article/{story.pk}/change/",
        },
        EditorFactory(username="amira"): {
            "desk": f"{admin}/",
            "story list": f"{admin}/articles/article/",
            "form with banners": f"{admin}/articles/article/{story.pk}/change/",
        },
    }
    problems = {}
    for user, urls in pages.items():
        context, page = log_in(browser, live_server, user)
        problems.update(axe_problems(page, urls))
        context.close()
    assert not problems, axe_report(problems)
