"""The admin's story list at archive scale (#14): the list, each filter, search and a
reporter's own list, timed before and after, side by side, in one run.

"Before" is the list as it was: Django's Paginator counting every match, the author and tag
filters listing every author and tag (with Django's "Show counts" allowed), and a reporter's
stories as an OR across the byline join with DISTINCT. "After" is the list as it is. Both run
in the same process on the same database, one request at a time through Django's test
client, with debug off; each figure is the median of --repeat requests after one to warm up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_scale \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python manage.py seed_articles --count 1000000
    DATABASE_URL=… .venv/bin/python -m bench.story_list [--repeat 5] [--explain]

It adds three accounts to that database: bench-editor; bench-reporter, who carries the
byline of its busiest author (the worst case of a reporter's list), and
bench-reporter-median, the byline of the author with the median number of stories.
--explain prints the slowest query of each request with EXPLAIN ANALYZE. docs/scale.md
records the figures.
"""

import argparse
import json
import logging
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from bench import inprocess

inprocess.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, ArticleAuthor, ArticleQuerySet, Section, Tag  # noqa: E402
from articles.permissions import tags_seen_by  # noqa: E402
from authors.models import Author  # noqa: E402

LIST = "/admin/articles/article/"


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class SeenTagsFilter(admin.RelatedFieldListFilter):
    """The tag filter as it was: every tag the user may know of, listed."""

    def field_choices(self, field, request, model_admin):
        return [(tag.pk, tag.name) for tag in tags_seen_by(request.user).order_by("name")]


def old_owned_by(self, user):
    return self.filter(Q(created_by=user) | Q(bylines__author__user=user)).distinct()


@contextmanager
def before():
    """The story list as it was before #14's archive-scale work."""
    model_admin = admin.site._registry[Article]
    saved = (model_admin.paginator, model_admin.list_filter, model_admin.show_facets)
    owned_by = ArticleQuerySet.owned_by
    model_admin.paginator = Paginator
    model_admin.list_filter = ["status", "section", "authors", ("tags", SeenTagsFilter)]
    model_admin.list_filter.append("published_at")
    model_admin.show_facets = admin.ShowFacets.ALLOW
    ArticleQuerySet.owned_by = old_owned_by
    try:
        yield
    finally:
        model_admin.paginator, model_admin.list_filter, model_admin.show_facets = saved
        ArticleQuerySet.owned_by = owned_by


def account(name, group):
    from django.contrib.auth.models import Group

    user, created = get_user_model().objects.get_or_create(
        username=name, defaults={"is_staff": True}
    )
    if created:
        user.groups.add(Group.objects.get(name=group))
    return user


