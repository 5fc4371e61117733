"""Full-text search of published stories: PostgreSQL full-text search, or SQLite FTS5.

One entry point, `search_articles()`, two backends chosen by the database vendor.

The index (#17)
---------------
The index is a Django model, `SearchDocument` (articles/search_models.py): one row per story
with the plain text it is found by (headline, standfirst, body, author names, tag names). Its
vendor parts are frozen as SQL in migration 0023: on PostgreSQL a weighted `tsvector`
(headline A, standfirst/authors/tags B, body C, in the ``NEWSROOM_SEARCH_CONFIG`` text search
configuration, default "english") with a GIN index; on SQLite an FTS5 table over the rows
(external content), ranked with bm25 column weights.

Keeping it current: no reader ever writes
-----------------------------------------
A search only reads. The index is brought up to date by writers, after their commit:

* Database triggers (migration 0023) record *what* changed in `SearchUpdate` on every write
  path — admin, services, the importer, ``QuerySet.update()``, ``bulk_create()``, raw SQL,
  another process: inserting, editing or deleting a story (headline, standfirst, body),
  adding, changing or removing a byline or a tag, renaming an author or a tag. Recording is
  one tiny insert; no text is processed inside the writer's statement.
* The after-commit hook (`index_after_commit()`) turns those records into index rows with
  `refresh_search_index()`, which strips the sanitised HTML with `html_to_plain`, the same code
  the site uses everywhere else. The services call it (articles/effects.py) and so does any
  save, delete or m2m change of a story, byline, tagging, author or tag (`connect()`), once per
  transaction. Paths that send no signal (``update()``, ``bulk_create()``) are taken in by the
  next write's hook; bulk loaders (seed_articles, import_site) refresh at their end, and
  ``manage.py rebuild_search_index`` re-indexes everything.

Publication state is not part of the index: every search starts from
``Article.objects.published()``, so publishing, scheduling or withdrawing a story takes effect
at once and drafts are never found, counted or suggested.

Speed under load
----------------
A search first takes the newest MAX_RESULTS published matches (ids only: the GIN or FTS5
match joined to the stories by primary key, ordered by publication time), then ranks only
those, and builds the highlighted snippets only for the page shown. Nothing counts the whole
archive: the count stops at MAX_RESULTS.

User input never reaches SQL text: PostgreSQL gets it as a parameter of
``websearch_to_tsquery`` (which accepts any input); FTS5 gets a MATCH expression built from the
words of the query, each one quoted, also passed as a parameter.
"""

import importlib
import re
from collections import defaultdict
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Article, ArticleAuthor, SearchDocument, SearchUpdate, TaggedArticle
from .pagination import capped_count
from .text import html_to_plain

MAX_QUERY_LENGTH = 200
# Matches ranked for one search: the newest this many. Finding and ranking a match reads its
# document, so a common word over the whole archive would cost seconds; readers of news look
# for recent stories, and beyond 200 are told to narrow the search (#6).
MAX_RESULTS = 200
MAX_TERMS = 32
# Private-use characters mark the highlighted words inside the database's snippet; they are
# removed from the indexed text, so only these markers become <mark> tags after escaping.
MARK_START = "\ue000"
MARK_END = "\ue001"
# PostgreSQL's parser takes "<word>" for an HTML tag and "&word;" for an entity, and
# ts_headline() drops those from its output, so the snippet text stores the three characters
# as private-use stand-ins that snippet_html() turns back into escaped text.
_PG_STAND_INS = {"<": "\ue002", ">": "\ue003", "&": "\ue004"}
_MARKERS = str.maketrans("", "", MARK_START + MARK_END + "".join(_PG_STAND_INS.values()) + "\x00")
_PG_SNIPPET_TEXT = str.maketrans(_PG_STAND_INS)
_PG_VECTOR_TEXT = str.maketrans(dict.fromkeys(_PG_STAND_INS, " "))
# A word as FTS5's unicode61 tokenizer sees it: letters and digits (no underscore).
_TERM = re.compile(r"[^\W_]+")
INDEX_BATCH = 500
# The window of a story's text that a PostgreSQL snippet is made from (_SnippetText).
SNIPPET_BEFORE = 200
SNIPPET_LENGTH = 1200
# The FTS5 table over SearchDocument rows on SQLite (migration 0023).
FTS = "articles_searchdocument_fts"

