"""The story list's author and tag filters, typed rather than listed (#14).

Django's list filters print every value as a link: on a newsroom's archive that is hundreds of
authors and thousands of tags in the sidebar, each page load. These filters are a small form
instead: a text box, a GET request. With JavaScript (static/js/story-list-filters.js) the box
suggests names as they are typed and a pick filters the list at once; without it the form
sends what was typed, and the server filters by the one author or tag it names, or offers
the few that match as links.

`?author=<id>` and `?tag=<name>` are the addresses a pick leads to; typed text that is not an
author's id is matched against names. Anything else (an unknown id, text that names nothing)
lists no stories and says why; it is never an error.
"""

from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.urls import reverse

from authors.models import Author

from .permissions import tags_seen_by

SUGGESTIONS = 8
MAX_TYPED = 100


class TypedFilter(admin.ListFilter):
    """A filter whose value is typed: one parameter, a text box, a few suggestions."""

    template = "admin/articles/typed_filter.html"
    parameter_name = ""
    placeholder = ""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.request = request
        values = params.pop(self.parameter_name, None)
        self.typed = (values[-1] if values else "").replace("\x00", "").strip()[:MAX_TYPED]
        if self.typed:
            self.used_parameters[self.parameter_name] = self.typed
        # The one object the value names, or the few whose names match what was typed.
        self.chosen, self.matches = self.resolve(self.typed) if self.typed else (None, [])

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def resolve(self, typed):
        """(the object the value names or None, objects whose names match it)."""
        raise NotImplementedError

    def filter(self, queryset, chosen):
        raise NotImplementedError

    def queryset(self, request, queryset):
        if not self.typed:
            return None
        if self.chosen is None:
            return queryset.none()
        return self.filter(queryset, self.chosen)

    def choices(self, changelist):
        """One "choice" for the template: everything its form needs."""
        keep = {
            name: value
            for name, value in changelist.params.items()
            if name not in (self.parameter_name, PAGE_VAR)
        }
        yield {
            "parameter": self.parameter_name,
            "field_id": f"typed-filter-{self.parameter_name}",
            "typed": self.chosen_label() if self.chosen is not None else self.typed,
            "chosen": self.chosen,
            "matches": [
                (self.label(obj), changelist.get_query_string({self.parameter_name: self.key(obj)}))
                for obj in self.matches
                if obj != self.chosen
            ],
            "is_unknown": bool(self.typed) and self.chosen is None and not self.matches,
            "hidden": sorted(keep.items()),
            "clear_url": changelist.get_query_string(remove=[self.parameter_name]),
            "placeholder": self.placeholder,
            "suggest_url": reverse("admin:articles_article_filter_suggestions")
            + f"?field={self.parameter_name}",
        }

    def chosen_label(self):
        return self.label(self.chosen)

    def key(self, obj):
        return obj.pk

    def label(self, obj):
        return str(obj)


class AuthorFilter(TypedFilter):
    """Stories with the author in the byline: `?author=<id>`, or a typed name."""

    title = "author"
    parameter_name = "author"
    placeholder = "Type a name"

    def resolve(self, typed):
        if typed.isdigit() and len(typed) < 10:
            return Author.objects.filter(pk=int(typed)).first(), []
        return _one_or_matches(Author.objects.all(), typed)

    def filter(self, queryset, author):
        return queryset.filter(bylines__author=author)

    def label(self, author):
        return author_label(author)


class TagFilter(TypedFilter):
    """Stories with the tag: `?tag=<name>`. Reporters find only the tags they may know of
    (#13): a tag only other reporters' drafts carry is as unknown as one that doesn't exist."""

    title = "tag"
    parameter_name = "tag"
    placeholder = "Type a tag"

    def resolve(self, typed):
        return _one_or_matches(tags_seen_by(self.request.user), typed)

    def key(self, tag):
        return tag.name

    def filter(self, queryset, tag):
        return queryset.filter(tags=tag)


def author_label(author):
    """Two reporters may share a name: their job titles tell them apart."""
    return f"{author.name} ({author.job_title})" if author.job_title else author.name


def _one_or_matches(objects, typed):
    """The object named exactly (case aside), or, when none or several are, the first few
    whose names contain what was typed."""
    exact = list(objects.filter(name__iexact=typed).order_by("pk")[:2])
    if len(exact) == 1:
        return exact[0], []
    return None, list(objects.filter(name__icontains=typed).order_by("name", "pk")[:SUGGESTIONS])


def suggestions(parameter, typed, user):
    """What the filters' script offers as the user types: [(value, label)], a few only."""
    typed = typed.replace("\x00", "").strip()[:MAX_TYPED]
    if parameter not in ("author", "tag"):
        return None
    if not typed:
        return []
    if parameter == "author":
        authors = Author.objects.filter(name__icontains=typed).order_by("name", "pk")
        return [(author.pk, author_label(author)) for author in authors[:SUGGESTIONS]]
    tags = tags_seen_by(user).filter(name__icontains=typed).order_by("name", "pk")
    return [(tag.name, tag.name) for tag in tags[:SUGGESTIONS]]


class RestrictionFilter(admin.SimpleListFilter):
    """Stories under an embargo still to come, or held by Legal (#15)."""

    title = "embargo and legal hold"
    parameter_name = "restriction"

    def lookups(self, request, model_admin):
        return [("embargoed", "Embargoed"), ("held", "Legal hold")]

    def queryset(self, request, queryset):
        if self.value() == "embargoed":
            return queryset.embargoed()
        if self.value() == "held":
            return queryset.filter(held_at__isnull=False)
        return None