def subjects():
    """The accounts, and a busy and a quiet author, section and tag of the archive."""
    editor = account("bench-editor", "Editor")
    reporter = account("bench-reporter", "Reporter")
    authors = (
        ArticleAuthor.objects.values("author")
        .annotate(n=Count("id"))
        .order_by("-n", "author")
        .values_list("author", "n")
    )
    ranked = list(authors)
    busy, median, quiet = ranked[0], ranked[len(ranked) // 2], ranked[-1]
    if not Author.objects.filter(user=reporter).exists():
        Author.objects.filter(pk=busy[0], user=None).update(user=reporter)
    typical = account("bench-reporter-median", "Reporter")
    if not Author.objects.filter(user=typical).exists():
        Author.objects.filter(pk=median[0], user=None).update(user=typical)
    reporter.typical, reporter.typical_stories = typical, median[1]
    tags = Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n", "pk")
    busy_tag, quiet_tag = tags.first(), tags.last()
    section = Section.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
    return editor, reporter, busy, quiet, section, busy_tag, quiet_tag


def cases(editor, reporter, busy, quiet, section, busy_tag, quiet_tag):
    """(name, user, the new list's parameters, the old list's parameters)."""
    return [
        ("list", editor, {}, {}),
        ("list, page 100", editor, {"p": "100"}, {"p": "100"}),
        ("status: draft", editor, {"status__exact": "draft"}, {"status__exact": "draft"}),
        ("section", editor, {"section__id__exact": section.pk}, {"section__id__exact": section.pk}),
        (
            f"author, busiest ({busy[1]:,} stories)",
            editor,
            {"author": busy[0]},
            {"authors__id__exact": busy[0]},
        ),
        (
            f"author, quietest ({quiet[1]:,})",
            editor,
            {"author": quiet[0]},
            {"authors__id__exact": quiet[0]},
        ),
        (
            f"tag, busiest ({busy_tag.n:,})",
            editor,
            {"tag": busy_tag.name},
            {"tags__id__exact": busy_tag.pk},
        ),
        (
            f"tag, quietest ({quiet_tag.n:,})",
            editor,
            {"tag": quiet_tag.name},
            {"tags__id__exact": quiet_tag.pk},
        ),
        ("published: past 7 days", editor, *[past_week()] * 2),
        ("search: common word", editor, {"q": "council"}, {"q": "council"}),
        ("search: two words", editor, {"q": "harbour strike"}, {"q": "harbour strike"}),
        (f"reporter's own list ({busy[1]:,})", reporter, {}, {}),
        (f"reporter's own ({reporter.typical_stories:,})", reporter.typical, {}, {}),
        ("reporter, drafts", reporter, {"status__exact": "draft"}, {"status__exact": "draft"}),
        ("reporter, search", reporter, {"q": "council"}, {"q": "council"}),
    ]


def past_week():
    from datetime import timedelta

    from django.utils import timezone

    # As the admin's "Past 7 days" link writes it.
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "published_at__gte": str(today - timedelta(days=7)),
        "published_at__lt": str(today + timedelta(days=1)),
    }


def timed(client, params, repeat, explain):
    client.get(LIST, params)  # warm: the search index's queue, caches, the planner
    times = []
    slowest = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(LIST, params)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (params, response.status_code)
        query = max(captured.captured_queries, key=lambda q: float(q["time"]))
        slowest = query if slowest is None or query["time"] > slowest["time"] else slowest
    if explain:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + slowest["sql"])
            say("    " + "\n    ".join(row[0] for row in cursor.fetchall()))
    return statistics.median(times), float(slowest["time"]) * 1000


def main():
    logging.disable(logging.INFO)  # the request log, one line a request
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--before-to",
        metavar="FILE",
        help="Time only the old list, and keep its figures in FILE (JSON): run it before "
        "`migrate` adds the indexes, then --before-from FILE after it.",
    )
    parser.add_argument(
        "--before-from", metavar="FILE", help="The old list's figures from a --before-to run."
    )
    args = parser.parse_args()
    kept = json.loads(Path(args.before_from).read_text()) if args.before_from else {}
    if connection.vendor != "postgresql":
        sys.exit("bench/story_list.py measures PostgreSQL: set DATABASE_URL to a seeded one.")
    total = Article.objects.count()
    say(f"Story list at {total:,} stories (median of {args.repeat}, ms)")
    people = subjects()
    editor, reporter = people[:2]
    clients = {}
    for user in (editor, reporter, reporter.typical):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    say(f"{'':34} {'before':>9} {'after':>9} {'ratio':>7}  {'slowest query after':>20}")
    for name, user, new, old in cases(*people):
        client = clients[user.pk]
        if args.before_from:
            was = kept.get(name)
        else:
            with before():
                was, _ = timed(client, old, args.repeat, explain=False)
        if args.before_to:
            kept[name] = was
            say(f"{name:34} {was:9.0f}")
            continue
        if args.explain:
            say(f"{name}:")
        now, query = timed(client, new, args.repeat, args.explain)
        ratio = f"{was / now:6.1f}x" if was else "      -"
        was_text = f"{was:9.0f}" if was else "        -"
        say(f"{name:34} {was_text} {now:9.0f} {ratio}  {query:17.1f} ms")

    if args.before_to:
        Path(args.before_to).write_text(json.dumps(kept, indent=2))


if __name__ == "__main__":
    main()
