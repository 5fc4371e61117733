"""Every surrogate key, in one place (#6, #13): what a cached page can depend on.

A page is tagged with the keys of what it shows, and a change purges the keys of what it
touched (articles/caching.py decides which; newsroom/pagecache.py stores and purges). The
Varnish configuration in deploy/ bans by the same keys, and knows `EVERYTHING` by name.

Keys are words of `[a-z0-9-]` (what the Varnish configuration accepts in a purge):

- an object a page renders: `story-12`, `author-3`, `section-2`, `tag-7`, `image-5`;
- a listing whose members change when stories come and go: `front`, `archive`,
  `corrections`, `search`, `sitemap`, and the stories of one owner (`stories-author-3`,
  `stories-section-2`, `stories-tag-7`);
- `sections`: the navigation and the footer (its pages), on every HTML page; `robots`:
  /robots.txt;
- `breaking`: the breaking-news banner (#18), on every HTML page;
- `live-12`: a live blog's updates (#18): its page, its poll and its feed;
- `staff`: the staff page, whose authors are those with a live story (#16); a footer page
  `page-4`;
- `all`: every cached page depends on it, so purging it empties the whole cache.

Only strings live here, and nothing of the apps is imported: the page cache at the bottom of
the layers and every app above it can all name keys through this module.
"""

EVERYTHING = "all"

FRONT = "front"
ARCHIVE = "archive"
CORRECTIONS = "corrections"
SEARCH = "search"
SITEMAP = "sitemap"
NAVIGATION = "sections"
ROBOTS = "robots"
STAFF = "staff"
BREAKING = "breaking"


def story_key(pk) -> str:
    return f"story-{pk}"


def author_key(pk) -> str:
    return f"author-{pk}"


def section_key(pk) -> str:
    return f"section-{pk}"


def tag_key(pk) -> str:
    return f"tag-{pk}"


def image_key(pk) -> str:
    return f"image-{pk}"


def page_key(pk) -> str:
    return f"page-{pk}"


def stories_key(owner_key: str) -> str:
    """The listing of the stories of an author, a section or a tag, named by the owner's key:
    `stories_key(author_key(3))` is `stories-author-3`."""
    return f"stories-{owner_key}"


def live_key(pk) -> str:
    """A live blog's updates (#18): its page, its poll, its feed; a new update purges only
    this, not the listings that show the story's card."""
    return f"live-{pk}"
