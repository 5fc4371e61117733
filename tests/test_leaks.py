"""No unpublished story leaks (#7): one matrix of states × public surfaces.

For each state a story is in when readers must not see it (a draft, a story in review, a
scheduled story, an embargoed one, a withdrawn story, one Legal held and withdrew (#15), a story
deleted for good and one in the trash), the site
holds that hidden story and a live control story sharing its section, tag and author, so every
listing page exists and shows something. The hidden story has words of its own in its headline,
standfirst, body, slug, tag, lead image (caption, alt text, file) and correction; each surface
must show none of them, while the control story does show (so each check can fail).

The hidden story is a live blog (#18) with updates of its own words: they show nowhere
either, not on its poll, its feed, nor the API's list of its updates.

Its own address, old addresses, tag and search answer exactly as for something that never
existed (the same status and the same page, the address swapped), so a visitor can't tell an
unpublished story from a mistyped address; only a withdrawn story answers 410 Gone.

Pictures: pages only ever name rendition and original files of pictures they show (checked
here on every surface). The files themselves are served by the web server or the bucket, not
by the app: rendition names carry the picture's number and a signature derived from the
file's SHA-256, so they can't be guessed; an original keeps the name it was uploaded under.
"""

import datetime
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from api.models import ApiToken
from articles import services
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleRedirect,
    Correction,
    FrontPageSlot,
    LiveUpdate,
    PreviewLink,
    Section,
    Tag,
)
from articles.previews import SALT, preview_url
from authors.models import Author
from notifications.services import note_add
from pages.models import Page
from tests.factories import (
    AuthorFactory,
    EditorFactory,
    LegalFactory,
    PublishedArticleFactory,
    ReporterFactory,
    SectionFactory,
)
from tests.images.samples import jpeg, make_image
from tests.public_pages import public_routes

pytestmark = pytest.mark.django_db

# An embargoed story (#15) is published with a time already past, and an embargo still to come:
# the sharpest case, which only the embargo keeps off the site. A held-then-withdrawn one was
# withdrawn by Legal with its hold, whose reason (internal, with the hidden word) never shows.
STATES = [
    "draft",
    "review",
    "scheduled",
    "embargoed",
    "withdrawn",
    "held-withdrawn",
    "deleted",
    "trashed",
]
GONE = {"withdrawn", "held-withdrawn"}
# Noon on the newsroom's clock: the hidden stories' times fall on the control story's day.
NOON = datetime.time(12)
DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def clock():
    moment = timezone.make_aware(
        datetime.datetime.combine(DAY, NOON), timezone.get_default_timezone()
    )
    with time_machine.travel(moment, tick=False):
        yield moment


@dataclass
class Site:
    state: str
    editor: object
    control: Article
    hidden: Article
    section: Section
    tag: Tag
    author: Author
    # What only the hidden story has: none of it may appear on a public page.
    secrets: list[str] = field(default_factory=list)
    address: str = ""  # the hidden story's address, as it was or would be
    old_address: str = ""  # an address it had before its slug changed
    slug: str = ""
    word: str = ""
    tag_slug: str = ""
    preview_token: str = ""  # of a link shared before the story was hidden
    hidden_pk: int = 0  # the hidden story's id, kept after it is deleted


def _picture(name):
    return make_image(jpeg((96, 64)), name=f"{name}.jpg", alt_text=f"{name}alt", caption=name)


