"""The first full-text search index (#5): a PostgreSQL tsvector table or an SQLite FTS5 table,
plus triggers that record every changed story, author and tag in articles_search_pending.

Migration 0023 replaced it with the SearchDocument model. The SQL is frozen here (#17), not
read from articles/search.py, so that changing the live code never changes what this
migration does; 0023 uses it again to go back.
"""

from django.db import migrations

PG_TABLES = [
    "CREATE TABLE IF NOT EXISTS articles_search_pending (\n"
    "        kind varchar(10) NOT NULL,\n"
    "        object_id bigint NOT NULL,\n"
    "        PRIMARY KEY (kind, object_id)\n"
    "    )",
    "CREATE TABLE IF NOT EXISTS articles_search_index (\n"
    "        article_id bigint PRIMARY KEY,\n"
    "        document tsvector NOT NULL,\n"
    "        body_text text NOT NULL DEFAULT ''\n"
    "    )",
    "CREATE INDEX IF NOT EXISTS articles_search_index_document ON articles_search_index USING gin "
    "(document)",
    "CREATE OR REPLACE FUNCTION articles_search_enqueue() RETURNS trigger\n"
    "    LANGUAGE plpgsql AS $$\n"
    "    BEGIN\n"
    "        IF TG_OP IN ('UPDATE', 'DELETE') THEN\n"
    "            INSERT INTO articles_search_pending (kind, object_id)\n"
    "            VALUES (TG_ARGV[0], (to_jsonb(OLD) ->> TG_ARGV[1])::bigint)\n"
    "            ON CONFLICT DO NOTHING;\n"
    "        END IF;\n"
    "        IF TG_OP IN ('UPDATE', 'INSERT') THEN\n"
    "            INSERT INTO articles_search_pending (kind, object_id)\n"
    "            VALUES (TG_ARGV[0], (to_jsonb(NEW) ->> TG_ARGV[1])::bigint)\n"
    "            ON CONFLICT DO NOTHING;\n"
    "        END IF;\n"
    "        RETURN NULL;\n"
    "    END\n"
    "    $$",
    "CREATE OR REPLACE FUNCTION articles_search_truncated() RETURNS trigger\n"
    "    LANGUAGE plpgsql AS $$\n"
    "    BEGIN\n"
    "        DELETE FROM articles_search_index;\n"
    "        DELETE FROM articles_search_pending WHERE kind = 'article';\n"
    "        RETURN NULL;\n"
    "    END\n"
    "    $$",
]
PG_TRIGGERS = {
    "articles_search_article_edit": "AFTER UPDATE OF headline, standfirst, body ON articles_article "
    "FOR EACH ROW WHEN (OLD.headline IS DISTINCT FROM NEW.headline OR "
    "OLD.standfirst IS DISTINCT FROM NEW.standfirst OR OLD.body IS "
    "DISTINCT FROM NEW.body) EXECUTE FUNCTION "
    "articles_search_enqueue('article', 'id')",
    "articles_search_article_truncate": "AFTER TRUNCATE ON articles_article FOR EACH STATEMENT "
    "EXECUTE FUNCTION articles_search_truncated()",
    "articles_search_article_write": "AFTER INSERT OR DELETE ON articles_article FOR EACH ROW EXECUTE "
    "FUNCTION articles_search_enqueue('article', 'id')",
    "articles_search_author_name": "AFTER UPDATE OF name ON authors_author FOR EACH ROW WHEN "
    "(OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION "
    "articles_search_enqueue('author', 'id')",
    "articles_search_byline": "AFTER INSERT OR DELETE OR UPDATE OF article_id, author_id ON "
    "articles_articleauthor FOR EACH ROW EXECUTE FUNCTION "
    "articles_search_enqueue('article', 'article_id')",
    "articles_search_tag_name": "AFTER UPDATE OF name ON articles_tag FOR EACH ROW WHEN (OLD.name IS "
    "DISTINCT FROM NEW.name) EXECUTE FUNCTION "
    "articles_search_enqueue('tag', 'id')",
    "articles_search_tagged": "AFTER INSERT OR DELETE OR UPDATE OF content_object_id, tag_id ON "
    "articles_taggedarticle FOR EACH ROW EXECUTE FUNCTION "
    "articles_search_enqueue('article', 'content_object_id')",
}
SQLITE_TABLES = [
    "CREATE TABLE IF NOT EXISTS articles_search_pending (\n"
    "        kind varchar(10) NOT NULL,\n"
    "        object_id integer NOT NULL,\n"
    "        PRIMARY KEY (kind, object_id)\n"
    "    )",
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search_fts USING fts5(headline, standfirst, body, "
    "authors, tags, tokenize = 'porter unicode61 remove_diacritics 2')",
]
SQLITE_TRIGGERS = {
    "articles_search_article_delete": "AFTER DELETE ON articles_article BEGIN INSERT OR IGNORE INTO "
    "articles_search_pending (kind, object_id) VALUES ('article', "
    "OLD.id); END",
    "articles_search_article_edit": "AFTER UPDATE OF headline, standfirst, body ON articles_article "
    "WHEN OLD.headline IS NOT NEW.headline OR OLD.standfirst IS NOT "
    "NEW.standfirst OR OLD.body IS NOT NEW.body BEGIN INSERT OR "
    "IGNORE INTO articles_search_pending (kind, object_id) VALUES "
    "('article', NEW.id); END",
    "articles_search_article_insert": "AFTER INSERT ON articles_article BEGIN INSERT OR IGNORE INTO "
    "articles_search_pending (kind, object_id) VALUES ('article', "
    "NEW.id); END",
    "articles_search_author_name": "AFTER UPDATE OF name ON authors_author WHEN OLD.name IS NOT "
    "NEW.name BEGIN INSERT OR IGNORE INTO articles_search_pending "
    "(kind, object_id) VALUES ('author', NEW.id); END",
    "articles_search_byline_delete": "AFTER DELETE ON articles_articleauthor BEGIN INSERT OR IGNORE "
    "INTO articles_search_pending (kind, object_id) VALUES "
    "('article', OLD.article_id); END",
    "articles_search_byline_insert": "AFTER INSERT ON articles_articleauthor BEGIN INSERT OR IGNORE "
    "INTO articles_search_pending (kind, object_id) VALUES "
    "('article', NEW.article_id); END",
    "articles_search_byline_update": "AFTER UPDATE OF article_id, author_id ON articles_articleauthor "
    "BEGIN INSERT OR IGNORE INTO articles_search_pending (kind, "
    "object_id) VALUES ('article', OLD.article_id);INSERT OR IGNORE "
    "INTO articles_search_pending (kind, object_id) VALUES "
    "('article', NEW.article_id); END",
    "articles_search_tag_name": "AFTER UPDATE OF name ON articles_tag WHEN OLD.name IS NOT NEW.name "
    "BEGIN INSERT OR IGNORE INTO articles_search_pending (kind, "
    "object_id) VALUES ('tag', NEW.id); END",
    "articles_search_tagged_delete": "AFTER DELETE ON articles_taggedarticle BEGIN INSERT OR IGNORE "
    "INTO articles_search_pending (kind, object_id) VALUES "
    "('article', OLD.content_object_id); END",
    "articles_search_tagged_insert": "AFTER INSERT ON articles_taggedarticle BEGIN INSERT OR IGNORE "
    "INTO articles_search_pending (kind, object_id) VALUES "
    "('article', NEW.content_object_id); END",
    "articles_search_tagged_update": "AFTER UPDATE OF content_object_id, tag_id ON "
    "articles_taggedarticle BEGIN INSERT OR IGNORE INTO "
    "articles_search_pending (kind, object_id) VALUES ('article', "
    "OLD.content_object_id);INSERT OR IGNORE INTO "
    "articles_search_pending (kind, object_id) VALUES ('article', "
    "NEW.content_object_id); END",
}
TABLES = {"postgresql": PG_TABLES, "sqlite": SQLITE_TABLES}
TRIGGERS = {"postgresql": PG_TRIGGERS, "sqlite": SQLITE_TRIGGERS}
INDEX_TABLE = {"postgresql": "articles_search_index", "sqlite": "articles_search_fts"}


def create(schema_editor):
    """Creates the tables and triggers, and marks every story for indexing (the search of
    that time indexed what was marked before it searched)."""
    vendor = schema_editor.connection.vendor
    if vendor not in TABLES:
        return
    for statement in TABLES[vendor]:
        schema_editor.execute(statement)
    for name, rest in TRIGGERS[vendor].items():
        schema_editor.execute(f"CREATE TRIGGER {name} {rest}")
    schema_editor.execute(
        "INSERT INTO articles_search_pending (kind, object_id) "
        "SELECT 'article', id FROM articles_article WHERE true ON CONFLICT DO NOTHING"
    )


def drop(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS articles_search_enqueue() CASCADE")
        schema_editor.execute("DROP FUNCTION IF EXISTS articles_search_truncated() CASCADE")
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {INDEX_TABLE[vendor]}")
    schema_editor.execute("DROP TABLE IF EXISTS articles_search_pending")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_front_page_slots"),
        ("authors", "0002_photo_from_the_image_library"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: create(schema_editor),
            lambda apps, schema_editor: drop(schema_editor),
        )
    ]
