"""axe-core finds no accessibility violations on the reader's pages (#5)."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from articles import services
from articles.models import Article, Breaking, LiveUpdate
from articles.previews import preview_url
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site():
    city = SectionFactory(name="City", description="Council, streets and neighbourhoods.")
    author = AuthorFactory(
        name="Ann Ames",
        job_title="City hall reporter",
        photo=make_image(jpeg((600, 600)), alt_text="Ann Ames", credit="Staff"),
    )
    story = PublishedArticleFactory(
        authors=[author],
        section=city,
        body='<h2>What happened</h2><p>Text with a <a href="/corrections/">link</a>.</p>'
        "<ul><li>One</li></ul><blockquote><p>A quote.</p></blockquote>",
        lead_image=make_image(
            jpeg((1600, 1000)), alt_text="The quay", caption="The quay.", credit="Jo Bloggs"
        ),
    )
    story.tags.add("trams")
    PublishedArticleFactory.create_batch(3, section=city, authors=[author])
    # Enough for a second front page (20 a page).
    PublishedArticleFactory.create_batch(18)
    # A story taken down: the corrections page says when and why; its address says it's gone.
    gone = PublishedArticleFactory(authors=[author], section=city)
    services.article_withdraw(article=gone, by=services.SYSTEM, reason="It named the wrong man.")
    # The breaking-news banner under the masthead of every page (#18), with its link.
    now = timezone.now()
    Breaking.objects.create(
        text="Storm closes the harbour bridge",
        link="/corrections/",
        starts_at=now - timedelta(minutes=1),
        expires_at=now + timedelta(hours=2),
    )
    # A live blog (#18): its badge, key events and updates with bylines, and one ended.
    blog = PublishedArticleFactory(authors=[author], section=city, live=Article.Live.LIVE)
    for minutes, fields in enumerate([{"title": "Bridge closed", "key_event": True}, {}]):
        update = LiveUpdate.objects.create(
            article=blog,
            posted_at=now - timedelta(minutes=30 - minutes),
            body="<p>The wind is rising.</p>",
            **fields,
        )
        update.authors.set([author])
    ended = PublishedArticleFactory(section=city, live=Article.Live.ENDED)
    LiveUpdate.objects.create(article=ended, body="<p>All clear.</p>")
    return {"story": story, "author": author, "gone": gone, "blog": blog, "ended": ended}


def test_reader_pages_have_no_axe_violations(live_server, browser, site):
    """Every public page type, at two widths, in the light and the dark colour scheme (#16):
    the reader's system setting chooses, and contrast must hold in both."""
    day = site["story"].publication_date
    link = services.preview_link_create(article=DraftArticleFactory(), by=EditorFactory())
    pages = {
        "front": "/",
        "front page 2": "/?page=2",
        "article": site["story"].get_absolute_url(),
        "author": site["author"].get_absolute_url(),
        "section": "/sections/city/",
        "tag": "/tags/trams/",
        "archive": f"/{day:%Y}/",
        "archive month": f"/{day:%Y/%m}/",
        "archive day": f"/{day:%Y/%m/%d}/",
        "corrections": "/corrections/",
        "withdrawn": site["gone"].get_absolute_url(),
        "search results": "/search/?q=quote",
        "empty search": "/search/",
        "no results": "/search/?q=zzzzzz",
        "not found": "/no/such/page/",
        "preview": preview_url(link),
        "live blog": site["blog"].get_absolute_url(),
        "ended live blog": site["ended"].get_absolute_url(),
    }
    axe = Axe()
    context = browser.new_context()
    page = context.new_page()
    problems = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, path in pages.items():
            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(live_server.url + path)
                assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches"), (
                    scheme
                )
                results = axe.run(page)
                if results.violations_count:
                    problems[f"{name} at {width}px, {scheme}"] = results.generate_report()
    page.emulate_media(color_scheme="light")
    # Keyboard users: the first Tab shows the skip link, which takes them to the content.
    page.goto(live_server.url + pages["article"])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    context.close()
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_the_pages_of_a_storys_life_have_no_axe_violations(live_server, browser, site):
    """The admin pages #12 added: the desk's lists, comparing revisions word by word, the
    confirmations before withdrawing and restoring, and a refused stale save."""
    from tests.browser.helpers import log_in
    from tests.factories import EditorFactory

    story = site["story"]
    editor = EditorFactory(first_name="Eve", last_name="Ellis")
    older = services.revision_record(article=story, by=editor, comment="Before")
    services.article_save(
        article=story, by=editor, changes={"headline": "A new headline"}, stage=True
    )
    newer = story.revisions.first()
    base = f"{live_server.url}/admin/articles/article/{story.pk}"
    pages = {
        "desk": f"{live_server.url}/admin/",
        "compare": f"{base}/revisions/compare/?a={older.pk}&b={newer.pk}",
        "restore": f"{base}/revisions/{older.pk}/restore/",
        "withdraw": f"{base}/withdraw/",
        "preview of changes": f"{base}/preview/",
    }
    axe = Axe()
    context, page = log_in(browser, live_server, editor)
    problems = {}
    for name, url in pages.items():
        page.goto(url)
        results = axe.run(page)
        if results.violations_count:
            problems[name] = results.generate_report()
    context.close()
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


