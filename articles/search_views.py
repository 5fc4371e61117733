"""/search/: the readers' search page (see articles/search.py for how stories are found)."""

from django import forms
from django.template.response import TemplateResponse

from newsroom.pagecache import tag_response
from newsroom.surrogate_keys import BREAKING, NAVIGATION, SEARCH

from . import search as search_engine
from .caching import story_keys
from .lookups import section_choices
from .pagination import ArchivePaginator
from .search import MAX_QUERY_LENGTH, find_articles, snippet_html, terms

RESULTS_PER_PAGE = 20
DATE_ERROR = "Enter a date as YYYY-MM-DD, for example 2025-03-01."


def _date_field(label):
    """An optional YYYY-MM-DD date, shown as the browser's date picker."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search stories",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Keep your search under {MAX_QUERY_LENGTH} characters: a few words "
            "work best."
        },
        widget=forms.SearchInput(attrs={"placeholder": "Words to look for"}),
    )
    # A section's slug: the choices come from the process's memory (articles/lookups.py)
    # rather than a query on every search (#17).
    section = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "There is no such section."},
    )
    author = forms.SlugField(required=False, widget=forms.HiddenInput)
    # Renamed to "from" and "to" below: the URL's names, which are Python keywords.
    date_from = _date_field("Published from")
    date_to = _date_field("Published until")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "All sections"), *section_choices.get()]

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        return cleaned


SearchForm.base_fields["from"] = SearchForm.base_fields.pop("date_from")
SearchForm.base_fields["to"] = SearchForm.base_fields.pop("date_to")


# What the search page reads from its address, and its links keep (templates/articles/search.html).
SEARCH_QUERY = ("q", "section", "author", "from", "to", "page")


def search(request):
    """Search results, best match first, 20 a page. Never a server error: bad input becomes a
    form error, a bad page number the first (or an empty) page."""
    # Bound only by what the page reads: `?utm_source=…` is the empty search page, which the
    # page cache keeps under the same key as /search/ (#13).
    asked = any(name in request.GET for name in SEARCH_QUERY)
    form = SearchForm(request.GET if asked else None)
    page_obj = message = None
    query, found = "", 0
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        if not terms(query):
            message = "Type a word or two to search for."
        else:
            results, found = find_articles(
                query,
                section=form.cleaned_data["section"] or None,
                author=form.cleaned_data["author"] or None,
                date_from=form.cleaned_data["from"],
                date_to=form.cleaned_data["to"],
            )
            page_obj = ArchivePaginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            for article in page_obj.object_list:
                article.snippet = snippet_html(article.search_snippet)
    elif form.is_bound:
        message = "Please correct the search below."
    response = TemplateResponse(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "page_obj": page_obj,
            "message": message,
            "found": found,
            "found_cap": search_engine.MAX_RESULTS,
            "page_query": SEARCH_QUERY,
        },
    )
    return tag_response(
        response, [NAVIGATION, BREAKING, SEARCH, *story_keys(page_obj or [])], query=SEARCH_QUERY
    )
