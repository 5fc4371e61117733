"""Django as the in-process benchmarks run it (bench.story_list, bench.owner_pages): the
production settings (debug off, no development .env), no page cache, so that every request
reaches the database, and static files' names without collectstatic's manifest (the pages
render the same). Call `setup()` before importing anything that needs Django."""

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_ENV_FILE"] = ""
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["NEWSROOM_HTTPS"] = "false"
    os.environ.pop("REDIS_URL", None)

    import django
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    django.setup()


def explained(sql: str) -> float:
    """A query's execution time in ms by EXPLAIN (ANALYZE, BUFFERS), the best of three. A
    server-side cursor's DECLARE (QuerySet.iterator()) is timed by its SELECT."""
    from django.db import connection

    if sql.startswith("DECLARE"):
        sql = sql[sql.index(" FOR SELECT ") + len(" FOR ") :]
    with connection.cursor() as cursor:
        times = []
        for _ in range(3):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            times.append(plan[0]["Execution Time"])
    return min(times)
