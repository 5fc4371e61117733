"""The newsroom's own pages: about, contact, corrections policy, privacy (#16).

A small model rather than django.contrib.flatpages: flatpages stores its body as raw HTML in a
plain textarea (editors would write markup, and nothing sanitises it), brings the sites
framework, and serves pages by catching 404s or from a catch-all pattern that would sit beside
the dated story addresses. Here a page is written in the same rich editor as a story and
cleaned by the same sanitiser on every save, lives at /pages/<slug>/, and says whether and
where the footer lists it.
"""

from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField

from articles.text import EDITOR_EXTENSIONS, html_to_plain, sanitize_html
from newsroom.models import TimeStampedModel

# What a page may hold: words, headings, lists, quotes and links. Pictures, tables and embeds
# are the stories' (their rendering reads the picture library); the sanitiser is the stories'.
PAGE_EDITOR_EXTENSIONS = {
    **{
        name: EDITOR_EXTENSIONS[name]
        for name in (
            *("Bold", "Italic", "Heading", "BulletList", "OrderedList", "ListItem"),
            *("Blockquote", "HorizontalRule", "HardBreak", "NoSpellCheck"),
        )
    },
    # Plain links: a page names addresses, not stories by number (those are rendered for
    # readers by the stories' own body renderer).
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}


class PageQuerySet(models.QuerySet):
    def in_footer(self):
        """The pages the footer lists, in the editors' order."""
        return self.filter(show_in_footer=True).order_by("footer_order", "title")


class Page(TimeStampedModel):
    title = models.CharField(max_length=120, help_text="The page's heading, e.g. “About us”.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The last part of the page's address, /pages/about/. Changing it breaks links "
        "to the page.",
    )
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One plain sentence for search results and social cards. Empty: the start of "
        "the page.",
    )
    body = ProseEditorField(
        config={"extensions": PAGE_EDITOR_EXTENSIONS},
        sanitize=sanitize_html,
        blank=True,
        help_text="Paragraphs, headings, lists, quotes and links.",
    )
    show_in_footer = models.BooleanField(
        default=True,
        help_text="Listed in the footer of every page. Unticked, the page is still at its "
        "address for whoever has the link.",
    )
    footer_order = models.PositiveSmallIntegerField(
        default=0, help_text="Pages with lower numbers come first in the footer."
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["footer_order", "title"]
        get_latest_by = "updated_at"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"slug": self.slug})

    @property
    def meta_description(self) -> str:
        """Plain text for search results: the summary, else the start of the page."""
        return Truncator(self.summary or html_to_plain(self.body)).chars(160)

    def save(self, *args, **kwargs):
        # The admin's form sanitises in full_clean(); a script or an import doesn't call it.
        self.body = sanitize_html(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body"}
        super().save(*args, **kwargs)
