"""The editor's wait for a 24-megapixel picture: renditions made in the upload's request, beside
renditions queued for a worker (#15).

Both are the admin's own add form, posted through Django's test client with the same camera-
sized JPEG (6000×4000, softened noise, so it compresses like a photo: ~9 MB): the request checks the
file, reads its credit, cleans the original (upright, sRGB, no metadata) and stores it either
way. "Inline" runs the renditions job as the upload commits, inside the request (the immediate
backend: the editor waits for it, as before #15); "queued" puts it on the database backend's
queue and answers at once; the worker's time for the job is printed too, since the work moved
rather than vanished. Runs on a throwaway SQLite database and media directory:

    .venv/bin/python -m bench.picture_upload [--repeat 7 --width 6000 --height 4000]
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

import django

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def camera_jpeg(width: int, height: int) -> bytes:
    from PIL import ExifTags
    from PIL import Image as PILImage

    exif = PILImage.Exif()
    exif[ExifTags.Base.Artist] = "Jane Doe"
    exif[ExifTags.Base.Orientation] = 1
    from PIL import ImageFilter

    # Noise alone compresses worse than any photo; softened, it lands where a camera's does.
    noise = PILImage.effect_noise((width, height), 40).filter(ImageFilter.BoxBlur(1))
    pixels = PILImage.merge("RGB", [noise, noise.rotate(180), noise.transpose(0)])
    buffer = BytesIO()
    pixels.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def setup(workdir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
            "NEWSROOM_HTTPS": "false",
            "NEWSROOM_TASKS_BACKEND": "database",
        }
    )
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, locmem e-mail
    call_command("migrate", verbosity=0)
    logging.disable(logging.INFO)  # one log line per request and job: only the figures here


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=6000)
    parser.add_argument("--height", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pictures-") as workdir:
        setup(Path(workdir))
        from django.contrib.auth import get_user_model
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from django.test import Client, override_settings
        from django.urls import reverse

        from images.models import Image

        data = camera_jpeg(args.width, args.height)
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x" * 16)
        client = Client()
        client.force_login(user)
        url = reverse("admin:images_image_add")

        def post(n: int) -> tuple[float, float]:
            """The request's wall-clock and CPU milliseconds (CPU time is steadier on a
            shared machine: it leaves out waiting for other processes)."""
            form = {"alt_text": f"Picture {n}", "caption": "", "credit": "", "focal_x": 0.5}
            form |= {"focal_y": 0.5, "file": SimpleUploadedFile(f"p{n}.jpg", data, "image/jpeg")}
            start, cpu = time.perf_counter(), time.process_time()
            response = client.post(url, form)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            if response.status_code != 302:
                raise SystemExit(f"The upload was refused: {response.status_code}")
            return elapsed * 1000, cpu * 1000

        inline, queued, worker = [], [], []
        post(0)  # warm up: imports, first queries
        Image.objects.all().delete()
        for n in range(args.repeat):
            # Side by side, alternating, so the machine's load falls on both alike.
            with override_settings(TASKS=IMMEDIATE):
                inline.append(post(2 * n + 1))
                assert Image.objects.latest("pk").is_ready
            with override_settings(TASKS=DATABASE):
                queued.append(post(2 * n + 2))
                image = Image.objects.latest("pk")
                assert image.is_processing and not image.renditions.exists()
                start, cpu = time.perf_counter(), time.process_time()
                call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
                worker.append(
                    ((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000)
                )
                image.refresh_from_db()
                assert image.is_ready

        def medians(runs):
            return tuple(statistics.median(run[i] for run in runs) for i in (0, 1))

        (before, before_cpu), (after, after_cpu) = medians(inline), medians(queued)
        job, job_cpu = medians(worker)
        sys.stdout.write(
            f"{args.width}×{args.height} JPEG ({len(data) / 1e6:.1f} MB), admin upload POST, "
            f"median of {args.repeat} (wall clock, CPU):\n"
            f"  renditions in the request (before): {before:7.0f} ms {before_cpu:7.0f} ms\n"
            f"  renditions queued (after):          {after:7.0f} ms {after_cpu:7.0f} ms\n"
            f"  the worker's job, afterwards:       {job:7.0f} ms {job_cpu:7.0f} ms\n"
            f"  the editor waits {before / after:.1f}× less (CPU: {before_cpu / after_cpu:.1f}×)\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