def build(state, editor) -> Site:
    word = "hush" + state  # one word to the search engines: letters only
    section = SectionFactory(name="Harbour", slug="harbour")
    author = AuthorFactory(name="Ada Lovelace", slug="ada-lovelace")
    control = PublishedArticleFactory(
        headline="Harbour ferry ctrlword returns",
        slug="control-story",
        standfirst="Harbour ctrlword news.",
        section=section,
        authors=[author],
        lead_image=_picture("ctrlpicture"),
        published_at=timezone.now() - timedelta(hours=1),
    )
    control.tags.add("port")
    services.article_correct(article=control, by=editor, kind="correction", text="ctrlnote")
    image = _picture(f"{word}picture")
    hour = timedelta(hours=3 if state == "scheduled" else -2)
    hidden = PublishedArticleFactory(
        headline=f"Harbour {word} plans",
        slug=f"{word}-story",
        standfirst=f"Harbour {word}stand news.",
        body=f"<p>Harbour {word}body text.</p>",
        section=section,
        authors=[author],
        lead_image=image,
        published_at=timezone.now() + hour,
        live=Article.Live.LIVE,
    )
    hidden.tags.add("port", f"{word}tag")
    # A live blog (#18): its updates, one a key event, are as secret as its body.
    for minutes, title in ((20, f"{word}keyevent"), (5, "")):
        LiveUpdate.objects.create(
            article=hidden,
            title=title,
            key_event=bool(title),
            body=f"<p>Harbour {word}update text.</p>",
            posted_at=timezone.now() - timedelta(minutes=minutes),
            created_by=editor,
        )
    # While it was live: a correction, an old address, a pin on the front page, a preview
    # link shared.
    Correction.objects.create(article=hidden, text=f"{word}note", created_by=editor)
    old_address = f"/2026/01/05/{word}-old/"
    ArticleRedirect.objects.create(old_path=old_address, article=hidden)
    FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=hidden)
    link = services.preview_link_create(article=hidden, by=editor)
    # The newsroom's internal notes (#15), on the hidden story and on the live one: no public
    # surface shows either, and a preview link shows the story without them.
    note_add(article=hidden, by=editor, text=f"Legal says wait: {state}threadsecret")
    note_add(article=control, by=editor, text="The source asked not to be named: ctrlthreadsecret")
    site = Site(
        state=state,
        editor=editor,
        control=control,
        hidden=hidden,
        section=section,
        tag=Tag.objects.get(name="port"),
        author=author,
        secrets=[
            word,  # headline, standfirst, body, tag, correction, picture caption, alt, file
            "threadsecret",  # the notes of both stories
            hidden.slug,
            f"/renditions/{image.pk}/",
            image.file.url,
            *(rendition.file.url for rendition in image.renditions.all()),
        ],
        address=f"/{DAY:%Y/%m/%d}/{hidden.slug}/",
        old_address=old_address,
        slug=hidden.slug,
        word=word,
        tag_slug=Tag.objects.get(name=f"{word}tag").slug,
        preview_token=_token(link),
        hidden_pk=hidden.pk,
    )
    hide(site)
    return site


def hide(site):
    hidden, editor = site.hidden, site.editor
    if site.state == "draft":
        # Sent back after it was live (the sharper case): it keeps its time and address.
        Article.objects.filter(pk=hidden.pk).update(status=Article.Status.DRAFT)
    elif site.state == "review":
        # Never live: no time, no address of its own yet.
        Article.objects.filter(pk=hidden.pk).update(
            status=Article.Status.REVIEW, published_at=None, publication_date=None
        )
    elif site.state == "withdrawn":
        services.article_withdraw(article=hidden, by=editor, reason="Legal advice.")
    elif site.state == "embargoed":
        Article.objects.filter(pk=hidden.pk).update(
            embargo_until=timezone.now() + timedelta(hours=3)
        )
    elif site.state == "held-withdrawn":
        services.article_hold(
            article=hidden,
            by=LegalFactory(),
            reason=f"{site.word}holdreason: names a witness.",
            withdraw_reason="Legal advice.",
        )
    elif site.state == "deleted":
        hidden.delete()
        assert not ArticleRedirect.objects.filter(old_path=site.old_address).exists()
    elif site.state == "trashed":
        services.article_trash(article=hidden, by=editor)


# Assertions --------------------------------------------------------------------------------


def text(response) -> str:
    return response.content.decode()


def assert_hidden(response, site, *, asked=""):
    """Nothing of the hidden story in the response, status, headers or body, but what the
    visitor asked for (`asked`: their own address or search words, which pages repeat)."""
    assert response.status_code < 500
    body = text(response) + " ".join(f"{k}: {v}" for k, v in response.headers.items())
    if asked:
        body = body.replace(asked, "")
    for secret in site.secrets:
        assert secret not in body, (secret, response.status_code)


def assert_control(response, site, marker="ctrlword"):
    assert response.status_code == 200, response.status_code
    assert marker in text(response)


def show(client, site, url, *, marker="ctrlword"):
    """A public page: the control story is there, the hidden one is not."""
    response = client.get(url)
    assert_control(response, site, marker)
    assert_hidden(response, site)
    return response


