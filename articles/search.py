"""Full-text search of published stories: PostgreSQL full-text search, or SQLite FTS5.

One entry point, `search_articles()`, two backends chosen by the database vendor.

How the index stays current (the design choice)
------------------------------------------------
The index lives in tables of its own (created by migration 0010 and by `install()`), never on
`Article`, so the project still runs on SQLite and the `Article` model stays untouched:

* PostgreSQL: ``articles_search_index(article_id, document tsvector, body_text)`` with a GIN
  index on ``document``. The document is weighted: headline A, standfirst B, author names B, tag
  names B, body C, built with the ``NEWSROOM_SEARCH_CONFIG`` text search configuration
  (default "english").
* SQLite: an FTS5 virtual table ``articles_search_fts(headline, standfirst, body, authors,
  tags)`` whose rowid is the article's id, ranked with bm25 column weights.

Every write that can change what a story is found by is caught by **database triggers**, not
by Django signals: inserting, editing or deleting a story (headline, standfirst, body), adding,
changing or removing a byline or a tag, and renaming an author or a tag. Triggers see every
write path — admin, services, the importer, ``shell`` ``.save()``, ``QuerySet.update()``,
``bulk_create()``, fixtures, raw SQL, another process — and need no Python module to have been
imported (signal handlers would only be connected if something imported this module, and would
miss ``update()`` and ``bulk_create()``). The triggers only record *what* changed, in
``articles_search_pending(kind, object_id)``; the text is turned into index rows in Python
(`refresh_search_index()`, which strips the sanitised HTML with `html_to_plain`, the same code
the site uses everywhere else) before every search and by ``manage.py rebuild_search_index``. A
search therefore never sees a stale index, whichever way the story was written.

Publication state is not part of the index: every search starts from
``Article.objects.published()``, so publishing, scheduling or withdrawing a story takes effect
at once and drafts are never found, counted or suggested.

SQLite drops a table's triggers when Django rebuilds that table in a later migration, so a
``post_migrate`` handler (connected in ArticlesConfig.ready()) re-creates any missing trigger
after every ``migrate`` and re-indexes everything when it had to.

User input never reaches SQL text: PostgreSQL gets it as a parameter of
``websearch_to_tsquery`` (which accepts any input); FTS5 gets a MATCH expression built from the
words of the query, each one quoted, also passed as a parameter.
"""

import re
from collections import defaultdict

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Article, ArticleAuthor, TaggedArticle
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


# --- Searching -------------------------------------------------------------------------------


