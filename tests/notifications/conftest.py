import pytest

from tests.factories import AuthorFactory, EditorFactory, ReporterFactory, ReviewArticleFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (story_moved, email jobs), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def people(db):
    reporter = ReporterFactory(username="rita", first_name="Rita", last_name="Okafor")
    AuthorFactory(name="Rita Okafor", user=reporter)
    editor = EditorFactory(username="ed", first_name="Ed", last_name="Itor")
    other_editor = EditorFactory(username="eve")
    return {"reporter": reporter, "editor": editor, "other_editor": other_editor}


@pytest.fixture
def story(people):
    reporter = people["reporter"]
    return ReviewArticleFactory(
        headline="Harbour tunnel opens",
        created_by=reporter,
        authors=[reporter.author_profile],
    )