@pytest.mark.parametrize("width", [1280, 390])
def test_the_editors_pages_have_no_axe_violations(live_server, browser, site, width):
    """The desk, the story list, the add and change forms (autocomplete fields, the rich
    editor, date and time boxes), the revisions page, the image library and the front-page
    slots (#14). Before: unnamed select2 controls and editor, unlabeled schedule boxes,
    breadcrumbs told apart by colour alone."""
    from articles.models import FrontPageSlot
    from tests.browser.helpers import axe_problems, log_in
    from tests.factories import EditorFactory

    story = site["story"]
    FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=story)
    admin = f"{live_server.url}/admin"
    pages = {
        "desk": f"{admin}/",
        "story list": f"{admin}/articles/article/",
        "add form": f"{admin}/articles/article/add/",
        "change form": f"{admin}/articles/article/{story.pk}/change/",
        "revisions": f"{admin}/articles/article/{story.pk}/revisions/",
        "image library": f"{admin}/images/image/",
        "front page slots": f"{admin}/articles/frontpageslot/",
    }
    context, page = log_in(browser, live_server, EditorFactory())
    problems = axe_problems(page, pages, width)
    context.close()
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


@pytest.mark.parametrize("width", [1280, 390])
def test_the_picture_library_and_chooser_have_no_axe_violations(live_server, browser, site, width):
    """The library's grid, a picture's page (focal point, crops, where it is used), its add
    form, and the chooser dialog over the story form, at both ends of the screen sizes (#14)."""
    from tests.browser.helpers import axe_problems, log_in
    from tests.factories import EditorFactory

    story = site["story"]
    picture = story.lead_image
    admin = f"{live_server.url}/admin"
    pages = {
        "library": f"{admin}/images/image/",
        "library search": f"{admin}/images/image/?q=quay",
        "picture": f"{admin}/images/image/{picture.pk}/change/",
        "add picture": f"{admin}/images/image/add/",
    }
    axe = Axe()
    context, page = log_in(browser, live_server, EditorFactory())
    problems = axe_problems(page, pages, width)
    page.goto(f"{admin}/articles/article/{story.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    page.get_by_role("button", name="Choose from the library").click()
    dialog = page.get_by_role("dialog", name="Choose a picture")
    expect(dialog.locator(".image-chooser__grid button")).not_to_have_count(0)
    for name in ("chooser", "upload dialog"):
        if name == "upload dialog":
            dialog.get_by_role("button", name="Upload a new picture").click()
            expect(page.get_by_label("Alt text (required)")).to_be_visible()
        results = axe.run(page, context="dialog")
        if results.violations_count:
            problems[name] = results.generate_report()
    context.close()
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
