"""The whole site out to a directory and back into an empty database (#7).

`manage.py export_site DIR` writes

    DIR/data/<app>.<model>.jsonl   every row of every model, in Django's serialization format
                                   (JSON Lines: one row a line, read back one at a time)
    DIR/media/<name>               every file a row names: picture originals and renditions,
                                   read through the field's storage (a folder, or S3)
    DIR/manifest.json              format, Newsroom version, time, schema (applied migrations),
                                   and the row count and SHA-256 of every file; written last,
                                   so a directory without one is an export that did not finish

and `manage.py import_site DIR` checks all of that before it writes anything, then loads it in
one transaction.

What travels: every model of every installed app, found at run time so that a model or field
added later travels too, with its primary keys, so references between rows need no
rewriting. Content types and permissions, which `migrate` makes in every database with ids of
its own, stay behind and are referred to by natural key; groups travel without their ids and
are matched by name, since a data migration has already made the newsroom's. Accounts travel
without their password hashes: imported accounts have unusable passwords until someone sets
new ones.

What stays behind, and why: sessions (logins end with the export, and passwords don't
travel), sign-in attempts and lockouts (the state of the running site, with visitors' IP
addresses), the page cache and the search index (both rebuilt: they are derived from the rows;
the page cache is emptied here, and the caller's `rebuild` builds the rest, so that this module
knows no app, #13).
Preview links do travel: a link's token is its id signed with the SECRET_KEY, which is not in
the archive, and keeping the rows (with their expiry and revocation) means an old token can
never name a different, newer preview link on a restored site that keeps its SECRET_KEY. The
admin log travels too: the services write every publish, withdrawal and correction there,
and the admin's History pages show it.

Rows are loaded with `raw=True`, as `loaddata` does: no model's `save()` runs, so nothing is
recomputed (publication dates, version numbers, timestamps, renditions) and every value is
restored as it was exported. An archive is trusted like a database dump: import only your own.
"""

import dataclasses
import hashlib
import json
import shutil
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, time
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files import File
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from newsroom.pagecache import purge
from newsroom.surrogate_keys import EVERYTHING

FORMAT = "newsroom-site-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Apps and models whose rows stay behind: made by `migrate` in every database (content types,
# permissions), or the state of a running site rather than its content (logins, sign-in
# attempts and lockouts, which also hold visitors' IP addresses; who has a story open, and who
# holds it; the versions of what app servers keep in memory, all new after an import,
# newsroom/lookups.py). Unpublished changes and unsaved work travel: they are words someone
# typed.
NOT_EXPORTED = {
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "articles.presence",
    "articles.editlock",
    "newsroom.lookupversion",
    # The search index is derived from the stories: the import rebuilds it (#17).
    "articles.searchdocument",
    "articles.searchupdate",
}
# Referred to by natural key, because each database numbers them itself.
NATURAL_KEYS = {"contenttypes.contenttype", "auth.permission", "auth.group"}
# Exported without ids and matched by natural key on import: migrations create some of them.
MATCHED_BY_NAME = {"auth.group"}
CHUNK_ROWS = 2000


@dataclasses.dataclass(frozen=True)
class ModelEntry:
    model: str  # "articles.article"
    count: int
    sha256: str  # of its data file


@dataclasses.dataclass(frozen=True)
class MediaEntry:
    field: str  # "images.image.file": the field whose storage keeps the file
    name: str  # the file's name in that storage, and under DIR/media/
    size: int
    sha256: str


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def exported_models() -> list[type[models.Model]]:
    """Every concrete model whose rows an export carries, in an order that loads: a model
    referred to by natural key comes before the models referring to it."""
    by_app = defaultdict(list)
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed or NOT_EXPORTED & {opts.app_label, opts.label_lower}:
            continue
        by_app[opts.app_config].append(model)
    return serializers.sort_dependencies(list(by_app.items()), allow_cycles=True)


def data_path(directory: Path, label: str) -> Path:
    return directory / "data" / f"{label}.jsonl"


