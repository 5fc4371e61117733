"""Helpers for the workflow tests: forms filled in as a browser would fill them.

The admin pages are read as HTML; `page_form()` collects what a browser would submit from the
story form (hidden fields such as `expected_version` and the byline inline included), and
`submit()` posts it URL-encoded, as the browser does for a form without file fields.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")
ADMIN_INDEX = reverse("admin:index")
LOGIN = reverse("admin:login")
URLENCODED = "application/x-www-form-urlencoded"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def revisions_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def compare_url(article, older, newer):
    base = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{base}?{urlencode({'a': older.pk, 'b': newer.pk})}"


def restore_url(article, revision):
    return reverse("admin:articles_article_restore", args=[article.pk, revision.pk])


def admin_preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def preview_links_url(article):
    return reverse("admin:articles_article_preview_links", args=[article.pk])


def login(user) -> Client:
    """A browser of its own, logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


class _FormParser(HTMLParser):
    """The successful controls of one <form> (by id), as a browser would submit them.

    Submit buttons are left out: the caller adds the one it "presses".
    """

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: "" if value is None else value for name, value in attrs}
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            self.found = self.found or self.inside
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
                return
            self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = {
                "name": name,
                "first": None,
                "selected": [],
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["selected"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # HTML drops a single line break right after <textarea>.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select = self._select
            if select["multiple"]:
                chosen = select["selected"]
            else:
                chosen = select["selected"][-1:] or (
                    [select["first"]] if select["first"] is not None else []
                )
            self.fields.extend((select["name"], value) for value in chosen)
            self._select = None


def form_fields(page_html: str, form_id: str) -> dict:
    parser = _FormParser(form_id)
    parser.feed(page_html)
    assert parser.found, f"no <form id={form_id!r}> on the page"
    data: dict = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def page_form(response, **changes) -> dict:
    """The story form of an admin page as the browser would send it, with `changes` typed in.

    A change of None clears the field out of the submission (an unticked box, say).
    """
    assert response.status_code == 200, response.status_code
    data = form_fields(response.content.decode(), "article_form")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def submit(client, url, data, **extra):
    """POSTs form data URL-encoded, as a browser does for a form without file fields."""
    return client.post(url, urlencode(data, doseq=True), content_type=URLENCODED, **extra)


def add_byline(data: dict, author, position: int | None = None) -> dict:
    """Picks an author in the byline field: at the end, or at `position`."""
    byline = data.get("byline", [])
    byline = [byline] if isinstance(byline, str) else list(byline)
    byline.insert(len(byline) if position is None else position, str(author.pk))
    data["byline"] = byline
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def log_messages(article, user=None) -> list[str]:
    """The workflow entries of a story's admin action log, oldest first (optionally one user's).

    The admin's own record of each form save (a JSON list of changed fields, written after the
    workflow step of the same request) is left out.
    """
    entries = LogEntry.objects.filter(
        content_type__app_label="articles",
        content_type__model="article",
        object_id=str(article.pk),
    )
    if user is not None:
        entries = entries.filter(user=user)
    entries = entries.order_by("action_time", "pk")
    return [e.change_message for e in entries if not e.change_message.startswith("[")]


def assert_login_redirect(response, requested: str):
    """The admin sent the visitor to its login page, to come back to `requested` afterwards."""
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == LOGIN
    assert parse_qs(location.query)["next"] == [requested]


def text_of(fragment: str) -> str:
    """The words of an HTML fragment as a reader sees them, spaces folded."""
    without_tags = re.sub(r"<[^>]+>", " ", fragment)
    words = html.unescape(without_tags).split()
    text = " ".join(words)
    # Tags next to punctuation leave a space a reader would not see ("2030 :").
    return re.sub(r" ([:,.;])", r"\1", text)


def story_text(page_html: str) -> str:
    """The text of the story itself: the <article class="story"> element of a story page."""
    match = re.search(r'<article class="story">(.*?)</article>', page_html, re.S)
    assert match, "no story on the page"
    return text_of(match.group(1))


def desk_lists(page_html: str) -> dict[str, str]:
    """The lists of the editor's desk on the admin index: title -> the section's HTML."""
    sections = re.findall(r'<section aria-label="([^"]+)">(.*?)</section>', page_html, flags=re.S)
    return {html.unescape(title): body for title, body in sections}
