"""Planning's jobs (#15): the deadline passing.

The job is queued for the deadline minute when a plan gets or moves its deadline. It tells
the apps above articles (`deadline_passed`) only if the story is still unsubmitted and the
deadline is the one it was queued for: a job of a moved deadline, a job run twice, or one for
a story submitted, published or trashed meanwhile, does nothing.
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from articles.models import Article
from articles.signals import deadline_passed


@task()
def deadline_check(article_id: int, deadline: str) -> bool:
    """Sends `deadline_passed` for the story if its deadline `deadline` (ISO 8601) has
    passed and it is still a draft. Returns whether it did."""
    from .models import Plan

    due = parse_datetime(deadline)
    plan = (
        Plan.objects.select_related("article")
        .filter(pk=article_id, article__trashed_at__isnull=True)
        .first()
    )
    if plan is None or due is None or plan.deadline != due:
        return False  # Gone, or the deadline moved: a newer job has it.
    if plan.article.status != Article.Status.DRAFT:
        return False  # Submitted (or further) in time.
    if timezone.now() < due:
        return False  # Run early (a worker's clock): the job of this deadline is not due.
    # One job tells once: the row says which deadline was told (a job run twice, or two
    # workers, update it once between them).
    told = (
        Plan.objects.filter(pk=plan.pk, deadline=due)
        .exclude(deadline_told=due)
        .update(deadline_told=due)
    )
    if not told:
        return False
    deadline_passed.send(sender=Article, article=plan.article, deadline=due)
    return True