def media_path(directory: Path, name: str) -> Path:
    """Where a stored file lives in the archive; names that would leave DIR/media/ are refused."""
    root = directory / "media"
    relative = PurePosixPath(name)
    path = root.joinpath(*relative.parts)
    if (
        not name
        or relative.is_absolute()
        or ".." in relative.parts
        or not path.resolve().is_relative_to(root.resolve())
    ):
        raise CommandError(f"Refusing the media file name {name!r}: it leads out of media/.")
    return path


def newsroom_version() -> str:
    try:
        return metadata.version("newsroom")
    except metadata.PackageNotFoundError:
        return "unknown"


def _refers_by_natural_key(model) -> bool:
    fields = [*model._meta.fields, *model._meta.many_to_many]
    return any(
        field.related_model and field.related_model._meta.label_lower in NATURAL_KEYS
        for field in fields
    )


def _serialized_fields(model):
    """Field names to write, or None for all of them: an account's password never leaves."""
    if model is not get_user_model():
        return None
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [field.name for field in fields if not field.primary_key and field.name != "password"]


def _file_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _applied_migrations(connection) -> dict[str, list[str]]:
    found = defaultdict(list)
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        found[app_label].append(name)
    return {app_label: sorted(names) for app_label, names in sorted(found.items())}


# Export ---------------------------------------------------------------------------------------


def export_site(directory: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Writes the site to `directory`, which must be new or empty; returns the manifest."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise CommandError(f"{directory} is not an empty directory: export into a new one.")
    created = not directory.exists()
    # Drafts and staff e-mail addresses: readable by the owner only.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        manifest = _export(directory, using)
    except BaseException:
        # No half-written export is left behind to be mistaken for one (or to block a retry).
        for child in directory.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        if created:
            directory.rmdir()
        raise
    return manifest


def _export(directory: Path, using: str) -> dict:
    (directory / "data").mkdir()
    connection = connections[using]
    files = {}  # (field, name) pairs, found while the rows are written
    in_transaction = connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and not in_transaction:
            # One snapshot for every table, without blocking anyone, as pg_dump does.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        entries = [_dump(model, directory, files, using) for model in exported_models()]
        migrations = _applied_migrations(connection)
    media, missing = _copy_media(directory, files)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "newsroom_version": newsroom_version(),
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
        "models": [dataclasses.asdict(entry) for entry in entries],
        "media": [dataclasses.asdict(entry) for entry in media],
        # Files rows named but the storage didn't have: already lost before this export.
        "missing_media": missing,
    }
    partial = directory / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    partial.replace(directory / MANIFEST)
    return manifest


def _dump(model, directory: Path, files: dict, using: str) -> ModelEntry:
    label = model._meta.label_lower
    file_fields = _file_fields(model)
    m2m = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    count = 0

    def rows():
        nonlocal count
        # The base manager: a default manager that hides rows (a trash) must not lose them.
        queryset = model._base_manager.using(using).order_by("pk").prefetch_related(*m2m)
        for obj in queryset.iterator(chunk_size=CHUNK_ROWS):
            count += 1
            for field in file_fields:
                name = getattr(obj, field.attname).name
                if name:
                    files[(field, name)] = None
            yield obj

    path = data_path(directory, label)
    with path.open("w", encoding="utf-8") as stream:
        serializers.serialize(
            "jsonl",
            rows(),
            stream=stream,
            cls=_ExactEncoder,
            fields=_serialized_fields(model),
            use_natural_foreign_keys=_refers_by_natural_key(model),
            use_natural_primary_keys=label in MATCHED_BY_NAME,
        )
    return ModelEntry(model=label, count=count, sha256=_sha256(path))


def _copy_media(directory: Path, files: dict) -> tuple[list[MediaEntry], list[dict]]:
    copied, missing = [], []
    for field, name in files:
        label = f"{field.model._meta.label_lower}.{field.name}"
        target = media_path(directory, name)
        if not field.storage.exists(name):
            missing.append({"field": label, "name": name})
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with field.storage.open(name, "rb") as source, target.open("wb") as out:
            for chunk in source.chunks():
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        copied.append(MediaEntry(field=label, name=name, size=size, sha256=digest.hexdigest()))
    return copied, missing


