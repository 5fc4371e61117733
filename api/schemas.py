"""What the Content API answers (#18), as pydantic schemas: they make the OpenAPI document at
/api/v1/openapi.json, and every response is checked against them before it is sent.

Times are ISO 8601 with their offset; URLs are absolute (settings.SITE_URL). HTML fields
(`body_html`, `snippet_html`) hold the same sanitised markup the site shows; every other text
field is plain text, to be escaped by whoever shows it.
"""

import datetime

from ninja import Schema
from pydantic import Field


class Index(Schema):
    name: str
    breaking: str
    version: str
    openapi: str
    docs: str
    stories: str
    search: str
    authors: str
    sections: str
    tags: str
    corrections: str


class Breaking(Schema):
    text: str
    url: str | None = Field(description="Where it leads, absolute; null without a link.")
    starts_at: datetime.datetime
    expires_at: datetime.datetime = Field(description="It is taken down then, if not before.")


class Rendition(Schema):
    url: str
    width: int
    height: int
    type: str = Field(description="The file's MIME type, e.g. image/jpeg.")


class Picture(Schema):
    alt: str = Field(description="Alternative text; empty for a decorative picture.")
    caption: str
    credit: str
    crops: dict[str, Rendition] = Field(
        description="The largest JPEG of each crop made so far, by name (16:9, 4:3, 1:1, "
        "social). A picture still being processed has none: the original is never offered."
    )


class SectionRef(Schema):
    id: int
    name: str
    slug: str
    url: str


class Section(SectionRef):
    description: str
    in_navigation: bool


class AuthorRef(Schema):
    id: int
    name: str
    slug: str
    url: str


class Author(AuthorRef):
    job_title: str
    bio: str
    photo: Picture | None


class Tag(Schema):
    id: int
    name: str
    slug: str
    url: str


class Note(Schema):
    kind: str = Field(description="correction, clarification or update.")
    text: str
    created_at: datetime.datetime


class Live(Schema):
    state: str = Field(description="live while it takes updates, ended once coverage is over.")
    ended_at: datetime.datetime | None = Field(description="When the coverage ended; null if live.")
    updates_url: str = Field(description="Its updates, newest first.")


class Story(Schema):
    id: int
    headline: str
    standfirst: str
    url: str = Field(description="The story's page.")
    published_at: datetime.datetime | None
    updated_at: datetime.datetime | None = Field(
        description="When readers were last told the story changed (a correction, an "
        "update); the publication time if never."
    )
    section: SectionRef | None
    authors: list[AuthorRef]
    tags: list[Tag]
    picture: Picture | None
    word_count: int
    live: Live | None = Field(description="A live blog's state (#18); null for a plain story.")


class StoryDetail(Story):
    body_html: str = Field(description="The story's text as sanitised HTML, links absolute.")
    notes: list[Note] = Field(description="Corrections, clarifications and updates.")
    version: int
    status: str = Field(
        description="live for everyone; with a token, a story not live yet says where it "
        "is: draft, review, scheduled, embargoed or withdrawn."
    )


class StoryPage(Schema):
    items: list[Story]
    next: str | None = Field(description="The next page's address, or null on the last.")


class SearchResult(Story):
    snippet_html: str = Field(
        description="Where the words were found, with each match in <mark>; escaped HTML."
    )


class SearchPage(Schema):
    items: list[SearchResult]
    found: int = Field(description="How many stories matched, counted up to `found_cap`.")
    found_cap: int
    next: str | None


class StoryRef(Schema):
    id: int
    headline: str
    url: str


class Correction(Schema):
    kind: str = Field(description="correction, clarification, update or withdrawal.")
    text: str
    created_at: datetime.datetime
    story: StoryRef | None = Field(
        description="The story corrected; null for a withdrawal, which says only when the "
        "story was published and why it was taken down."
    )
    published_on: datetime.date | None


class CorrectionPage(Schema):
    items: list[Correction]
    next: str | None


class Error(Schema):
    detail: str


class Invalid(Schema):
    detail: list[dict] = Field(description="Each refused parameter: where, what, and why.")


class LiveUpdate(Schema):
    id: int
    url: str = Field(description="The update on the story's page (its #update-<id> anchor).")
    posted_at: datetime.datetime
    edited_at: datetime.datetime | None = Field(description="Last edited; null if never.")
    key_event: bool = Field(description="Listed among the blog's key events at the top.")
    title: str = Field(description="May be empty; a key event always has one.")
    body_html: str = Field(description="The update's text as sanitised HTML, links absolute.")
    authors: list[AuthorRef]


class LiveUpdatePage(Schema):
    story: StoryRef
    live: Live
    items: list[LiveUpdate]
    next: str | None = Field(description="Older updates' address, or null on the last page.")
