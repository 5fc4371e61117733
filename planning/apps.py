from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Planning on the desk (#15): stories planned before they are written, their assignees,
    deadlines, priorities and briefs. Above articles: articles knows nothing of it."""

    name = "planning"
    verbose_name = "Planning"

    def ready(self):
        from articles.models import add_owner_source

        from .models import assigned_stories, assignees_of

        # An assignee writes the story: it is theirs, as a story they bylined is (#15).
        add_owner_source(assigned_stories, assignees_of)
