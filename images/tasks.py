"""The images app's background jobs (#15)."""

from django_tasks import task

from .renditions import make_renditions_for


@task()
def make_renditions(image_id: int, file_hash: str = "") -> dict | None:
    """Makes an uploaded picture's renditions after the upload committed (Image.save queues
    it): idempotent, so the queue may run it again after a failure."""
    done = make_renditions_for(image_id, file_hash)
    return None if done is None else {"made": done[0], "deleted": done[1]}
