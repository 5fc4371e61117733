"""How long reading a file's credit takes, beside decoding the whole picture (#14).

The chooser offers the credit in a file's EXIF/IPTC before the upload (images/metadata.py):
it parses only the headers of the first megabyte. This prints the median of repeated runs for
a large camera-sized JPEG, so a change that makes it decode pixels shows at once:

    .venv/bin/python -m bench.picture_credit [--width 6000 --height 4000 --repeat 15]
"""

import argparse
import statistics
import sys
import time
from io import BytesIO

from PIL import ExifTags
from PIL import Image as PILImage

from images.metadata import read_credit


def camera_jpeg(width: int, height: int) -> bytes:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Artist] = "Jane Doe"
    exif[ExifTags.Base.Copyright] = "© 2026 Reuters".encode()
    pixels = PILImage.effect_noise((width, height), 64).convert("RGB")
    buffer = BytesIO()
    pixels.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def median_ms(action, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=6000)
    parser.add_argument("--height", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    data = camera_jpeg(args.width, args.height)
    assert read_credit(BytesIO(data)) == "Jane Doe/Reuters"

    def decode():
        with PILImage.open(BytesIO(data)) as image:
            image.load()

    credit = median_ms(lambda: read_credit(BytesIO(data)), args.repeat)
    full = median_ms(decode, args.repeat)
    sys.stdout.write(
        f"{args.width}×{args.height} JPEG, {len(data) / 1e6:.1f} MB, median of {args.repeat}:\n"
        f"  read_credit (headers only): {credit:8.2f} ms\n"
        f"  full decode (for scale):    {full:8.2f} ms\n"
    )


if __name__ == "__main__":
    main()
