"""Pagination for readers' pages that costs the same whatever the size of the archive.

Django's Paginator counts every matching row to know how many pages there are; on a
newsroom's archive that `COUNT(*)` dominates the list pages and grows forever. Readers need
only "newer" and "older" links, so `ArchivePaginator` fetches one row more than a page: if it
comes back, there is an older page. Pages stop at `MAX_PAGES` (the date archives reach older
stories), which also bounds the OFFSET a request can ask the database to skip.
"""

from collections.abc import Sequence

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

MAX_PAGES = 500


class ArchivePage(Sequence):
    """One page of stories; the subset of Django's `Page` the templates use, without totals."""

    def __init__(self, object_list, number, paginator, has_next):
        self.object_list = object_list
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __repr__(self):
        return f"<Page {self.number}>"

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_previous() or self.has_next()

    def next_page_number(self):
        if not self.has_next():
            raise EmptyPage("That page contains no results")
        return self.number + 1

    def previous_page_number(self):
        if not self.has_previous():
            raise EmptyPage("That page number is less than 1")
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class ArchivePaginator:
    """A drop-in `paginator_class` for ListView that never counts the queryset.

    `count` and `num_pages` are None: a template that needs a total must not be fed by this
    paginator. A page past the end raises `EmptyPage` (ListView answers 404), except the first
    page, which may be empty so that an empty site still renders.
    """

    count = num_pages = None

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        self.object_list = object_list
        self.per_page = int(per_page)
        self.allow_empty_first_page = allow_empty_first_page

    def validate_number(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if number > MAX_PAGES:
            raise EmptyPage("That page is too far back; use the date archives")
        return number

    def page(self, number):
        page = self._fetch(self.validate_number(number))
        if not page and (page.number > 1 or not self.allow_empty_first_page):
            raise EmptyPage("That page contains no results")
        return page

    def get_page(self, number):
        """The page asked for, never an error: page 1 for a number that isn't one or is below
        1, the last allowed page for one beyond it. A page past the end comes back empty (the
        template says there is nothing more): knowing where the end is would mean counting."""
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = MAX_PAGES if int(number) > MAX_PAGES else 1
        return self._fetch(number)

    def _fetch(self, number):
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        return ArchivePage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)


def capped_count(queryset, cap):
    """How many rows the queryset has, counting at most `cap + 1` of them: readers see
    "more than 1,000" rather than the database counting every match."""
    return queryset.order_by().values("pk")[: cap + 1].count()


# The story list of the admin (#14) ----------------------------------------------------------

LIST_COUNT_CAP = 10_000
# A search counts fewer: each match counted is a document the full-text index matched and
# PostgreSQL read back, about 30 µs each; 10,000 of a common word took half a second.
SEARCH_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """The admin's `paginator` for the story list: it counts at most `cap` stories.

    Django's Paginator counts every matching row on each request; at a million stories that
    count alone took longer than the rest of the page. This one counts `cap + 1` at most
    (reading that many index entries), and a list that goes on beyond `cap` says "10,000+"
    and offers the first `cap` stories' pages: the filters and search narrow it further.
    """

    cap = LIST_COUNT_CAP

    @cached_property
    def _counted(self):
        return capped_count(self.object_list, self.cap)

    @property
    def is_capped(self):
        """Whether more stories match than were counted."""
        return self._counted > self.cap

    @property
    def count(self):
        return min(self._counted, self.cap)

    def page(self, number):
        """The page's stories in two steps: their ids first, in the list's order, then the
        stories with everything the list shows. Ordering the matches reads only the index
        (article_order_idx) instead of every matching story's row with its joins; the
        second query fetches one page of rows."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)

    @property
    def count_text(self):
        """ "10,000+" past the cap, the count itself below it."""
        return f"{self.count:,}+" if self.is_capped else f"{self.count:,}"
