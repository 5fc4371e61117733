"""People who leave the newsroom keep their name in its history (#13).

Django deletes a user's admin log entries with the account (a cascade) and empties every
"made by" field that named it: the history of each story then says nobody did the work. Here

- an account named in the history (the admin log, or any record with a "made by" field that
  would be emptied) can't be deleted, from the admin or from code: `ProtectedError` says why;
- the admin's user list has a "Deactivate" action, which is what a departure is: the person
  can no longer log in, and every revision, note and log entry keeps their name;
- an account with no history (made by mistake, say) is still deleted as usual.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver


def history_of(user) -> dict[str, int]:
    """How many records of each kind name the user as having made or done something, by the
    plural name of their kind; empty when none does."""
    counts = {}
    entries = LogEntry.objects.filter(user=user).count()
    if entries:
        counts["admin log entries"] = entries
    for relation in type(user)._meta.related_objects:
        if relation.on_delete is not models.SET_NULL or relation.many_to_many:
            continue
        count = relation.related_model._default_manager.filter(**{relation.field.name: user})
        count = count.count()
        if count:
            name = str(relation.related_model._meta.verbose_name_plural)
            counts[name] = counts.get(name, 0) + count
    return counts


def describe(history: dict[str, int]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in sorted(history.items()))


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="newsroom-keep-history")
def refuse_deleting_history(sender, instance, **kwargs):
    history = history_of(instance)
    if history:
        raise models.ProtectedError(
            f"{instance.get_username()} is named in the newsroom's history "
            f"({describe(history)}): deactivate the account instead.",
            set(),
        )
