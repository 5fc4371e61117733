"""The stories' side's rarely-changing lookups, kept in memory between requests (#17,
newsroom/lookups.py): the menu's sections, the front page's sections and its pinned stories,
the search form's sections, the breaking-news banners (#18).
Each is read again once a write changed it: a section, a slot or a banner saved or deleted
(model signals, as for the page cache: they have no services), or a pinned story saved (by a
service or any other path: a stale pin must never show a story taken off the site).

Below them, a fact about a story that its page asked the database for on every view is kept
on the story instead: how many corrections readers see (`Article.reader_note_count`)."""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from newsroom.lookups import Lookup

from .models import Article, Breaking, Correction, FrontPageSlot, Section, TrashedArticle


def _load_navigation():
    """The menu's sections, each with its address (`url`) worked out once per version rather
    than on every page."""
    sections = list(Section.objects.filter(in_navigation=True))
    for section in sections:
        section.url = section.get_absolute_url()
    return sections


navigation_sections = Lookup("navigation", _load_navigation)


def _load_front_page_sections():
    """The sections editors put on the front page, in their order, each with its address."""
    sections = list(
        Section.objects.filter(front_page_position__isnull=False).order_by(
            "front_page_position", "name"
        )
    )
    for section in sections:
        section.url = section.get_absolute_url()
    return sections


front_page_sections = Lookup("front_page_sections", _load_front_page_sections)


def _load_section_choices():
    """Every section as (slug, name), in the menu's order: the search form's choices (#17)."""
    return list(Section.objects.values_list("slug", "name"))


section_choices = Lookup("section_choices", _load_section_choices)


def _load_pins():
    """Every slot, with what decides whether its story is live, drafts' too: whether a pin is
    shown depends on the clock (its expiry, the story's time and embargo), so it is decided
    when read (`active_pins`)."""
    return list(
        FrontPageSlot.objects.select_related("article").only(
            "slot",
            "expires_at",
            *(f"article__{name}" for name in FrontPageSlot.STORY_LIVE_FIELDS),
        )
    )


front_page_pins = Lookup("front_page_pins", _load_pins)


def active_pins() -> dict[int, int]:
    """{slot: story id} of the slots shown now: `FrontPageSlot.objects.active()`, without a
    query."""
    now = timezone.now()
    return {pin.slot: pin.article_id for pin in front_page_pins.get() if pin.is_active(now)}


def _load_banners():
    """The banners not yet over, newest first (the model's order): which one is up depends on
    the clock, so it is decided when read (`active_banner`). One over when read stays over (a
    change to it bumps the version), so leaving those out changes nothing."""
    return list(
        Breaking.objects.filter(expires_at__gt=timezone.now()).only(
            "text", "link", "starts_at", "expires_at"
        )
    )


breaking_banners = Lookup("breaking_banners", _load_banners)


def active_banner():
    """The banner shown now, or None: the newest of those up (`Breaking.objects.active()`),
    without a query (#18)."""
    now = timezone.now()
    return next((banner for banner in breaking_banners.get() if banner.is_active(now)), None)


def _story_changed(sender, instance, **kwargs):
    """A story saved, by whatever path: if it is pinned, whether its pin is shown may have
    changed (published, unpublished, rescheduled, embargoed, trashed)."""
    if FrontPageSlot.objects.filter(article_id=instance.pk).exists():
        front_page_pins.bump()


def _section_changed(sender, **kwargs):
    navigation_sections.bump()
    front_page_sections.bump()
    section_choices.bump()


def _slot_changed(sender, **kwargs):
    front_page_pins.bump()


def _banner_changed(sender, **kwargs):
    breaking_banners.bump()


def connect():
    """Called from ArticlesConfig.ready()."""
    connect_counts()
    receivers = [
        (Section, _section_changed),
        (FrontPageSlot, _slot_changed),
        (Breaking, _banner_changed),
        (Article, _story_changed),
        (TrashedArticle, _story_changed),
    ]
    for model, receiver in receivers:
        uid = f"lookups.{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)


# Facts about a story kept on the story -------------------------------------------------------


def _note_changed(sender, instance, **kwargs):
    """A correction, clarification or update added, changed or removed: the story's count of
    them (which its page reads before asking for them) follows, in the same transaction."""
    Article.objects.filter(pk=instance.article_id).count_reader_notes()
    story = instance._state.fields_cache.get("article")
    if story is not None:  # The story in hand says so too, should it be read or saved next.
        try:
            story.refresh_from_db(fields=["reader_note_count"])
        except Article.DoesNotExist:
            pass  # Its notes go with it.


def connect_counts():
    post_save.connect(_note_changed, sender=Correction, dispatch_uid="counts.correction")
    post_delete.connect(_note_changed, sender=Correction, dispatch_uid="counts.correction")