def search_articles(query, *, section=None, author=None, date_from=None, date_to=None):
    """Published stories matching the query, best first, each annotated with `search_rank`
    (higher is better) and `search_snippet` (text with MARK_START/MARK_END around the matched
    words; render it with `snippet_html()`).

    `section` and `author` are slugs; `date_from`/`date_to` are dates (inclusive) of
    publication. A query without any word matches nothing.
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
        return stories.none()

    connection = connections[stories.db]
    refresh_search_index(using=stories.db)
    if connection.vendor == "postgresql":
        stories = _postgresql_search(stories, query)
    elif connection.vendor == "sqlite":
        stories = _sqlite_search(stories, query)
    else:
        stories = _plain_search(stories, query)
    return stories.for_listing().order_by("-search_rank", "-published_at", "-pk")


def matching_any_state(query, using=DEFAULT_DB_ALIAS):
    """The ids of every story, in any state, whose index entry matches the query, as a
    subquery: the admin's search of the story list (#14). Scanning every body with LIKE took
    over a minute at a million stories; the index answers from its own GIN or FTS5 index.
    None when the query has no word (nothing to match), or on another database."""
    query = (query or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    connection = connections[using]
    if not terms(query) or connection.vendor not in ("postgresql", "sqlite"):
        return None
    refresh_search_index(using=using)
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT article_id FROM articles_search_index "
            "WHERE document @@ websearch_to_tsquery(%s::regconfig, %s)",
            [search_config(), query],
        )
    return RawSQL(
        "SELECT rowid FROM articles_search_fts WHERE articles_search_fts MATCH %s",
        [fts5_match(query)],
    )


def _newest(stories, matching):
    """The newest MAX_RESULTS of the stories whose ids `matching` selects.

    Their ids are fetched once, here: ranking the page and counting the results then read
    this short list instead of matching the archive again, each."""
    newest = stories.filter(pk__in=matching).order_by("-published_at", "-pk")
    ids = list(newest.values_list("pk", flat=True)[:MAX_RESULTS])
    return Article.objects.filter(pk__in=ids)


def _postgresql_search(stories, query):
    config = search_config()
    tsquery = SearchQuery(query, config=config, search_type="websearch")
    document = _IndexValue(
        "SELECT document FROM articles_search_index WHERE article_id = {pk}",
        [],
        SearchVectorField(),
    )
    body_text = _IndexValue(
        "SELECT body_text FROM articles_search_index WHERE article_id = {pk}", [], TextField()
    )
    # The match as an id list straight from the GIN-indexed table; ranks and snippets are
    # computed only for the rows that are counted or shown.
    matching = RawSQL(
        "SELECT article_id FROM articles_search_index "
        "WHERE document @@ websearch_to_tsquery(%s::regconfig, %s)",
        [config, query],
    )
    return _newest(stories, matching).annotate(
        search_rank=SearchRank(document, tsquery),
        search_snippet=SearchHeadline(
            body_text,
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


def _sqlite_search(stories, query):
    match = fts5_match(query)
    weights = ", ".join(str(weight) for weight in FTS5_WEIGHTS)
    matching = RawSQL(
        "SELECT rowid FROM articles_search_fts WHERE articles_search_fts MATCH %s", [match]
    )
    return _newest(stories, matching).annotate(
        # bm25() is smaller for better matches: negate it so that higher is better everywhere.
        search_rank=_IndexValue(
            f"SELECT -bm25(articles_search_fts, {weights}) FROM articles_search_fts "
            "WHERE articles_search_fts MATCH %s AND rowid = {pk}",
            [match],
            FloatField(),
        ),
        search_snippet=_IndexValue(
            "SELECT snippet(articles_search_fts, 2, %s, %s, '…', 32) FROM articles_search_fts "
            "WHERE articles_search_fts MATCH %s AND rowid = {pk}",
            [MARK_START, MARK_END, match],
            TextField(),
        ),
    )


def _plain_search(stories, query):
    """Other databases: every word in the headline, standfirst or body; no ranking."""
    for term in terms(query):
        stories = stories.filter(
            Q(headline__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        )
    return stories.annotate(
        search_rank=Value(0.0, output_field=FloatField()),
        search_snippet=Value("", output_field=TextField()),
    )


# --- Keeping the index current ---------------------------------------------------------------


def refresh_search_index(using=DEFAULT_DB_ALIAS) -> int:
    """Indexes every story the triggers recorded as changed; returns how many were refreshed.

    One cheap query when nothing changed. Rows are claimed with DELETE … RETURNING inside the
    transaction, so a write that happens meanwhile is recorded again and picked up next time.
    """
    connection = connections[using]
    if connection.vendor not in VENDOR_SCHEMA:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM articles_search_pending LIMIT 1")
        if cursor.fetchone() is None:
            return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_search_pending RETURNING kind, object_id")
        pending = defaultdict(set)
        for kind, object_id in cursor.fetchall():
            pending[kind].add(object_id)
        article_ids = set(pending["article"])
        if pending["author"]:
            article_ids.update(
                ArticleAuthor.objects.using(using)
                .filter(author_id__in=pending["author"])
                .values_list("article_id", flat=True)
            )
        if pending["tag"]:
            article_ids.update(
                TaggedArticle.objects.using(using)
                .filter(tag_id__in=pending["tag"])
                .values_list("content_object_id", flat=True)
            )
        ordered = sorted(article_ids)
        for start in range(0, len(ordered), INDEX_BATCH):
            _index_articles(connection, using, ordered[start : start + INDEX_BATCH])
    return len(article_ids)


def _clean(text: str) -> str:
    return (text or "").translate(_MARKERS)


def _index_articles(connection, using, ids):
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
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM articles_search_index WHERE article_id IN ({placeholders})", ids
            )
            config = search_config()
            vector = " || ".join(
                f"setweight(to_tsvector(%s::regconfig, %s), '{weight}')" for weight in "ABCBB"
            )
            cursor.executemany(
                "INSERT INTO articles_search_index (article_id, document, body_text) "
                f"VALUES (%s, {vector}, %s)",
                [
                    (
                        pk,
                        *(
                            value
                            for text in (head, stand, body, names, topics)
                            for value in (config, text.translate(_PG_VECTOR_TEXT))
                        ),
                        body.translate(_PG_SNIPPET_TEXT),
                    )
                    for pk, head, stand, body, names, topics in documents
                ],
            )
        else:
            cursor.execute(f"DELETE FROM articles_search_fts WHERE rowid IN ({placeholders})", ids)
            cursor.executemany(
                "INSERT INTO articles_search_fts (rowid, headline, standfirst, body, authors, tags)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                documents,
            )


def enqueue_all(using=DEFAULT_DB_ALIAS):
    """Marks every story for re-indexing, and forgets index rows of deleted stories."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SCHEMA_TABLES[connection.vendor]}")
        cursor.execute(
            "INSERT INTO articles_search_pending (kind, object_id) "
            "SELECT 'article', id FROM articles_article WHERE true "
            "ON CONFLICT DO NOTHING"
        )


