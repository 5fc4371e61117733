"""Plans for the planning tests (#15), made through the planning services."""

from datetime import timedelta

from django.utils import timezone

from planning import services
from tests.factories import EditorFactory, SectionFactory


def planned(*, by=None, headline="Council votes on the bypass", assignees=(), hours=3, **kw):
    """A story planned by an editor, due in `hours` (None: no deadline)."""
    by = by or EditorFactory()
    deadline = None if hours is None else timezone.now() + timedelta(hours=hours)
    kw.setdefault("section", SectionFactory(name="News"))
    return services.plan_create(
        by=by, headline=headline, assignees=assignees, deadline=kw.pop("deadline", deadline), **kw
    )