def comparable(response, replace: dict[str, str]):
    """A response as a visitor compares two: status, headers that don't vary by themselves,
    and the body, with the requested address (or word) swapped for a neutral one."""
    body = text(response)
    for old, new in replace.items():
        body = body.replace(old, new)
    headers = {
        name: value
        for name, value in response.headers.items()
        # ETag and Content-Length follow the body, compared below.
        if name not in {"X-Request-ID", "Content-Length", "Date", "ETag"}
    }
    if "Content-Security-Policy" in headers:  # the same directives, in any order
        headers["Content-Security-Policy"] = sorted(headers["Content-Security-Policy"].split("; "))
    return response.status_code, headers, body


def assert_same_as_nothing(client, site, url, never, swap):
    """`url` answers exactly as `never`, an address that never existed (with `swap` = the
    pair of texts that differ between the two addresses)."""
    response, reference = client.get(url), client.get(never)
    assert_hidden(response, site, asked=swap[0])
    assert comparable(response, {swap[0]: "X"}) == comparable(reference, {swap[1]: "X"})
    return response


# Surfaces ----------------------------------------------------------------------------------


def story_address(client, site):
    never = site.address.replace(site.slug, "never-existed-story")
    if site.state in GONE:
        response = client.get(site.address)
        assert response.status_code == 410
        assert_hidden(response, site, asked=site.slug)
        assert client.get(never).status_code == 404
    else:
        response = assert_same_as_nothing(
            client, site, site.address, never, (site.slug, "never-existed-story")
        )
        assert response.status_code == 404
    # Any other date: readers of an old link are sent to a live story of that slug only.
    other_day = f"/2025/12/24/{site.slug}/"
    assert_same_as_nothing(
        client,
        site,
        other_day,
        "/2025/12/24/never-existed-story/",
        (site.slug, "never-existed-story"),
    )
    # The control story's page (related stories, JSON-LD) knows nothing of it.
    show(client, site, site.control.get_absolute_url())


def old_address(client, site):
    never = "/2026/01/05/never-existed-old/"
    if site.state in GONE:
        response = client.get(site.old_address)
        assert response.status_code == 410
        assert_hidden(response, site, asked=f"{site.word}-old")
    else:
        response = assert_same_as_nothing(
            client, site, site.old_address, never, (f"{site.word}-old", "never-existed-old")
        )
        assert response.status_code == 404


def front(client, site):
    page = show(client, site, "/")
    # The hidden story's pin is ignored: the control story leads.
    assert page.context["lead_story"] == site.control


def page_two(client, site):
    assert_hidden(client.get("/", {"page": 2}), site)
    assert_hidden(client.get(site.section.get_absolute_url(), {"page": 2}), site)


def section(client, site):
    show(client, site, site.section.get_absolute_url())


def tag(client, site):
    show(client, site, site.tag.get_absolute_url())


def hidden_tag(client, site):
    """The tag only the hidden story has is no page at all, nor a feed."""
    for suffix in ("", "feed/", "feed/atom/"):
        response = assert_same_as_nothing(
            client,
            site,
            f"/tags/{site.tag_slug}/{suffix}",
            f"/tags/never-existed-tag/{suffix}",
            (site.tag_slug, "never-existed-tag"),
        )
        assert response.status_code == 404


def author(client, site):
    show(client, site, site.author.get_absolute_url())


def archives(client, site):
    for url in (f"/{DAY:%Y}/", f"/{DAY:%Y/%m}/", f"/{DAY:%Y/%m/%d}/"):
        show(client, site, url)
    assert_hidden(client.get(f"/{DAY + timedelta(days=1):%Y/%m/%d}/"), site)


def corrections(client, site):
    show(client, site, "/corrections/", marker="ctrlnote")
    if site.state in GONE:
        # Readers are told a story was taken down, when and why, and nothing else of it.
        assert "Withdrawn on" in text(client.get("/corrections/"))
        assert "Legal advice." in text(client.get("/corrections/"))


def search(client, site):
    """Searching for the hidden story's words finds what a word never used finds."""
    for suffix in ("", "tag", "body", "stand", "picture", "note"):
        word = site.word + suffix
        never = "neverword" + suffix
        response = assert_same_as_nothing(
            client,
            site,
            "/search/?" + urlencode({"q": word}),
            "/search/?" + urlencode({"q": never}),
            (word, never),
        )
        assert "0 stories found" in text(response)
    # A word both stories share counts and shows the control story only.
    for filters in ({}, {"section": site.section.slug}, {"author": site.author.slug}):
        response = show(client, site, "/search/?" + urlencode({"q": "harbour", **filters}))
        assert "1 story found" in text(response)