# bm25 weights, in FTS5 column order: headline, standfirst, body, authors, tags.
FTS5_WEIGHTS = (10.0, 5.0, 1.0, 4.0, 4.0)


def search_config() -> str:
    return getattr(settings, "NEWSROOM_SEARCH_CONFIG", "english")


def terms(query: str) -> list[str]:
    """The words of a query, at most MAX_TERMS of them."""
    return _TERM.findall(query or "")[:MAX_TERMS]


def fts5_match(query: str) -> str:
    """A safe FTS5 MATCH expression: every word as a quoted string, all of them required.

    Words hold no double quote (nor any other FTS5 syntax character), so quoting cannot be
    escaped from; "NEAR(", "*", "AND OR NOT" and the like become plain words.
    """
    return " ".join(f'"{term}"' for term in terms(query))


def snippet_html(raw: str | None) -> SafeString:
    """Escapes the story text of a snippet, then turns the markers into <mark> tags."""
    if not raw:
        return mark_safe("")
    html = escape(raw).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    for character, stand_in in _PG_STAND_INS.items():
        html = html.replace(stand_in, escape(character))
    return mark_safe(html)


class _IndexValue(Func):
    """A correlated subquery on the index for the article of the current row.

    ``sql`` holds ``{pk}`` (the article's id column, compiled by Django so table aliases stay
    right) as its last placeholder; ``params`` are the parameters before it.
    """

    def __init__(self, sql, params, output_field):
        self.sql, self.params = sql, list(params)
        super().__init__(F("pk"), output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        return f"({self.sql.format(pk=pk_sql)})", [*self.params, *pk_params]


class _SnippetText(Func):
    """The part of a story's text that PostgreSQL's ts_headline() reads for its snippet.

    ts_headline() parses and stems every word it is given: a whole story took about a
    millisecond, most of a search's database time. Given instead about 1,200 characters from
    just before the first place a word of the query (as the index stems it: "govern" for
    "government") appears, it builds the same kind of snippet in a fraction of that. A stem
    that is not a prefix of its words ("happi" for "happy") finds no place; the snippet then
    reads the whole text, as before. Cut words at the window's ends are dropped.
    """

    output_field = TextField()

    def __init__(self, text, config, query):
        self.config, self.query = config, query
        super().__init__(text)

    def as_sql(self, compiler, connection, **extra_context):
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        sql = (
            "(SELECT CASE WHEN place IS NULL THEN t ELSE regexp_replace(regexp_replace("
            f"substr(t, start, {SNIPPET_LENGTH}), "
            "'^\\S*\\s+', CASE WHEN start > 1 THEN '' ELSE '\\&' END), "
            f"'\\s+\\S*$', CASE WHEN length(t) >= start + {SNIPPET_LENGTH} THEN '' "
            "ELSE '\\&' END) END "
            f"FROM (SELECT {text_sql} AS t) AS story, LATERAL ("
            "SELECT min(nullif(strpos(lower(story.t), lexeme), 0)) AS place "
            "FROM unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s))) AS lexeme"
            f") AS found, LATERAL (SELECT greatest(1, place - {SNIPPET_BEFORE}) AS start) AS cut)"
        )
        return sql, [*text_params, self.config, self.query]


# --- Searching -------------------------------------------------------------------------------


class SearchResults(NamedTuple):
    stories: QuerySet
    # How many stories matched, counted up to MAX_RESULTS (the most that are ranked).
    found: int


def search_articles(query, **filters):
    """Published stories matching the query, best first, each annotated with `search_rank`
    (higher is better) and `search_snippet` (text with MARK_START/MARK_END around the matched
    words; render it with `snippet_html()`). See `find_articles()` for the filters."""
    return find_articles(query, **filters).stories


def find_articles(query, *, section=None, author=None, date_from=None, date_to=None):
    """The stories of `search_articles()` and how many matched (at most MAX_RESULTS).

    `section` and `author` are slugs; `date_from`/`date_to` are dates (inclusive) of
    publication. A query without any word matches nothing. Only reads the database.
    """
    query = (query or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    stories = Article.objects.published()
    if section:
        stories = stories.filter(section__slug=section)
    if author:
        by_author = ArticleAuthor.objects.filter(article=OuterRef("pk"), author__slug=author)
        stories = stories.filter(Exists(by_author))
    if date_from:
        stories = stories.filter(publication_date__gte=date_from)
    if date_to:
        stories = stories.filter(publication_date__lte=date_to)
    if not terms(query):
        return SearchResults(stories.none(), 0)

    vendor = connections[stories.db].vendor
    if vendor == "postgresql":
        stories, found = _postgresql_search(stories, query)
    elif vendor == "sqlite":
        stories, found = _sqlite_search(stories, query)
    else:
        stories, found = _plain_search(stories, query)
    # As other lists of cards: without the body (the snippet is made in the database) and
    # with only the card's crops of each picture (#17).
    stories = stories.for_cards().order_by("-search_rank", "-published_at", "-pk")
    return SearchResults(stories, found)


def matching_any_state(query, using=DEFAULT_DB_ALIAS):
    """The ids of every story, in any state, whose index entry matches the query, as a
    subquery: the admin's search of the story list (#14). Scanning every body with LIKE took
    over a minute at a million stories; the index answers from its own GIN or FTS5 index.
    None when the query has no word (nothing to match), or on another database."""
    query = (query or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    vendor = connections[using].vendor
    if not terms(query) or vendor not in ("postgresql", "sqlite"):
        return None
    if vendor == "postgresql":
        return RawSQL(
            "SELECT article_id FROM articles_searchdocument "
            "WHERE document @@ websearch_to_tsquery(%s::regconfig, %s)",
            [search_config(), query],
        )
    return RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [fts5_match(query)])


def _newest(stories, matching):
    """The newest MAX_RESULTS of the stories `matching` (a filter) selects.

    Their ids are fetched once, here: ranking the page and counting the results then read
    this short list instead of matching the archive again, each. Ordered by the stories'
    publication time, the database can walk the newest stories and test each against the
    index for a common word, or take the index's matches and sort them for a rare one."""
    newest = stories.filter(matching).order_by("-published_at", "-pk")
    ids = list(newest.values_list("pk", flat=True)[:MAX_RESULTS])
    if connections[stories.db].vendor == "postgresql":
        # One array parameter rather than 200: binding and planning those cost more than
        # the lookup itself.
        chosen = RawSQL(f"{Article._meta.db_table}.id = ANY(%s)", [ids], BooleanField())
    else:
        chosen = Q(pk__in=ids)
    return Article.objects.filter(chosen), len(ids)


def _postgresql_search(stories, query):
    config = search_config()
    tsquery = SearchQuery(query, config=config, search_type="websearch")
    # The reverse one-to-one joins the index row by primary key; SearchVectorField's lookup
    # makes this "document @@ websearch_to_tsquery(...)", answered by the GIN index.
    newest, found = _newest(stories, Q(search_document__document=tsquery))
    # Both read the same joined index row; PostgreSQL computes the snippet (ts_headline, the
    # costly part) after sorting and slicing, for the page shown only.
    stories = newest.annotate(
        search_rank=SearchRank(F("search_document__document"), tsquery),
        search_snippet=SearchHeadline(
            _SnippetText(F("search_document__body"), config, query),
            tsquery,
            config=config,
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    )
    return stories, found


def _sqlite_search(stories, query):
    match = fts5_match(query)
    weights = ", ".join(str(weight) for weight in FTS5_WEIGHTS)
    matching = RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [match])
    newest, found = _newest(stories, Q(pk__in=matching))
    stories = newest.annotate(
        # bm25() is smaller for better matches: negate it so that higher is better everywhere.
        search_rank=_IndexValue(
            f"SELECT -bm25({FTS}, {weights}) FROM {FTS} WHERE {FTS} MATCH %s AND rowid = {{pk}}",
            [match],
            FloatField(),
        ),
        search_snippet=_IndexValue(
            f"SELECT snippet({FTS}, 2, %s, %s, '…', 32) FROM {FTS} "
            f"WHERE {FTS} MATCH %s AND rowid = {{pk}}",
            [MARK_START, MARK_END, match],
            TextField(),
        ),
    )
    return stories, found


def _plain_search(stories, query):
    """Other databases: every word in the headline, standfirst or body; no ranking."""
    for term in terms(query):
        stories = stories.filter(
            Q(headline__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        )
    stories = stories.annotate(
        search_rank=Value(0.0, output_field=FloatField()),
        search_snippet=Value("", output_field=TextField()),
    )
    return stories, capped_count(stories, MAX_RESULTS)


# --- Keeping the index current: writers only ------------------------------------------------

_REFRESHERS = {}


def _refresher(using):
    """One function per database, so that a transaction queues it once (by identity)."""
    if using not in _REFRESHERS:
        _REFRESHERS[using] = lambda: refresh_search_index(using=using)
    return _REFRESHERS[using]


def _after_commit(func, using):
    transaction.on_commit(func, using=using)


def index_after_commit(using=DEFAULT_DB_ALIAS) -> None:
    """The after-commit hook: takes in what the triggers recorded once the current transaction
    commits (at once outside one). Queued once per transaction however many writes ask."""
    if connections[using].vendor not in TABLES:
        return
    refresh = _refresher(using)
    queued = connections[using].run_on_commit
    if not any(item[1] is refresh for item in queued):
        _after_commit(refresh, using)


def _written(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    index_after_commit(using)


def connect():
    """Called from ArticlesConfig.ready(): every signal-sending write of what a story is found
    by queues the hook; the triggers have recorded which stories it touched."""
    from authors.models import Author

    from .models import Tag

    for model in (Article, ArticleAuthor, TaggedArticle, Author, Tag):
        uid = f"search.{model._meta.label_lower}"
        post_save.connect(_written, sender=model, dispatch_uid=uid)
        post_delete.connect(_written, sender=model, dispatch_uid=uid)
    for through in (ArticleAuthor, TaggedArticle):
        m2m_changed.connect(_written, sender=through, dispatch_uid=f"search.m2m.{through}")


def refresh_search_index(using=DEFAULT_DB_ALIAS) -> int:
    """Indexes every story the triggers recorded as changed; returns how many were refreshed.

    One cheap query when nothing changed. Changes are claimed a batch at a time with
    DELETE … RETURNING, each batch in its own transaction (a million recorded changes never
    make one huge transaction); a write that happens meanwhile is recorded again and picked up
    next time. Never called by a reader's request.
    """
    connection = connections[using]
    if connection.vendor not in TABLES:
        return 0
    updates = SearchUpdate.objects.using(using)
    refreshed = 0
    while updates.exists():
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM articles_searchupdate WHERE id IN "
                "(SELECT id FROM articles_searchupdate ORDER BY id LIMIT %s) "
                "RETURNING kind, object_id",
                [INDEX_BATCH],
            )
            pending = defaultdict(set)
            for kind, object_id in cursor.fetchall():
                pending[kind].add(object_id)
            article_ids = set(pending[SearchUpdate.Kind.ARTICLE])
            if pending[SearchUpdate.Kind.AUTHOR]:
                article_ids.update(
                    ArticleAuthor.objects.using(using)
                    .filter(author_id__in=pending[SearchUpdate.Kind.AUTHOR])
                    .values_list("article_id", flat=True)
                )
            if pending[SearchUpdate.Kind.TAG]:
                article_ids.update(
                    TaggedArticle.objects.using(using)
                    .filter(tag_id__in=pending[SearchUpdate.Kind.TAG])
                    .values_list("content_object_id", flat=True)
                )
            ordered = sorted(article_ids)
            for start in range(0, len(ordered), INDEX_BATCH):
                _index_articles(connection, using, ordered[start : start + INDEX_BATCH])
            refreshed += len(article_ids)
    return refreshed


def _clean(text: str) -> str:
    return (text or "").translate(_MARKERS)


def _index_articles(connection, using, ids):
    """Replaces the index rows of these stories (and drops those of deleted stories)."""
    rows = Article.objects.using(using).filter(pk__in=ids)
    rows = rows.values_list("pk", "headline", "standfirst", "body")
    authors, tags = defaultdict(list), defaultdict(list)
    bylines = ArticleAuthor.objects.using(using).filter(article_id__in=ids)
    for article_id, name in bylines.order_by("position", "pk").values_list(
        "article_id", "author__name"
    ):
        authors[article_id].append(name)
    tagged = TaggedArticle.objects.using(using).filter(content_object_id__in=ids)
    for article_id, name in tagged.values_list("content_object_id", "tag__name"):
        tags[article_id].append(name)
    documents = [
        (
            pk,
            _clean(headline),
            _clean(standfirst),
            _clean(html_to_plain(body)),
            _clean(" ".join(authors[pk])),
            _clean(" ".join(tags[pk])),
        )
        for pk, headline, standfirst, body in rows
    ]
    SearchDocument.objects.using(using).filter(pk__in=ids).delete()
    if connection.vendor != "postgresql":
        SearchDocument.objects.using(using).bulk_create(
            SearchDocument(
                article_id=pk,
                headline=headline,
                standfirst=standfirst,
                body=text,
                authors=names,
                tags=topics,
            )
            for pk, headline, standfirst, text, names, topics in documents
        )
        return
    config = search_config()
    vector = " || ".join(
        f"setweight(to_tsvector(%s::regconfig, %s), '{weight}')" for weight in "ABCBB"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO articles_searchdocument "
            "(article_id, headline, standfirst, body, authors, tags, document) "
            f"VALUES (%s, %s, %s, %s, %s, %s, {vector})",
            [
                (
                    pk,
                    head,
                    stand,
                    text.translate(_PG_SNIPPET_TEXT),
                    names,
                    topics,
                    *(
                        value
                        for part in (head, stand, text, names, topics)
                        for value in (config, part.translate(_PG_VECTOR_TEXT))
                    ),
                )
                for pk, head, stand, text, names, topics in documents
            ],
        )


def enqueue_all(using=DEFAULT_DB_ALIAS):
    """Marks every story for re-indexing, and forgets index rows of deleted stories."""
    SearchDocument.objects.using(using).exclude(
        article_id__in=Article.objects.using(using).values("pk")
    ).delete()
    with connections[using].cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_searchupdate (kind, object_id) "
            "SELECT 'article', id FROM articles_article WHERE true "
            "ON CONFLICT DO NOTHING"
        )


def rebuild(using=DEFAULT_DB_ALIAS) -> int:
    """Re-indexes every story (manage.py rebuild_search_index, import_site)."""
    ensure_triggers(using)
    enqueue_all(using)
    return refresh_search_index(using=using)


# --- Triggers lost to SQLite table rebuilds -------------------------------------------------

# The schema's SQL as migration 0023 froze it; read here only to put back what SQLite dropped.
_schema = importlib.import_module("articles.migrations.0026_search_model_search_index")
TABLES = {"postgresql": "articles_searchdocument", "sqlite": _schema.FTS}
_EXISTING_TRIGGERS = {
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
    "AND tgname LIKE 'articles_searchupdate_%'",
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' "
    "AND name LIKE 'articles_searchupdate_%'",
}


def ensure_triggers(using=DEFAULT_DB_ALIAS) -> bool:
    """Creates the change-recording triggers that are missing; True if any was.

    SQLite drops a table's triggers when Django rebuilds the table in a later migration (#5).
    """
    connection = connections[using]
    if connection.vendor not in TABLES:
        return False
    if "articles_searchupdate" not in connection.introspection.table_names():
        return False  # migration 0023 is not applied (yet, or any more)
    triggers = _schema.TRIGGERS[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(_EXISTING_TRIGGERS[connection.vendor])
        existing = {name for (name,) in cursor.fetchall()}
        missing = [name for name in triggers if name not in existing]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {triggers[name]}")
    return bool(missing)


def after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """After every migrate: put back triggers a table rebuild dropped (re-indexing everything
    then, as writes may have gone unrecorded), and index what is recorded as changed — after
    an upgrade, the stories a data migration wrote."""
    if getattr(sender, "label", None) != "articles":
        return
    if connections[using].vendor not in TABLES:
        return
    if "articles_searchupdate" not in connections[using].introspection.table_names():
        return
    if ensure_triggers(using):
        enqueue_all(using)
    refresh_search_index(using=using)