# --- Schema: tables and triggers, per vendor ------------------------------------------------

_PG_TABLES = [
    """CREATE TABLE IF NOT EXISTS articles_search_pending (
        kind varchar(10) NOT NULL,
        object_id bigint NOT NULL,
        PRIMARY KEY (kind, object_id)
    )""",
    """CREATE TABLE IF NOT EXISTS articles_search_index (
        article_id bigint PRIMARY KEY,
        document tsvector NOT NULL,
        body_text text NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX IF NOT EXISTS articles_search_index_document "
    "ON articles_search_index USING gin (document)",
    # Records the id found in column TG_ARGV[1] of the changed row, as kind TG_ARGV[0].
    """CREATE OR REPLACE FUNCTION articles_search_enqueue() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO articles_search_pending (kind, object_id)
            VALUES (TG_ARGV[0], (to_jsonb(OLD) ->> TG_ARGV[1])::bigint)
            ON CONFLICT DO NOTHING;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            INSERT INTO articles_search_pending (kind, object_id)
            VALUES (TG_ARGV[0], (to_jsonb(NEW) ->> TG_ARGV[1])::bigint)
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE OR REPLACE FUNCTION articles_search_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM articles_search_index;
        DELETE FROM articles_search_pending WHERE kind = 'article';
        RETURN NULL;
    END
    $$""",
]

# name -> the rest of CREATE TRIGGER <name> …
_PG_TRIGGERS = {
    "articles_search_article_write": "AFTER INSERT OR DELETE ON articles_article FOR EACH ROW "
    "EXECUTE FUNCTION articles_search_enqueue('article', 'id')",
    "articles_search_article_edit": "AFTER UPDATE OF headline, standfirst, body "
    "ON articles_article FOR EACH ROW WHEN (OLD.headline IS DISTINCT FROM NEW.headline "
    "OR OLD.standfirst IS DISTINCT FROM NEW.standfirst OR OLD.body IS DISTINCT FROM NEW.body) "
    "EXECUTE FUNCTION articles_search_enqueue('article', 'id')",
    "articles_search_article_truncate": "AFTER TRUNCATE ON articles_article "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_truncated()",
    "articles_search_byline": "AFTER INSERT OR DELETE OR UPDATE OF article_id, author_id "
    "ON articles_articleauthor FOR EACH ROW "
    "EXECUTE FUNCTION articles_search_enqueue('article', 'article_id')",
    "articles_search_tagged": "AFTER INSERT OR DELETE OR UPDATE OF content_object_id, tag_id "
    "ON articles_taggedarticle FOR EACH ROW "
    "EXECUTE FUNCTION articles_search_enqueue('article', 'content_object_id')",
    "articles_search_author_name": "AFTER UPDATE OF name ON authors_author FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name) "
    "EXECUTE FUNCTION articles_search_enqueue('author', 'id')",
    "articles_search_tag_name": "AFTER UPDATE OF name ON articles_tag FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name) "
    "EXECUTE FUNCTION articles_search_enqueue('tag', 'id')",
}

_SQLITE_TABLES = [
    """CREATE TABLE IF NOT EXISTS articles_search_pending (
        kind varchar(10) NOT NULL,
        object_id integer NOT NULL,
        PRIMARY KEY (kind, object_id)
    )""",
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search_fts USING fts5("
    "headline, standfirst, body, authors, tags, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
]


def _sqlite_enqueue(kind, row, column):
    return (
        f"INSERT OR IGNORE INTO articles_search_pending (kind, object_id) "
        f"VALUES ('{kind}', {row}.{column});"
    )


# Trigger bodies only write to articles_search_pending, so rebuilding any other table (as
# Django's SQLite schema editor does) never trips over a reference to it.
_SQLITE_TRIGGERS = {
    "articles_search_article_insert": "AFTER INSERT ON articles_article BEGIN "
    + _sqlite_enqueue("article", "NEW", "id")
    + " END",
    "articles_search_article_edit": "AFTER UPDATE OF headline, standfirst, body "
    "ON articles_article WHEN OLD.headline IS NOT NEW.headline "
    "OR OLD.standfirst IS NOT NEW.standfirst OR OLD.body IS NOT NEW.body BEGIN "
    + _sqlite_enqueue("article", "NEW", "id")
    + " END",
    "articles_search_article_delete": "AFTER DELETE ON articles_article BEGIN "
    + _sqlite_enqueue("article", "OLD", "id")
    + " END",
    "articles_search_byline_insert": "AFTER INSERT ON articles_articleauthor BEGIN "
    + _sqlite_enqueue("article", "NEW", "article_id")
    + " END",
    "articles_search_byline_update": "AFTER UPDATE OF article_id, author_id "
    "ON articles_articleauthor BEGIN "
    + _sqlite_enqueue("article", "OLD", "article_id")
    + _sqlite_enqueue("article", "NEW", "article_id")
    + " END",
    "articles_search_byline_delete": "AFTER DELETE ON articles_articleauthor BEGIN "
    + _sqlite_enqueue("article", "OLD", "article_id")
    + " END",
    "articles_search_tagged_insert": "AFTER INSERT ON articles_taggedarticle BEGIN "
    + _sqlite_enqueue("article", "NEW", "content_object_id")
    + " END",
    "articles_search_tagged_update": "AFTER UPDATE OF content_object_id, tag_id "
    "ON articles_taggedarticle BEGIN "
    + _sqlite_enqueue("article", "OLD", "content_object_id")
    + _sqlite_enqueue("article", "NEW", "content_object_id")
    + " END",
    "articles_search_tagged_delete": "AFTER DELETE ON articles_taggedarticle BEGIN "
    + _sqlite_enqueue("article", "OLD", "content_object_id")
    + " END",
    "articles_search_author_name": "AFTER UPDATE OF name ON authors_author "
    "WHEN OLD.name IS NOT NEW.name BEGIN " + _sqlite_enqueue("author", "NEW", "id") + " END",
    "articles_search_tag_name": "AFTER UPDATE OF name ON articles_tag "
    "WHEN OLD.name IS NOT NEW.name BEGIN " + _sqlite_enqueue("tag", "NEW", "id") + " END",
}

VENDOR_SCHEMA = {
    "postgresql": (_PG_TABLES, _PG_TRIGGERS),
    "sqlite": (_SQLITE_TABLES, _SQLITE_TRIGGERS),
}
SCHEMA_TABLES = {"postgresql": "articles_search_index", "sqlite": "articles_search_fts"}
_EXISTING_TRIGGERS = {
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
    "AND tgname LIKE 'articles_search_%'",
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' "
    "AND name LIKE 'articles_search_%'",
}


def install(connection) -> bool:
    """Creates what is missing of the index tables and triggers; idempotent.

    Returns True if any trigger had to be created (the index may then have missed writes).
    """
    if connection.vendor not in VENDOR_SCHEMA:
        return False
    tables, triggers = VENDOR_SCHEMA[connection.vendor]
    with connection.cursor() as cursor:
        for statement in tables:
            cursor.execute(statement)
        cursor.execute(_EXISTING_TRIGGERS[connection.vendor])
        existing = {name for (name,) in cursor.fetchall()}
        missing = [name for name in triggers if name not in existing]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {triggers[name]}")
    return bool(missing)


def uninstall(connection):
    if connection.vendor not in VENDOR_SCHEMA:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS articles_search_enqueue() CASCADE")
            cursor.execute("DROP FUNCTION IF EXISTS articles_search_truncated() CASCADE")
        else:
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {SCHEMA_TABLES[connection.vendor]}")
        cursor.execute("DROP TABLE IF EXISTS articles_search_pending")


def migrate_forwards(apps, schema_editor):
    install(schema_editor.connection)
    enqueue_all(schema_editor.connection.alias)


def migrate_backwards(apps, schema_editor):
    uninstall(schema_editor.connection)


def ensure_installed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """After every migrate: put back triggers a table rebuild dropped, then re-index."""
    if getattr(sender, "label", None) != "articles":
        return
    connection = connections[using]
    if connection.vendor not in VENDOR_SCHEMA:
        return
    if "articles_search_pending" not in connection.introspection.table_names():
        return  # migration 0010 is not applied (yet, or any more)
    if install(connection):
        enqueue_all(using)
