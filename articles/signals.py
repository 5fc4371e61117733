"""What happens to stories, for the apps above articles to act on (#15).

Articles knows nothing of who is told about a story or how: the notifications app listens to
these, so that the story's services stay the one place a story changes, and planning and
notifications stay out of them. Each is sent after the commit of the change it tells of, so a
receiver never acts on a save that was rolled back, and a receiver's failure can't undo it.
"""

from django.dispatch import Signal

# A story moved through the workflow (articles/workflow.py): sender=Article, with `article`,
# `transition` (the row's name: "submit", "publish", "send_back", …), `by` (the user, or None
# for the system) and `reason` (the words given, "" when the move needs none).
story_moved = Signal()

# A planned story's assignees changed (planning): sender=Article, with `article`, `added` and
# `removed` (lists of users) and `by` (the user who changed them).
assignment_changed = Signal()

# A planned story's deadline passed before it was submitted or published (planning's job at
# that minute): sender=Article, with `article` and `deadline` (an aware datetime).
deadline_passed = Signal()

# A live story was revised for readers (#18): sender=Article, with `article`, `note` (the
# Correction added: a correction, clarification or update note, or None), `significant`
# (marked as a significant update) and `by`. Not sent for the save that first publishes it.
story_revised = Signal()

# A story was moved to the trash (#18): sender=Article, with `article` (trashed_at set),
# `was_seen` (whether readers could see it, or its 410, just before) and `by`.
story_trashed = Signal()

# An update was posted to a live blog readers can see (#18): sender=LiveUpdate, with `update`
# (its article loaded) and `by`. Not sent for edits, nor for updates of an unpublished blog.
live_update_posted = Signal()
