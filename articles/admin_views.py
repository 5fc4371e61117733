"""The story pages the admin adds (#3): preview, shareable preview links and revisions.

Each view loads the story and checks the user's permission for that story before anything else.
"""

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .models import Article, ArticleRevision, PreviewLink
from .permissions import can_edit, can_view
from .previews import preview_response, preview_url
from .services import local_time
from .text import html_to_text

FIELDS = [
    ("headline", "Headline"),
    ("slug", "Slug"),
    ("standfirst", "Standfirst"),
    ("body", "Body"),
    ("authors", "Byline"),
    ("tags", "Tags"),
    ("status", "Status"),
    ("published_at", "Publication time"),
]


def _as_text(snapshot: dict, field: str) -> str:
    value = snapshot.get(field)
    if field == "body":
        return html_to_text(value or "")
    if field == "authors":
        return "\n".join(entry["name"] for entry in value or [])
    if field == "tags":
        return ", ".join(value or [])
    return "" if value is None else str(value)


def diff_lines(before: str, after: str, context: int = 2) -> list[dict]:
    """Removed and added lines with a little unchanged context, like `diff -u`.

    Line-level only (no character-level comparison, which is quadratic on long stories).
    """
    # Blank lines only separate paragraphs; as lines they would match everywhere and make the
    # comparison slow on long stories.
    a = [line for line in before.splitlines() if line.strip()]
    b = [line for line in after.splitlines() if line.strip()]
    lines = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append({"kind": "gap", "text": "…"})
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [{"kind": "same", "text": line} for line in a[i1:i2]]
                continue
            lines += [{"kind": "removed", "text": line} for line in a[i1:i2]]
            lines += [{"kind": "added", "text": line} for line in b[j1:j2]]
    return lines


def diff_rows(old: dict, new: dict) -> list[dict]:
    """A readable diff of each field that changed between two snapshots."""
    rows = []
    for field, label in FIELDS:
        before, after = _as_text(old, field), _as_text(new, field)
        if before != after:
            rows.append({"label": label, "lines": diff_lines(before, after)})
    return rows


MAX_PK = 2**63 - 1


def as_pk(value) -> int:
    """A primary key from user input, or 404: databases refuse numbers beyond 64 bits."""
    text = str(value)
    if not text.isdigit() or not 0 < int(text) <= MAX_PK:
        raise Http404("No such record.")
    return int(text)


class ArticleAdminViews:
    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _article(self, request, pk, *, edit: bool) -> Article:
        # A story in the trash can be looked at (preview, revisions) but not changed.
        stories = Article.objects.current() if edit else Article.objects.all()
        article = get_object_or_404(stories, pk=as_pk(pk))
        allowed = can_edit(request.user, article) if edit else can_view(request.user, article)
        if not allowed:
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": title,
            "subtitle": article.headline,
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            **extra,
        }

    def preview(self, request, pk):
        """The story as readers will see it, for the staff who may edit it."""
        article = self._article(request, pk, edit=True)
        if article.is_published():
            return HttpResponseRedirect(article.get_absolute_url())
        return preview_response(request, article, banner="admin")

    def preview_links(self, request, pk):
        article = self._article(request, pk, edit=True)
        if request.method == "POST":
            if "revoke" in request.POST:
                link_pk = as_pk(request.POST["revoke"])
                link = get_object_or_404(PreviewLink, pk=link_pk, article=article)
                services.preview_link_revoke(link=link, by=request.user)
                messages.success(request, "The link is revoked: it no longer opens the story.")
            else:
                link = services.preview_link_create(article=article, by=request.user)
                url = request.build_absolute_uri(preview_url(link))
                messages.success(
                    request,
                    format_html(
                        'New preview link, valid until {}: <a href="{}">{}</a>',
                        local_time(link.expires_at),
                        url,
                        url,
                    ),
                )
            return HttpResponseRedirect(request.path)
        links = [
            {"link": link, "url": request.build_absolute_uri(preview_url(link))}
            for link in article.preview_links.select_related("created_by")
        ]
        return TemplateResponse(
            request,
            "admin/articles/article/preview_links.html",
            self._context(request, article, "Preview links", links=links),
        )

    def revisions(self, request, pk):
        article = self._article(request, pk, edit=False)
        revisions = list(article.revisions.select_related("created_by"))
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            self._context(
                request,
                article,
                "Revisions",
                revisions=revisions,
                can_restore=can_edit(request.user, article),
            ),
        )

    def compare(self, request, pk):
        article = self._article(request, pk, edit=False)
        ids = [as_pk(request.GET.get("a", "")), as_pk(request.GET.get("b", ""))]
        found = ArticleRevision.objects.filter(article=article, pk__in=ids).select_related(
            "created_by"
        )
        by_pk = {revision.pk: revision for revision in found}
        if len(by_pk) != len(set(ids)):
            raise Http404("No such revision of this story.")
        ordered = sorted(by_pk.values(), key=lambda revision: (revision.created_at, revision.pk))
        older, newer = ordered[0], ordered[-1]
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            self._context(
                request,
                article,
                "Compare revisions",
                older=older,
                newer=newer,
                rows=diff_rows(older.snapshot, newer.snapshot),
                can_restore=can_edit(request.user, article),
            ),
        )

    def restore(self, request, pk, revision_pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk, edit=True)
        revision = get_object_or_404(ArticleRevision, pk=as_pk(revision_pk), article=article)
        try:
            services.article_restore(article=article, revision=revision, by=request.user)
        except ValidationError as error:
            messages.error(request, "Not restored: " + " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Restored the text, byline and tags of {local_time(revision.created_at)}. "
                "The version before the restore is kept as a revision too.",
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