# Import ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Archive:
    """A checked export: its manifest, and the models to load in order."""

    directory: Path
    manifest: dict
    models: list[tuple[type[models.Model], ModelEntry]]
    media: list[MediaEntry]
    loaded: dict = dataclasses.field(default_factory=dict)  # {label: rows}, once imported


def _record(cls, data):
    """A manifest entry as `cls`, or TypeError if its keys or their types differ."""
    record = cls(**data)
    for field in dataclasses.fields(cls):
        if type(getattr(record, field.name)) is not field.type:
            raise TypeError(f"{field.name} should be of type {field.type.__name__}")
    return record


def read_archive(directory: Path) -> Archive:
    """The export in `directory`, or CommandError saying what is wrong with it."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CommandError(f"{directory} is not a directory.")
    path = directory / MANIFEST
    if not path.is_file():
        raise CommandError(
            f"{directory} has no {MANIFEST}: it is not a site export, or its export did not "
            "finish (the manifest is written last)."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise CommandError(f"{path} is damaged: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{path} is not the manifest of a Newsroom site export.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CommandError(
            f"{path} is in export format {manifest.get('format_version')!r}, made by Newsroom "
            f"{manifest.get('newsroom_version')}; this version reads format {FORMAT_VERSION}."
        )
    try:
        entries = [_record(ModelEntry, entry) for entry in manifest["models"]]
        media = [_record(MediaEntry, entry) for entry in manifest["media"]]
        if not isinstance(manifest["migrations"], dict):
            raise TypeError("migrations should be an object")
    except (KeyError, TypeError) as error:
        raise CommandError(f"{path} is damaged: {error!r}.") from None
    known = {model._meta.label_lower: model for model in exported_models()}
    unknown = sorted({entry.model for entry in entries} - known.keys())
    if unknown:
        raise CommandError(f"The export holds models this site does not import: {unknown}.")
    listed = {entry.model: entry for entry in entries}
    ordered = [(model, listed[label]) for label, model in known.items() if label in listed]
    return Archive(directory, manifest, ordered, media)


def verify(archive: Archive) -> None:
    """Every file is there, whole: the checksums match the manifest."""
    damaged = []
    for _model, entry in archive.models:
        path = data_path(archive.directory, entry.model)
        if not path.is_file() or _sha256(path) != entry.sha256:
            damaged.append(str(path.relative_to(archive.directory)))
    for entry in archive.media:
        _file_field(entry.field)
        path = media_path(archive.directory, entry.name)
        if not path.is_file() or path.stat().st_size != entry.size or _sha256(path) != entry.sha256:
            damaged.append(f"media/{entry.name}")
    if damaged:
        shown = ", ".join(damaged[:10]) + (f" and {len(damaged) - 10} more" if damaged[10:] else "")
        raise CommandError(f"The export is damaged: missing or changed files: {shown}.")


def check_schema(archive: Archive, using: str) -> None:
    """The database has exactly the migrations the export was made with."""
    here = _applied_migrations(connections[using])
    there = archive.manifest["migrations"]
    only_there = [
        f"{a}.{n}" for a, names in there.items() for n in names if n not in here.get(a, [])
    ]
    only_here = [
        f"{a}.{n}" for a, names in here.items() for n in names if n not in there.get(a, [])
    ]
    if only_there or only_here:
        version = archive.manifest.get("newsroom_version")
        raise CommandError(
            "The database schema differs from the export's "
            f"(migrations only in the export: {only_there[:5] or 'none'}; only in this "
            f"database: {only_here[:5] or 'none'}). Import into a database migrated by the "
            f"Newsroom version that made the export ({version}), then upgrade and migrate."
        )


def check_empty(archive: Archive, using: str) -> None:
    """Nothing but what `migrate` creates: the export's rows would collide with any other."""
    found = []
    for model in exported_models():
        if model._meta.label_lower in MATCHED_BY_NAME:
            continue
        count = model._base_manager.using(using).count()
        if count:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            found.append(f"{count:,} {name}")
    if found:
        raise CommandError(
            f"The database is not empty (it has {', '.join(found)}). import_site restores into "
            "an empty database only: create a new one, run migrate, then import_site."
        )


