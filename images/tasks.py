"""The images app's background jobs (#15)."""

from newsroom.jobs import retried

from .renditions import make_renditions_for


# A failure (storage away, a worker killed mid-way) is tried again within about ten minutes;
# the picture shows the error in the admin meanwhile.
@retried(attempts=4, backoff_seconds=30, max_backoff_seconds=300)
def make_renditions(image_id: int, file_hash: str = "") -> dict | None:
    """Makes an uploaded picture's renditions after the upload committed (Image.save queues
    it): idempotent, so the queue runs it again after a failure."""
    done = make_renditions_for(image_id, file_hash)
    return None if done is None else {"made": done[0], "deleted": done[1]}
