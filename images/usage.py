"""Where each picture is used (#14), without the library knowing what uses it.

The apps above images (stories, authors' pages) register a finder when they start; the
library's change page and its chooser ask `uses_of()`. A finder takes the picture and the user
asking, and returns the places that user may know of: a reporter is not told the headline of
another reporter's draft.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Use:
    """One place a picture appears: `what` (a headline, a name), `how` ("Lead picture",
    "In the body"), and the admin address to open it, if the user may."""

    what: str
    how: str
    url: str = ""


Finder = Callable[..., Iterable[Use]]
_finders: list[Finder] = []


def register(finder: Finder) -> Finder:
    """Adds `finder(image, user) -> Iterable[Use]`; registering the same one twice is a no-op."""
    if finder not in _finders:
        _finders.append(finder)
    return finder


def uses_of(image, user) -> list[Use]:
    return [use for finder in _finders for use in finder(image, user)]


def body_marker(image_pk: int) -> str:
    """What stored HTML holding the picture contains (articles/body.py's stored form)."""
    return f'data-image="{int(image_pk)}"'