def _file_field(label: str) -> models.FileField:
    model_label, _, name = label.rpartition(".")
    try:
        field = apps.get_model(model_label)._meta.get_field(name)
    except (LookupError, ValueError) as error:
        raise CommandError(f"The export names a file field this site lacks: {label}.") from error
    if not isinstance(field, models.FileField):
        raise CommandError(f"The export names a file field this site lacks: {label}.")
    return field


def import_site(
    directory: Path, *, rebuild: Callable[[str], None], using: str = DEFAULT_DB_ALIAS
) -> Archive:
    """Loads an export into an empty database, in one transaction.

    Everything is checked before anything is written. `rebuild(using)` then runs in the same
    transaction, to rebuild what is derived from the rows (the search index); the page cache
    is emptied after the commit. On any error the transaction is rolled back and the media
    files already copied are deleted again.
    """
    archive = read_archive(directory)
    check_schema(archive, using)
    verify(archive)
    check_empty(archive, using)
    connection = connections[using]
    stored = []  # (storage, name) of files written, to delete if the import fails
    try:
        with transaction.atomic(using=using):
            renamed = _restore_media(archive, stored)
            archive.loaded = _load_rows(archive, renamed, using)
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [m for m, _ in archive.models]
            ):
                with connection.cursor() as cursor:
                    cursor.execute(sql)
            rebuild(using)
            transaction.on_commit(lambda: purge([EVERYTHING]), using=using)
    except (DeserializationError, DatabaseError) as error:
        _delete(stored)
        raise CommandError(
            f"The export could not be loaded, nothing was imported: {error}"
        ) from error
    except BaseException:
        _delete(stored)
        raise
    return archive


def _delete(stored):
    for storage, name in stored:
        storage.delete(name)


def _restore_media(archive: Archive, stored: list) -> dict:
    """Copies the files into their storage; returns {(field, old name): new name} for files
    that had to take another name (a different file already had theirs)."""
    renamed = {}
    for entry in archive.media:
        field = _file_field(entry.field)
        storage = field.storage
        if storage.exists(entry.name):
            with storage.open(entry.name, "rb") as existing:
                if hashlib.file_digest(existing, "sha256").hexdigest() == entry.sha256:
                    continue  # the same file (an earlier attempt, or the site's own folder)
        with media_path(archive.directory, entry.name).open("rb") as source:
            name = storage.save(entry.name, File(source), max_length=field.max_length)
        stored.append((storage, name))
        if name != entry.name:
            renamed[(entry.field, entry.name)] = name
    return renamed


def _load_rows(archive: Archive, renamed: dict, using: str) -> dict:
    connection = connections[using]
    user_model = get_user_model()
    loaded = {}
    # Rows may name rows loaded later: Django's foreign keys are checked at commit
    # (DEFERRABLE INITIALLY DEFERRED), and all at once below, for a clear error.
    for model, entry in archive.models:
        file_fields = _file_fields(model)
        insert = entry.model not in MATCHED_BY_NAME  # the database has none of its rows
        count = 0
        path = data_path(archive.directory, entry.model)
        with path.open(encoding="utf-8") as stream:
            for item in serializers.deserialize("jsonl", stream, using=using):
                obj = item.object
                if type(obj) is not model:
                    raise CommandError(f"{path.name} holds a row of {obj._meta.label}.")
                for field in file_fields:
                    label = f"{entry.model}.{field.name}"
                    old = getattr(obj, field.attname).name
                    if (label, old) in renamed:
                        setattr(obj, field.attname, renamed[(label, old)])
                if model is user_model:
                    obj.set_unusable_password()
                item.save(using=using, force_insert=insert)
                count += 1
        if count != entry.count:
            raise CommandError(f"{path.name} holds {count} rows; the manifest says {entry.count}.")
        loaded[entry.model] = count
    connection.check_constraints(table_names=[model._meta.db_table for model, _ in archive.models])
    return loaded
