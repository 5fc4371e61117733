"""The site's own pictures for search engines and social sites (#16): the publisher's logo in
structured data and the card shared for a page without a picture of its own.

Both are settings (NEWSROOM_SITE_LOGO, NEWSROOM_DEFAULT_SOCIAL_IMAGE: a path under static/ or
an absolute URL, with its width and height, which structured data and Open Graph carry). The
defaults are the project's own, in static/brand/, drawn by `manage.py draw_brand_images`
(`draw()` below) and committed, so that they are the same on every machine.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from PIL import Image, ImageDraw, ImageFont

LOGO_SIZE = (512, 512)  # Search engines want a logo of at least 112 × 112 pixels.
SOCIAL_SIZE = (1200, 630)  # The 1.91:1 card Facebook, LinkedIn and X show large.
# The stylesheet's --accent and --paper (static/css/site.css).
ACCENT = (0x8A, 0x1C, 0x1C)
PAPER = (0xFF, 0xFD, 0xF8)


@dataclass(frozen=True)
class Picture:
    url: str  # Absolute.
    width: int
    height: int

    def as_dict(self) -> dict:
        return {"url": self.url, "width": self.width, "height": self.height}


def _picture(value: tuple[str, int, int]) -> Picture:
    path, width, height = value
    url = path if path.startswith(("http://", "https://", "/")) else static(path)
    if not url.startswith(("http://", "https://")):
        url = settings.SITE_URL + url
    return Picture(url, int(width), int(height))


def site_logo() -> Picture:
    return _picture(settings.NEWSROOM_SITE_LOGO)


def default_social_image() -> Picture:
    return _picture(settings.NEWSROOM_DEFAULT_SOCIAL_IMAGE)


# Drawing the defaults ------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's own font (Aileron), the same on every machine: no system font is read."""
    return ImageFont.load_default(size)


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, largest: int) -> ImageFont.FreeTypeFont:
    """The largest size, up to `largest`, at which `text` fits in `width` pixels."""
    size = largest
    while size > 12:
        font = _font(size)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 2
    return _font(size)


def draw_logo(name: str) -> Image.Image:
    """A square mark: the name's initial large, the name beneath, paper on the accent colour."""
    image = Image.new("RGB", LOGO_SIZE, ACCENT)
    draw = ImageDraw.Draw(image)
    width, height = LOGO_SIZE
    initial = (name.strip()[:1] or "N").upper()
    draw.text((width / 2, height * 0.42), initial, font=_font(300), fill=PAPER, anchor="mm")
    font = _fit(draw, name, width - 80, 64)
    draw.text((width / 2, height * 0.82), name, font=font, fill=PAPER, anchor="mm")
    return image


def draw_social_card(name: str) -> Image.Image:
    """The name as a wordmark on paper, between two rules of the accent colour."""
    image = Image.new("RGB", SOCIAL_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width, height = SOCIAL_SIZE
    draw.rectangle((0, 0, width, 24), fill=ACCENT)
    draw.rectangle((0, height - 24, width, height), fill=ACCENT)
    font = _fit(draw, name, width - 160, 150)
    draw.text((width / 2, height / 2), name, font=font, fill=ACCENT, anchor="mm")
    return image


def draw(name: str, folder: Path) -> list[Path]:
    """Writes logo.png and social.png for the site `name` into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, image in (("logo.png", draw_logo(name)), ("social.png", draw_social_card(name))):
        path = folder / filename
        image.save(path, "PNG", optimize=True)
        written.append(path)
    return written
