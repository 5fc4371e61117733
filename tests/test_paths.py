"""Addresses built without reverse() are the ones reverse() gives (#17, newsroom/paths.py)."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article, Section, Tag
from authors.models import Author

slugs = st.one_of(
    st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
    # Anything else (accents, other scripts, spaces, dots, percent signs) goes to reverse().
    # Lone surrogates can't be stored or encoded (UTF-8 refuses them), so no tag has one.
    st.text(
        alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=20,
    ),
)
days = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


@given(day=days, slug=st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True))
def test_a_story_address_is_reverses(day, slug):
    story = Article(publication_date=day, slug=slug)
    kwargs = {"year": day.year, "month": day.month, "day": day.day, "slug": slug}
    assert story.get_absolute_url() == reverse("articles:detail", kwargs=kwargs)
    assert story.day_url == reverse(
        "articles:archive_day", kwargs={"year": day.year, "month": day.month, "day": day.day}
    )


def test_a_story_without_a_date_has_no_address():
    assert Article(slug="draft").get_absolute_url() is None
    assert Article(slug="draft").day_url is None


@given(slug=slugs)
def test_tag_addresses_are_reverses_in_any_script(slug):
    assert Tag(slug=slug).get_absolute_url() == reverse("articles:tag", kwargs={"slug": slug})


@given(slug=st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True))
def test_section_and_author_addresses_are_reverses(slug):
    assert Section(slug=slug).get_absolute_url() == reverse(
        "articles:section", kwargs={"slug": slug}
    )
    assert Author(slug=slug).get_absolute_url() == reverse("authors:detail", kwargs={"slug": slug})
    assert Section(slug=slug).feed_url == reverse("section-feed", kwargs={"slug": slug})
    assert Section(slug=slug).atom_feed_url == reverse("section-feed-atom", kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["", "café", "two words", "a.b", "100%"])
def test_a_slug_reverse_refuses_is_refused_alike(slug):
    with pytest.raises(NoReverseMatch):
        reverse("articles:section", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        Section(slug=slug).get_absolute_url()


def test_under_a_script_prefix_the_addresses_carry_it():
    day = datetime.date(2026, 12, 3)
    story = Article(publication_date=day, slug="harbour")
    try:
        set_script_prefix("/news/")
        expected = reverse(
            "articles:detail", kwargs={"year": 2026, "month": 12, "day": 3, "slug": "harbour"}
        )
        assert expected.startswith("/news/")
        assert story.get_absolute_url() == expected
    finally:
        set_script_prefix("/")
    assert story.get_absolute_url() == "/2026/12/03/harbour/"


def test_a_url_configuration_of_another_shape_is_followed(settings):
    settings.ROOT_URLCONF = "tests.urls_paths"
    story = Article(publication_date=datetime.date(2026, 12, 3), slug="harbour")
    assert story.get_absolute_url() == "/stories/harbour-2026-12-03/"
    assert Section(slug="city").get_absolute_url() == "/s/city"