def feeds(client, site):
    for base in (
        "/feed/",
        f"/sections/{site.section.slug}/feed/",
        f"/tags/{site.tag.slug}/feed/",
        f"/authors/{site.author.slug}/feed/",
    ):
        show(client, site, base)
        show(client, site, base + "atom/")


def live_blogs(client, site):
    """A live blog's poll and feed (#18): the control's show its updates; the hidden story,
    a live blog too with an update naming its word, has neither."""
    stories = Article._base_manager.filter(pk__in=[site.control.pk, site.hidden_pk])
    stories.update(live=Article.Live.LIVE)
    LiveUpdate.objects.create(article=site.control, title="ctrlword update", body="<p>Ferry.</p>")
    if Article._base_manager.filter(pk=site.hidden_pk).exists():
        LiveUpdate.objects.create(
            article_id=site.hidden_pk, title=f"{site.word} update", body=f"<p>{site.word}</p>"
        )
    for path in ("/live/{}/updates.json", "/live/{}/feed/"):
        show(client, site, path.format(site.control.pk))
        response = client.get(path.format(site.hidden_pk))
        assert response.status_code == 404, path
        assert_hidden(response, site)


def sitemaps(client, site):
    index = show(client, site, "/sitemap.xml", marker="sitemap-articles.xml")
    assert "sitemap-tags.xml" in text(index)
    show(client, site, "/sitemap-articles.xml", marker=site.control.slug)
    show(client, site, "/sitemap-sections.xml", marker=site.section.slug)
    show(client, site, "/sitemap-tags.xml", marker=f"/tags/{site.tag.slug}/")
    show(client, site, "/sitemap-authors.xml", marker=site.author.slug)
    show(client, site, "/news-sitemap.xml")
    show(client, site, "/robots.txt", marker="news-sitemap.xml")


def pictures(client, site):
    """Uploaded pictures are files, served by the app (newsroom/media.py, #16): the control's
    are; no folder is ever listed, so nothing names the hidden story's picture files."""
    picture = site.control.lead_image
    urls = [picture.file.url, picture.renditions.first().file.url]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/"), url
        assert b"".join(response.streaming_content)  # Read to the end, which closes it.
    folders = {url.rsplit("/", 1)[0] + "/" for url in urls}
    for folder in sorted({*folders, "/media/images/", "/media/renditions/"}):
        response = client.get(folder)
        assert response.status_code == 404, folder
        assert_hidden(response, site)


def pages_and_staff(client, site):
    """The staff page lists the authors of live stories: one whose only byline is on the
    hidden story is not there (#16). A footer page shows the footer, and no story."""
    if site.state != "deleted":
        loner = AuthorFactory(name=f"Grace {site.word}", slug=f"grace-{site.word}")
        ArticleAuthor.objects.create(article_id=site.hidden.pk, author=loner, position=1)
    show(client, site, "/staff/", marker=site.author.get_absolute_url())
    page = Page.objects.create(title="About us", slug="about", body="<p>ctrlpage</p>")
    show(client, site, page.get_absolute_url(), marker="ctrlpage")


def _token(link):
    return preview_url(link).rstrip("/").rsplit("/", 1)[1]


def previews(client, site):
    """A preview link that expired, was revoked or was forged answers as a made-up one; so does
    the link shared earlier once the story is withdrawn, deleted or in the trash."""
    shared = f"/preview/{site.preview_token}/"
    story = Article.objects.filter(pk=site.hidden.pk).first()
    bad = [site.preview_token[:-2] + ("AA" if not site.preview_token.endswith("AA") else "BB")]
    if site.state in {*GONE, "deleted", "trashed"}:
        bad.append(site.preview_token)
    else:
        # A valid link does show the story, so the checks below can fail; never its notes.
        shown = text(client.get(shared))
        assert site.word in shown
        assert "threadsecret" not in shown
    if story is not None:
        now = timezone.now()
        expired = PreviewLink.objects.create(article=story, expires_at=now - timedelta(minutes=1))
        revoked = PreviewLink.objects.create(
            article=story, expires_at=now + timedelta(hours=1), revoked_at=now
        )
        bad += [_token(expired), _token(revoked)]
    else:
        bad.append(signing.dumps(10**9, salt=SALT))
    reference = comparable(client.get("/preview/not-a-token/"), {"not-a-token": "X"})
    for token in bad:
        response = client.get(f"/preview/{token}/")
        assert_hidden(response, site, asked=token)
        assert comparable(response, {token: "X"}) == reference


