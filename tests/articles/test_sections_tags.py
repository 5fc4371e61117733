"""Sections, tag pages and related stories (#4)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.form_fields import TagNamesField
from articles.models import Article, Tag
from tests.factories import (
    DraftArticleFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ScheduledArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db


class SectionTests:
    def test_page_lists_only_its_live_stories(self, client):
        city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
        live = PublishedArticleFactory(section=city, headline="Council votes")
        PublishedArticleFactory(section=sport, headline="Athletic win")
        hidden = [
            factory(section=city)
            for factory in (DraftArticleFactory, ScheduledArticleFactory, WithdrawnArticleFactory)
        ]
        response = client.get("/sections/city/")
        html = response.content.decode()
        assert response.status_code == 200
        assert list(response.context["article_list"]) == [live]
        assert '<h1 class="listing-header__title">City</h1>' in html
        assert "Athletic win" not in html
        assert all(story.headline not in html for story in hidden)

    def test_navigation_lists_sections_in_order(self, client):
        SectionFactory(name="Sport", order=2)
        SectionFactory(name="City", order=1)
        SectionFactory(name="Hidden", order=0, in_navigation=False)
        nav = client.get("/").content.decode().split('aria-label="Main"')[1].split("</nav>")[0]
        assert nav.index("City") < nav.index("Sport") and "Hidden" not in nav

    def test_paginated_and_bad_pages_are_404(self, client):
        city = SectionFactory(name="City")
        PublishedArticleFactory.create_batch(21, section=city)
        assert len(client.get("/sections/city/", {"page": 2}).context["article_list"]) == 1
        assert client.get("/sections/city/", {"page": "x"}).status_code == 404
        assert client.get("/sections/nowhere/").status_code == 404

    def test_deleting_a_section_keeps_its_stories(self):
        story = PublishedArticleFactory(section=SectionFactory(name="City"))
        story.section.delete()
        story.refresh_from_db()
        assert story.section is None and story.is_published()


class TagTests:
    @pytest.mark.parametrize(
        "name", ["Public health", "Café crème", "中国", "São Paulo", "🔥", "🔥🔥", "C++ & co."]
    )
    def test_any_tag_gets_a_working_page(self, client, name):
        story = PublishedArticleFactory()
        story.tags.add(name)
        tag = Tag.objects.get(name=name)
        assert tag.slug
        url = tag.get_absolute_url()
        assert url == reverse("articles:tag", kwargs={"slug": tag.slug})
        response = client.get(url)
        assert response.status_code == 200
        assert story.headline in response.content.decode()
        article_page = client.get(story.get_absolute_url()).content.decode()
        assert f'href="{url}"' in article_page

    def test_emoji_only_tags_get_distinct_slugs(self):
        story = PublishedArticleFactory()
        story.tags.add("🔥", "🌊")
        slugs = set(Tag.objects.values_list("slug", flat=True))
        assert len(slugs) == 2 and all(slugs)

    def test_tag_page_shows_only_live_stories(self, client):
        live, draft = PublishedArticleFactory(), DraftArticleFactory()
        live.tags.add("port")
        draft.tags.add("port")
        response = client.get("/tags/port/")
        assert list(response.context["article_list"]) == [live]

    def test_unknown_tag_is_404(self, client):
        assert client.get("/tags/nothing-here/").status_code == 404


class TagAutocompleteTests:
    def test_suggests_existing_names_to_staff(self, client):
        PublishedArticleFactory().tags.add("Trams", "Transport", "Budget")
        client.force_login(ReporterFactory())
        response = client.get(reverse("admin:articles_tag_names"), {"term": "tra"})
        assert response.json()["results"] == [
            {"id": "Trams", "text": "Trams"},
            {"id": "Transport", "text": "Transport"},
        ]

    def test_anonymous_visitors_get_nothing(self, client):
        response = client.get(reverse("admin:articles_tag_names"), {"term": "a"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    def test_names_are_kept_new_or_existing_whatever_their_case(self):
        field = TagNamesField(required=False)
        assert field.clean(["2026", " city  hall ", "City Hall", "a, b"]) == [
            "2026",
            "city hall",
            "a",
            "b",
        ]
        story = PublishedArticleFactory()
        story.tags.add("Trams")
        other = PublishedArticleFactory()
        other.tags.set(["trams"])
        assert Tag.objects.count() == 1


class RelatedStoryTests:
    def test_same_section_or_tag_live_only_not_itself(self, client):
        city = SectionFactory(name="City")
        story = PublishedArticleFactory(section=city)
        story.tags.add("trams")
        same_section = PublishedArticleFactory(section=city)
        same_tag = PublishedArticleFactory()
        same_tag.tags.add("trams")
        unrelated = PublishedArticleFactory()
        draft = DraftArticleFactory(section=city)
        related = list(Article.objects.related_to(story))
        assert set(related) == {same_section, same_tag}
        html = client.get(story.get_absolute_url()).content.decode()
        aside = html.split('aria-labelledby="related-title"')[1]
        assert same_section.headline in aside and same_tag.headline in aside
        assert unrelated.headline not in aside and draft.headline not in aside

    def test_a_story_sharing_several_tags_shows_once(self):
        story = PublishedArticleFactory()
        story.tags.add("a", "b")
        other = PublishedArticleFactory()
        other.tags.add("a", "b")
        assert list(Article.objects.related_to(story)) == [other]


class ImportOptionTests:
    def test_section_and_tags(self, tmp_path):
        SectionFactory(name="City")
        path = tmp_path / "story.txt"
        path.write_text("Tram opens\n\nIt ran on time.\n\nAnn Ames\n")
        call_command(
            "import_article",
            str(path),
            "--section",
            "city",
            "--tags",
            "trams, City hall",
            stdout=StringIO(),
        )
        story = Article.objects.get()
        assert story.section.name == "City"
        assert sorted(story.tags.names()) == ["City hall", "trams"]

    def test_unknown_section_is_refused(self, tmp_path):
        path = tmp_path / "story.txt"
        path.write_text("Tram opens\n\nIt ran on time.\n")
        with pytest.raises(CommandError, match="no section called"):
            call_command("import_article", str(path), "--section", "Nope", stdout=StringIO())
        assert not Article.objects.exists()
