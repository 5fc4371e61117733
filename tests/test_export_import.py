"""export_site and import_site (#7): a whole site out to a directory and back into an empty
database with nothing lost, and every way an import refuses before it writes anything."""

import json
import re
import shutil
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.test import override_settings
from django.utils import timezone

from articles import editing, services
from articles.models import Article, FrontPageSlot
from articles.roles import ensure_groups
from authors.models import Author
from images.models import Image
from newsroom import siteexport
from newsroom.pagecache import PURGED
from newsroom.surrogate_keys import EVERYTHING
from notifications.models import EmailPreferences
from notifications.services import note_add
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    SectionFactory,
    UserFactory,
    WithdrawnArticleFactory,
)
from tests.images import samples

PASSWORD = "correct horse battery staple"  # the factories' password
User = get_user_model()


def run(*args, stderr=None):
    out = StringIO()
    call_command(*args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def signs_in(client, username, password):
    """Through the admin's login form, as a person would."""
    form = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/", form).status_code == 302


def build_site():
    """A newsroom with something of everything: accounts in roles and a group of their own,
    authors with a photo, stories in every state with ordered bylines, tags, a lead image,
    corrections, revisions, a redirect, a preview link, a front page slot and the admin log."""
    editor = EditorFactory(username="eda", first_name="Eda", last_name="Moreau")
    reporter = ReporterFactory(username="rex")
    UserFactory(username="chief", is_staff=True, is_superuser=True)
    night_desk = Group.objects.create(name="Night desk")
    night_desk.permissions.set(
        Permission.objects.filter(codename__in=["view_article", "publish_article"])
    )
    intern = UserFactory(username="ines", is_staff=True)
    intern.groups.add(night_desk)
    intern.user_permissions.add(Permission.objects.get(codename="view_section"))

    portrait = samples.make_image(samples.jpeg((600, 700)), name="portrait.jpg", alt_text="Ada")
    harbour = samples.make_image(
        samples.png((1300, 900)),
        name="harbour.png",
        alt_text="The harbour at dawn",
        caption="Cranes over the new tunnel.",
        credit="Jane Doe/Reuters",
        focal_x=0.3,
        focal_y=0.65,
    )
    ada = AuthorFactory(name="Ada Ørsted", photo=portrait, user=reporter, email="ada@example.org")
    bo, cy = AuthorFactory(name="Bo Lindqvist"), AuthorFactory(name="Cy Okafor")
    news = SectionFactory(name="News", order=1)
    sport = SectionFactory(name="Sport", order=2, in_navigation=False)

    story = PublishedArticleFactory(
        headline="Harbour tunnel opens after six years of zeppelins",
        seo_title="Harbour tunnel opens",
        seo_description="Six years late, the tunnel under the harbour takes its first cars.",
        section=news,
        lead_image=harbour,
        authors=[cy, ada, bo],  # byline order differs from the authors' ids
    )
    story.tags.add("Trams", "Zürich", "🚋")
    draft = DraftArticleFactory(section=sport, authors=[bo, ada], created_by=reporter)
    draft.tags.add("Trams")
    ScheduledArticleFactory(authors=[ada])
    WithdrawnArticleFactory(authors=[bo])
    ReviewArticleFactory(authors=[cy], updated_by=editor)

    services.article_correct(
        article=story, by=editor, kind="correction", text="An earlier version misspelt Ørsted."
    )
    # A live story's old address redirects.
    services.article_save(article=story, by=editor, changes={"slug": "harbour-tunnel-opens"})
    story = Article.objects.get(pk=story.pk)
    services.revision_record(article=draft, by=reporter, comment="First draft")
    services.preview_link_create(article=draft, by=editor)
    FrontPageSlot.objects.create(
        slot=FrontPageSlot.Slot.LEAD, article=story, expires_at=timezone.now() + timedelta(days=1)
    )
    # Words typed and not published yet travel too (#12); who has a story open doesn't.
    services.article_save(
        article=story, by=editor, changes={"standfirst": "Changes to publish."}, stage=True
    )
    editing.working_copy_keep(
        user=reporter, article=draft, key=uuid.uuid4(), data={"headline": ["Typed, not saved"]}
    )
    editing.beat(user=editor, article=story)
    # The newsroom's notes and notifications (#15) travel in the backup, which is as private
    # as a database dump (newsroom/siteexport.py); no public surface shows them
    # (tests/test_leaks.py). A mention makes a notification; preferences are a user's choice.
    note_add(article=draft, by=editor, text="Ask @rex for the second source.")
    EmailPreferences.objects.create(user=reporter, kinds=["sent_back"])
    return story


def snapshot():
    """Every row of every exported model, field by field, with its many-to-many relations.
    What each database numbers itself (content types, permissions, groups) is compared by
    natural key, accounts without their passwords (which never travel)."""
    site = {}
    for model in siteexport.exported_models():
        opts = model._meta
        by_name = opts.label_lower in siteexport.MATCHED_BY_NAME
        fields = [
            field
            for field in opts.concrete_fields
            if not (by_name and field.primary_key) and field.name != "password"
        ]
        m2m = [f.name for f in opts.many_to_many if f.remote_field.through._meta.auto_created]
        site[opts.label_lower] = [
            {
                **{field.attname: _value(obj, field) for field in fields},
                **{
                    name: sorted(_natural(other) for other in getattr(obj, name).all())
                    for name in m2m
                },
            }
            for obj in model._base_manager.order_by("name" if by_name else "pk")
        ]
    return site


def _natural(obj):
    return tuple(obj.natural_key())


def _value(obj, field):
    if field.is_relation and field.related_model._meta.label_lower in siteexport.NATURAL_KEYS:
        related = getattr(obj, field.name)
        return related and _natural(related)
    value = getattr(obj, field.attname)
    return value.name if isinstance(value, FieldFile) else value


def stored_media():
    return {name: samples.read_stored(name) for name in samples.stored_files()}


def empty_the_site(settings):
    """What a new database is after `migrate` (the groups come from a data migration), and an
    empty media folder."""
    call_command("flush", interactive=False, verbosity=0)
    ensure_groups(Group, Permission)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    assert not Article.objects.exists() and not User.objects.exists()


def manifest_of(directory):
    return json.loads((directory / "manifest.json").read_text())


def rewrite_manifest(directory, change):
    manifest = manifest_of(directory)
    change(manifest)
    (directory / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.django_db(transaction=True)
class RoundTripTests:
    @pytest.mark.slow
    def test_everything_comes_back_into_an_empty_database(self, settings, tmp_path, client):
        story = build_site()
        before, media_before = snapshot(), stored_media()
        for label in [
            "auth.user",
            "auth.group",
            "admin.logentry",
            "images.image",
            "images.rendition",
            "authors.author",
            "articles.section",
            "articles.tag",
            "articles.taggedarticle",
            "articles.article",
            "articles.articleauthor",
            "articles.articleredirect",
            "articles.correction",
            "articles.articlerevision",
            "articles.previewlink",
            "articles.frontpageslot",
            "articles.stagedchange",
            "articles.workingcopy",
            "notifications.note",
            "notifications.notification",
            "notifications.emailpreferences",
        ]:
            assert before[label], f"the test site has no {label}"
        assert len(media_before) > 20  # both originals and their renditions
        url, old_url = story.get_absolute_url(), story.redirects.get().old_path

        export = tmp_path / "backup"
        output = run("export_site", str(export))
        assert f"to {export}" in output and "Passwords are not exported" in output
        manifest = manifest_of(export)
        assert manifest["format"] == "newsroom-site-export" and manifest["missing_media"] == []
        assert {e["model"]: e["count"] for e in manifest["models"]} == {
            label: len(rows) for label, rows in before.items()
        }

        empty_the_site(settings)
        assert stored_media() == {}
        assert cache.get(PURGED + EVERYTHING) is None

        output = run("import_site", str(export))
        assert "4 accounts imported without a password" in output

        after = snapshot()
        assert after.keys() == before.keys()
        for label, rows in before.items():
            assert after[label] == rows, label
        assert stored_media() == media_before
        imported = Article.objects.with_bylines().get(pk=story.pk)
        assert [a.name for a in imported.byline_authors] == [
            "Cy Okafor",
            "Ada Ørsted",
            "Bo Lindqvist",
        ]

        # The restored site works: its story page, the old address, search, the page cache.
        page = client.get(url)
        assert page.status_code == 200
        assert "Harbour tunnel opens after six years of zeppelins" in page.content.decode()
        assert "<title>Harbour tunnel opens | " in page.content.decode()
        assert imported.lead_image.srcset() in page.content.decode()
        assert client.get(old_url).headers["Location"] == url
        results = client.get("/search/", {"q": "zeppelins"})
        assert results.status_code == 200 and url in results.content.decode()
        assert cache.get(PURGED + EVERYTHING) is not None

        # New rows take ids after the imported ones.
        new_story = PublishedArticleFactory(authors=[AuthorFactory()])
        services.article_correct(
            article=new_story,
            by=services.SYSTEM,
            kind="update",
            text="Added the minister's response.",
        )
        samples.make_image(samples.jpeg((500, 400)))
        UserFactory(username="newcomer")
        assert new_story.pk > max(row["id"] for row in before["articles.article"])

    @pytest.mark.slow
    def test_accounts_come_back_without_their_passwords(self, settings, tmp_path, client):
        editor = EditorFactory(username="eda")
        hash_before = editor.password
        assert signs_in(client, "eda", PASSWORD)
        export = tmp_path / "backup"
        run("export_site", str(export))
        exported = "".join(path.read_text() for path in (export / "data").iterdir())
        assert hash_before not in exported and '"password"' not in exported

        empty_the_site(settings)
        run("import_site", str(export))
        editor = User.objects.get(username="eda")
        assert not editor.has_usable_password() and not editor.check_password(PASSWORD)
        assert editor.is_staff and editor.has_perm("articles.publish_article")
        client.logout()
        assert not signs_in(client, "eda", PASSWORD)


@pytest.fixture(scope="module")
def small_export(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small site's export, made once for the tests below; the site itself is rolled back,
    so each test starts from a database as `migrate` leaves it."""
    directory = tmp_path_factory.mktemp("export") / "backup"
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        image = samples.make_image(samples.jpeg((500, 400)), alt_text="A tram")
        PublishedArticleFactory(lead_image=image, authors=[AuthorFactory(photo=image)])
        run("export_site", str(directory))
        transaction.set_rollback(True)
    return directory


@pytest.fixture
def exported(small_export, tmp_path, db):
    """A copy of the small export to damage, and an empty database to import it into."""
    directory = tmp_path / "backup"
    shutil.copytree(small_export, directory)
    ensure_groups(Group, Permission)  # as `migrate` leaves them
    assert_nothing_imported()
    return directory


def assert_nothing_imported():
    assert not Article.objects.exists() and not Author.objects.exists()
    assert not Image.objects.exists() and not User.objects.exists()
    assert stored_media() == {}


@pytest.mark.django_db
class RefusalTests:
    @pytest.mark.slow
    def test_refuses_a_database_that_is_not_empty(self, tmp_path):
        image = samples.make_image(samples.jpeg((700, 500)))
        PublishedArticleFactory(lead_image=image)
        directory = tmp_path / "backup"
        run("export_site", str(directory))
        rows, media = snapshot(), stored_media()
        with pytest.raises(CommandError, match=r"not empty \(it has .*1 story"):
            run("import_site", str(directory))
        assert snapshot() == rows and stored_media() == media

    def test_refuses_an_export_directory_that_is_not_empty(self, tmp_path):
        AuthorFactory()
        directory = tmp_path / "backup"
        directory.mkdir()
        (directory / "notes.txt").write_text("keep me")
        with pytest.raises(CommandError, match="not an empty directory"):
            run("export_site", str(directory))
        assert [path.name for path in directory.iterdir()] == ["notes.txt"]
        with pytest.raises(CommandError, match="not an empty directory"):
            run("export_site", str(directory / "notes.txt"))

    def test_a_file_already_missing_from_the_storage_is_reported(self, tmp_path):
        image = samples.make_image(samples.jpeg((500, 400)))
        lost = image.renditions.first().file.name
        default_storage.delete(lost)
        errors = StringIO()
        run("export_site", str(tmp_path / "backup"), stderr=errors)
        assert f"Missing from the storage, so not in the export: {lost}" in errors.getvalue()
        manifest = manifest_of(tmp_path / "backup")
        assert manifest["missing_media"] == [{"field": "images.rendition.file", "name": lost}]
        assert image.file.name in {entry["name"] for entry in manifest["media"]}

    def test_refuses_a_directory_that_does_not_exist(self, tmp_path):
        with pytest.raises(CommandError, match="is not a directory"):
            run("import_site", str(tmp_path / "nowhere"))


def _edit(change):
    return lambda directory: rewrite_manifest(directory, change)


def _write(name, text):
    return lambda directory: (directory / name).write_text(text)


def _unlink(name):
    return lambda directory: (directory / name).unlink()


def _truncate_a_picture(directory):
    next((directory / "media").rglob("*.jpg")).write_bytes(b"\xff\xd8")


# What is done to the export, and what the refusal says.
DAMAGES = {
    "no manifest": (_unlink("manifest.json"), "has no manifest.json"),
    "cut-off manifest": (_write("manifest.json", '{"format": '), "is damaged"),
    "not a manifest": (_write("manifest.json", "[]"), "not the manifest of a Newsroom"),
    "newer format": (_edit(lambda m: m.update(format_version=2)), "in export format 2"),
    "no checksum": (_edit(lambda m: m["models"][0].pop("sha256")), "is damaged"),
    "size as text": (_edit(lambda m: m["media"][0].update(size="12")), "is damaged"),
    "sessions": (
        _edit(
            lambda m: m["models"].append({"model": "sessions.session", "count": 0, "sha256": ""})
        ),
        "does not import: ['sessions.session']",
    ),
    "newer schema": (
        _edit(lambda m: m["migrations"]["articles"].append("9999_from_the_future")),
        "only in the export: ['articles.9999_from_the_future']",
    ),
    "changed rows": (
        _write("data/articles.article.jsonl", "[]\n"),
        "changed files: data/articles.article.jsonl",
    ),
    "missing rows": (_unlink("data/authors.author.jsonl"), "files: data/authors.author.jsonl"),
    "truncated picture": (_truncate_a_picture, "changed files: media/images/"),
    "path out of media": (
        _edit(lambda m: m["media"][0].update(name="../../outside.jpg")),
        "leads out of media/",
    ),
}


@pytest.mark.django_db
class DamagedExportTests:
    @pytest.mark.parametrize("case", DAMAGES)
    def test_refuses_a_damaged_export_and_writes_nothing(self, exported, case):
        damage, message = DAMAGES[case]
        damage(exported)
        with pytest.raises(CommandError, match=re.escape(message)):
            run("import_site", str(exported))
        assert_nothing_imported()

    def test_a_failure_halfway_rolls_everything_back(self, exported):
        # The last model's count is wrong: every row and file before it is loaded first.
        rewrite_manifest(exported, lambda m: m["models"][-1].update(count=99))
        last = manifest_of(exported)["models"][-1]["model"]
        with pytest.raises(CommandError, match=f"{last}.jsonl holds .* the manifest says 99"):
            run("import_site", str(exported))
        assert_nothing_imported()

    def test_a_different_file_under_the_same_name_is_kept(self, exported):
        name = next(
            e["name"] for e in manifest_of(exported)["media"] if e["name"].startswith("images/")
        )
        default_storage.save(name, ContentFile(b"someone else's file"))
        run("import_site", str(exported))
        image = Image.objects.get()
        assert image.file.name != name
        assert samples.read_stored(image.file.name) == (exported / "media" / name).read_bytes()
        assert samples.read_stored(name) == b"someone else's file"
        assert Author.objects.get().photo == image