def admin_and_api(client, site):
    """Without an account, the admin's story pages and JSON endpoints only send to the login."""
    login = reverse("admin:login")
    urls = [
        reverse("admin:articles_tag_names") + "?" + urlencode({"term": site.word}),
        reverse("admin:autocomplete")
        + "?"
        + urlencode(
            {
                "app_label": "articles",
                "model_name": "frontpageslot",
                "field_name": "article",
                "term": site.word,
            }
        ),
    ]
    if Article.objects.filter(pk=site.hidden.pk).exists():
        pk = site.hidden.pk
        urls += [
            reverse("admin:articles_article_change", args=[pk]),
            reverse("admin:articles_article_preview", args=[pk]),
            reverse("admin:articles_article_revisions", args=[pk]),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next=")
        assert_hidden(response, site, asked=response["Location"])
    # The same endpoint does answer to staff: the check above is not vacuous.
    staff = Client()
    staff.force_login(site.editor)
    assert site.word in text(staff.get(urls[0]))


def api(client, site):
    """The Content API (#18) shows what the site shows: the control story in every list and
    by id, the hidden one nowhere, and its id and addresses answer as ones that never were (a
    withdrawn story's as gone). A reporter's token reads no more of another's story; an
    editor's does, so the checks can fail."""
    api_url = "/api/v1"
    for url in ("/", "/openapi.json", "/docs", "/sections", f"/sections/{site.section.slug}"):
        assert_hidden(client.get(api_url + url), site)
    for url in ("/breaking",):
        assert_hidden(client.get(api_url + url), site)
    stories = api_url + "/stories"
    show(client, site, stories)
    for owner in (
        {"section": site.section.slug},
        {"tag": site.tag.slug},
        {"author": site.author.slug},
        {"limit": 1},
    ):
        show(client, site, stories + "?" + urlencode(owner))
    show(client, site, api_url + "/tags", marker="port")
    show(client, site, f"{api_url}/tags/{site.tag.slug}", marker="port")
    show(client, site, f"{api_url}/authors/{site.author.slug}", marker="ada-lovelace")
    show(client, site, api_url + "/corrections", marker="ctrlnote")
    show(client, site, f"{api_url}/stories/{site.control.pk}")
    show(client, site, f"{api_url}/stories/{site.control.pk}/ninjs")
    show(client, site, f"{api_url}/stories/by-path?path={site.control.get_absolute_url()}")
    # A hidden story's tag is no tag; a word only it has finds nothing.
    response = assert_same_as_nothing(
        client,
        site,
        f"{api_url}/tags/{site.tag_slug}",
        f"{api_url}/tags/never-existed-tag",
        (site.tag_slug, "never-existed-tag"),
    )
    assert response.status_code == 404
    for suffix in ("", "tag", "body", "stand", "picture", "note"):
        word, never = site.word + suffix, "neverword" + suffix
        response = assert_same_as_nothing(
            client,
            site,
            f"{api_url}/search?q={word}",
            f"{api_url}/search?q={never}",
            (word, never),
        )
        assert response.json()["found"] == 0
    assert client.get(f"{api_url}/search?q=harbour").json()["found"] == 1
    # Its id and its addresses, old and new.
    never_pk = 10**9
    response = client.get(f"{api_url}/stories/{site.hidden_pk}")
    if site.state in GONE:
        assert response.status_code == 410
        assert_hidden(response, site)
    else:
        for suffix in ("", "/ninjs"):
            assert_same_as_nothing(
                client,
                site,
                f"{api_url}/stories/{site.hidden_pk}{suffix}",
                f"{api_url}/stories/{never_pk}{suffix}",
                (str(site.hidden_pk), str(never_pk)),
            )
    for path in (site.address, site.old_address):
        response = client.get(f"{api_url}/stories/by-path?" + urlencode({"path": path}))
        assert_hidden(response, site, asked=urlencode({"path": path})[5:])
        assert response.status_code == (410 if site.state in GONE else 404)
    # Authors: one whose only byline is on the hidden story is not listed.
    if site.state != "deleted":
        loner = AuthorFactory(name=f"Alan {site.word}", slug=f"alan-{site.word}")
        ArticleAuthor.objects.create(article_id=site.hidden.pk, author=loner, position=2)
    show(client, site, api_url + "/authors", marker="ada-lovelace")
    # With tokens: a reporter who doesn't own it reads nothing more; an editor reads it.
    if site.state not in {"deleted", "trashed"}:
        own = Client(HTTP_AUTHORIZATION=f"Bearer {_api_token(ReporterFactory())}")
        response = own.get(f"{api_url}/stories/{site.hidden_pk}")
        assert response.status_code in (404, 410)
        assert_hidden(response, site)
        staff = Client(HTTP_AUTHORIZATION=f"Bearer {_api_token(site.editor)}")
        if site.state not in GONE:
            assert site.word in text(staff.get(f"{api_url}/stories/{site.hidden_pk}"))


def live_updates(client, site):
    """A live blog's updates (#18): the control story made a live blog shows its update on its
    page, its poll, its feed and in the API; the hidden blog's poll, feed and updates answer as
    a blog that never was, whatever hid it (even withdrawn: it has no updates any more)."""
    Article.objects.filter(pk=site.control.pk).update(live=Article.Live.LIVE)
    LiveUpdate.objects.create(
        article=site.control,
        title="Ferries back",
        key_event=True,
        body="<p>Harbour ctrlupdate text.</p>",
        # Now, not earlier: the matrix's sweep has given the control other updates, posted
        # at the same frozen moment, and the newest of equals is the last made.
        posted_at=timezone.now(),
        created_by=site.editor,
    )
    pk = site.control.pk
    for url in (
        site.control.get_absolute_url(),
        f"/live/{pk}/updates.json",
        f"/live/{pk}/feed/",
        f"/api/v1/stories/{pk}/updates",
        f"/api/v1/stories/{pk}/updates?limit=1",
    ):
        show(client, site, url, marker="ctrlupdate")
    never_pk = 10**9
    for url in ("/live/{}/updates.json", "/live/{}/feed/", "/api/v1/stories/{}/updates"):
        # The addresses are swapped whole: a short id is a digit pages have anyway.
        asked, never = url.format(site.hidden_pk), url.format(never_pk)
        response = assert_same_as_nothing(client, site, asked, never, (asked, never))
        assert response.status_code == 404, url
    # With tokens: a reporter who doesn't own it reads no update; an editor does.
    updates = f"/api/v1/stories/{site.hidden_pk}/updates"
    if site.state not in {"deleted", "trashed"}:
        own = Client(HTTP_AUTHORIZATION=f"Bearer {_api_token(ReporterFactory())}")
        response = own.get(updates)
        assert response.status_code == 404
        assert_hidden(response, site)
        staff = Client(HTTP_AUTHORIZATION=f"Bearer {_api_token(site.editor)}")
        if site.state not in GONE:
            assert f"{site.word}update" in text(staff.get(updates))


def _api_token(user):
    token = ApiToken(user=user, name="Leak matrix")
    secret = token.issue()
    token.save()
    return secret


SURFACES = {
    "story-address": story_address,
    "old-address": old_address,
    "front": front,
    "page-two": page_two,
    "section": section,
    "tag": tag,
    "hidden-tag": hidden_tag,
    "author": author,
    "archives": archives,
    "corrections": corrections,
    "search": search,
    "feeds": feeds,
    "live-blogs": live_blogs,
    "sitemaps": sitemaps,
    "pictures": pictures,
    "previews": previews,
    "pages-and-staff": pages_and_staff,
    "admin-and-api": admin_and_api,
    "content-api": api,
    "live-updates": live_updates,
}


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("state", STATES)
def test_unpublished_story_is_on_no_public_surface(client, clock, state, surface):
    SURFACES[surface](client, build(state, EditorFactory()))


class RecordingClient(Client):
    """A test client that notes the URL pattern of every page it asks for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.routes = set()

    def get(self, path, *args, **kwargs):
        self.routes.add(resolve(urlsplit(path).path).route)
        return super().get(path, *args, **kwargs)


@pytest.mark.slow
def test_the_matrix_covers_every_public_address(clock):
    """A new public page, feed or API must join the matrix above."""
    client = RecordingClient()
    site = build("draft", EditorFactory())
    for surface in SURFACES.values():
        surface(client, site)
    routes = set(public_routes())
    assert routes <= client.routes, routes - client.routes
