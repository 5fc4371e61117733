"""The demo's pictures, drawn with Pillow (#16): nothing is downloaded, and the same scene and
seed always give the same pixels, so `load_demo` is repeatable and its files are identical
from one machine to the next.

Each scene is a flat editorial illustration built from layers: a sky gradient, hills whose
colour fades toward the sky with distance, the subject (a skyline, a council house, a
stadium…), a foreground, then a light blur on the edges and film grain so that it reads as an
illustration rather than a test card. `scene(kind, seed)` draws one; `portrait(seed)`
draws an author's square head-and-shoulders silhouette.
"""

import functools
import math
import random
from collections.abc import Callable
from io import BytesIO

from PIL import Image, ImageChops, ImageDraw, ImageFilter

# Scenes are drawn at WIDTH × HEIGHT and saved at SIZE: the reduction smooths the edges, and a
# smaller original keeps `load_demo` quick (each picture's renditions cost about a second).
WIDTH, HEIGHT = 1600, 1067  # 3:2, like a newsroom's landscape photos
SIZE = (1200, 800)
PORTRAIT_SIZE = 800

Colour = tuple[int, int, int]

# Times of day: sky top, sky horizon, sun, and the tint mixed into distant things.
SKIES = {
    "morning": ((122, 170, 214), (247, 219, 178), (255, 244, 214)),
    "day": ((78, 140, 204), (198, 224, 240), (255, 251, 232)),
    "evening": ((52, 62, 120), (246, 160, 110), (255, 214, 150)),
    "overcast": ((132, 146, 160), (208, 212, 214), (236, 236, 230)),
}


# Colour helpers --------------------------------------------------------------------------


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """The colour a fraction `t` of the way from `a` to `b`."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def shade(colour: Colour, factor: float) -> Colour:
    """Darker below 1, lighter above 1 (toward white)."""
    if factor <= 1:
        return tuple(round(c * factor) for c in colour)
    return mix(colour, (255, 255, 255), min(1.0, factor - 1))


def vertical_gradient(size: tuple[int, int], stops: list[tuple[float, Colour]]) -> Image.Image:
    """A gradient from top to bottom through colour stops at fractions of the height."""
    width, height = size
    column = []
    for y in range(height):
        t = y / max(1, height - 1)
        for (t0, c0), (t1, c1) in zip(stops, stops[1:], strict=False):
            if t0 <= t <= t1:
                column.append(mix(c0, c1, (t - t0) / max(1e-6, t1 - t0)))
                break
        else:
            column.append(stops[-1][1])
    strip = Image.new("RGB", (1, height))
    strip.putdata(column)
    return strip.resize((width, height), Image.Resampling.NEAREST)


def glow(canvas: Image.Image, centre: tuple[int, int], radius: int, colour: Colour, strength=0.6):
    """A soft light (sun, floodlight, lamp) added over the canvas."""
    mask = Image.new("L", canvas.size, 0)
    x, y = centre
    ImageDraw.Draw(mask).ellipse(
        (x - radius, y - radius, x + radius, y + radius), fill=round(255 * strength)
    )
    mask = mask.filter(ImageFilter.GaussianBlur(radius / 2))
    canvas.paste(Image.new("RGB", canvas.size, colour), (0, 0), mask)


def ridge(rng: random.Random, base: float, amplitude: float, roughness: int = 4) -> list[float]:
    """A hill line: heights (pixels from the top) at every 8 px, from summed sine waves."""
    waves = [
        (
            amplitude / (k + 1) ** 1.2,
            rng.uniform(0.6, 1.4) * (k + 1) * 1.3,
            rng.uniform(0, 2 * math.pi),
        )
        for k in range(roughness)
    ]
    return [
        base - sum(a * math.sin(f * 2 * math.pi * x / WIDTH + p) for a, f, p in waves)
        for x in range(0, WIDTH + 9, 8)
    ]


def fill_below(draw: ImageDraw.ImageDraw, line: list[float], colour: Colour, bottom=HEIGHT):
    points = [(i * 8, y) for i, y in enumerate(line)]
    draw.polygon([(0, bottom), *points, (WIDTH, bottom)], fill=colour)


# Shared layers ---------------------------------------------------------------------------


class Scene:
    """A canvas with its time of day, palette and random source."""

    def __init__(self, seed: int, sky: str, horizon: float):
        self.rng = random.Random(seed)
        self.sky_name = sky
        self.top, self.haze, self.sun = SKIES[sky]
        self.horizon = round(HEIGHT * horizon)
        self.canvas = vertical_gradient(
            (WIDTH, HEIGHT),
            [(0, self.top), (horizon, self.haze), (1, self.haze)],
        )
        self.draw = ImageDraw.Draw(self.canvas)

    def distant(self, colour: Colour, depth: float) -> Colour:
        """Atmospheric perspective: far things take the colour of the haze."""
        return mix(colour, self.haze, depth)

    def sun_disc(self, x: int, y: int, radius: int = 60):
        glow(self.canvas, (x, y), radius * 4, self.sun, 0.45)
        self.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=self.sun)

    def clouds(self, count: int, colour: Colour | None = None):
        colour = colour or shade(self.haze, 1.35)
        layer = Image.new("L", self.canvas.size, 0)
        draw = ImageDraw.Draw(layer)
        for _ in range(count):
            cx = self.rng.uniform(-100, WIDTH + 100)
            cy = self.rng.uniform(60, self.horizon * 0.55)
            length = self.rng.uniform(180, 420)
            for _ in range(7):
                dx, dy = self.rng.uniform(-length / 2, length / 2), self.rng.uniform(-18, 12)
                r = self.rng.uniform(30, 70) * (1 - abs(dx) / length)
                draw.ellipse((cx + dx - r * 1.8, cy + dy - r, cx + dx + r * 1.8, cy + dy + r), 200)
        layer = layer.filter(ImageFilter.GaussianBlur(6))
        self.canvas.paste(Image.new("RGB", self.canvas.size, colour), (0, 0), layer)

    def hills(self, layers: int, colour: Colour, base: float, amplitude: float):
        """Ranges of hills, the farthest palest; the last one ends at `base` (a fraction)."""
        for i in range(layers):
            depth = 1 - (i + 1) / (layers + 0.6)
            line = ridge(
                self.rng, HEIGHT * (base - 0.07 * (layers - 1 - i)), amplitude * (1 - depth / 2)
            )
            fill_below(self.draw, line, self.distant(colour, depth * 0.85))

    def water(self, top: int, colour: Colour):
        """A sea or river from `top` down, lighter toward the horizon, with ripples."""
        band = vertical_gradient(
            (WIDTH, HEIGHT - top), [(0, mix(colour, self.haze, 0.45)), (1, shade(colour, 0.75))]
        )
        self.canvas.paste(band, (0, top))
        light = shade(mix(colour, self.sun, 0.35), 1.15)
        for _ in range(420):
            y = self.rng.uniform(top + 4, HEIGHT)
            near = (y - top) / (HEIGHT - top)
            x = self.rng.uniform(-40, WIDTH)
            length = 14 + 90 * near * self.rng.random()
            self.draw.line((x, y, x + length, y), fill=light, width=1 + round(2 * near))

    def sun_path(self, x: int, top: int):
        """The sun's reflection on water: short bright strokes, scattered and widening."""
        colour = mix(self.sun, self.haze, 0.2)
        for i in range(90):
            t = i / 90
            y = top + 3 + t * (HEIGHT - top) * 0.8 + self.rng.uniform(-3, 3)
            centre = x + self.rng.gauss(0, 10 + 60 * t)
            half = self.rng.uniform(4, 14 + 40 * t)
            self.draw.line((centre - half, y, centre + half, y), fill=colour, width=2)

    def tree(self, x: float, ground: float, height: float, colour: Colour, lit: float = 1.15):
        """A broadleaf tree: a trunk and overlapping round clumps, lit from the upper left."""
        trunk = shade(colour, 0.45)
        self.draw.rectangle(
            (x - height * 0.04, ground - height * 0.45, x + height * 0.04, ground), trunk
        )
        for _ in range(6):
            dx = self.rng.uniform(-0.22, 0.22) * height
            dy = self.rng.uniform(-0.72, -0.45) * height
            r = self.rng.uniform(0.16, 0.24) * height
            self.draw.ellipse((x + dx - r, ground + dy - r, x + dx + r, ground + dy + r), colour)
            self.draw.ellipse(
                (
                    x + dx - r * 0.8,
                    ground + dy - r * 0.95,
                    x + dx + r * 0.35,
                    ground + dy + r * 0.1,
                ),
                shade(colour, lit),
            )

    def pine(self, x: float, ground: float, height: float, colour: Colour):
        for i in range(3):
            w = height * (0.32 - i * 0.07)
            top = ground - height * (0.55 + i * 0.2)
            bottom = ground - height * (0.12 + i * 0.2)
            self.draw.polygon([(x - w, bottom), (x, top), (x + w, bottom)], colour)
        self.draw.rectangle((x - 3, ground - height * 0.12, x + 3, ground), shade(colour, 0.5))

    def building(self, x, ground, w, h, colour, *, lit=0.0, roof=None, windows=True):
        """A block with rows of windows; `lit` is the share of lit windows (evening)."""
        self.draw.rectangle((x, ground - h, x + w, ground), colour)
        self.draw.rectangle((x + w * 0.82, ground - h, x + w, ground), shade(colour, 0.85))
        if roof == "pitched":
            self.draw.polygon(
                [(x - 4, ground - h), (x + w / 2, ground - h - w * 0.35), (x + w + 4, ground - h)],
                shade(colour, 0.7),
            )
        elif roof == "spire":
            self.draw.polygon(
                [
                    (x + w * 0.3, ground - h),
                    (x + w / 2, ground - h - w * 1.4),
                    (x + w * 0.7, ground - h),
                ],
                shade(colour, 0.75),
            )
        if not windows:
            return
        dark = shade(colour, 0.62)
        warm = (255, 214, 140)
        step_x, step_y = max(10, w / round(max(2, w / 22))), 26
        cols, rows = max(1, int((w - 10) / step_x)), max(1, int((h - 20) / step_y))
        for r in range(rows):
            for c in range(cols):
                wx, wy = x + 7 + c * step_x, ground - h + 12 + r * step_y
                if wy + 14 > ground - 6:
                    continue
                fill = warm if self.rng.random() < lit else dark
                self.draw.rectangle((wx, wy, wx + step_x * 0.45, wy + 13), fill)

    def skyline(self, ground: int, palette: list[Colour], depth: float, lit: float, tall=1.0):
        x = -20
        while x < WIDTH:
            w = self.rng.uniform(50, 130)
            h = self.rng.uniform(70, 260) * tall
            roof = self.rng.choice([None, None, None, "pitched", "spire" if h > 200 else None])
            colour = self.distant(self.rng.choice(palette), depth)
            self.building(x, ground, w, h, colour, lit=lit, roof=roof)
            x += w + self.rng.uniform(-8, 6)

    def boat(self, x: float, waterline: float, scale: float, hull: Colour, sail: bool = True):
        s = scale
        hull_points = [
            (x - 90 * s, waterline - 26 * s),
            (x + 100 * s, waterline - 26 * s),
            (x + 72 * s, waterline + 4 * s),
            (x - 70 * s, waterline + 4 * s),
        ]
        # The reflection first, broken by the water.
        for i in range(6):
            y = waterline + 6 * s + i * 6 * s
            self.draw.line(
                (x - (70 - i * 8) * s, y, x + (70 - i * 8) * s, y),
                shade(hull, 0.55),
                width=max(1, round(3 * s)),
            )
        self.draw.polygon(hull_points, hull)
        self.draw.line(
            (x - 88 * s, waterline - 22 * s, x + 98 * s, waterline - 22 * s),
            (245, 245, 240),
            width=max(1, round(4 * s)),
        )
        if sail:
            self.draw.line(
                (x, waterline - 26 * s, x, waterline - 210 * s),
                (70, 60, 50),
                width=max(2, round(4 * s)),
            )
            self.draw.polygon(
                [
                    (x + 6 * s, waterline - 205 * s),
                    (x + 6 * s, waterline - 34 * s),
                    (x + 92 * s, waterline - 40 * s),
                ],
                (250, 246, 236),
            )
            self.draw.polygon(
                [
                    (x - 6 * s, waterline - 180 * s),
                    (x - 6 * s, waterline - 36 * s),
                    (x - 62 * s, waterline - 38 * s),
                ],
                (236, 230, 216),
            )
        else:
            self.draw.rectangle(
                (x - 40 * s, waterline - 62 * s, x + 30 * s, waterline - 26 * s), (242, 240, 232)
            )
            for i in range(3):
                wx = x - 32 * s + i * 22 * s
                self.draw.rectangle(
                    (wx, waterline - 54 * s, wx + 14 * s, waterline - 42 * s), (60, 80, 100)
                )
            self.draw.rectangle(
                (x - 8 * s, waterline - 92 * s, x + 4 * s, waterline - 62 * s), shade(hull, 0.8)
            )

    def finish(self) -> Image.Image:
        """Softens the edges, darkens the corners and adds grain: an illustration's texture."""
        image = self.canvas.filter(ImageFilter.GaussianBlur(0.6))
        vignette = Image.new("L", (WIDTH // 8, HEIGHT // 8), 0)
        ImageDraw.Draw(vignette).ellipse(
            (-WIDTH // 16, -HEIGHT // 14, WIDTH // 8 + WIDTH // 16, HEIGHT // 8 + HEIGHT // 14), 255
        )
        vignette = vignette.filter(ImageFilter.GaussianBlur(14)).resize((WIDTH, HEIGHT))
        image = Image.composite(image, shade_image(image, 0.82), vignette)
        return add_grain(image, self.rng.randrange(1 << 30))


def shade_image(image: Image.Image, factor: float) -> Image.Image:
    return image.point(lambda v: round(v * factor))


def add_grain(image: Image.Image, seed: int, sigma: float = 22, strength: float = 0.14):
    """Film grain. Pillow's noise generator can't be seeded, so the noise is a tile made from
    the seed and repeated: the same picture every time."""
    rng = random.Random(seed)
    tile_size = 256
    tile = Image.new("L", (tile_size, tile_size))
    tile.putdata([max(0, min(255, round(rng.gauss(128, sigma)))) for _ in range(tile_size**2)])
    noise = Image.new("L", image.size)
    for x in range(0, image.width, tile_size):
        for y in range(0, image.height, tile_size):
            noise.paste(tile.transpose(rng.choice(_FLIPS)), (x, y))
    noise = Image.merge("RGB", (noise, noise, noise))
    return Image.blend(image, ImageChops.overlay(image, noise), strength * 4)


_FLIPS = [
    Image.Transpose.FLIP_LEFT_RIGHT,
    Image.Transpose.FLIP_TOP_BOTTOM,
    Image.Transpose.ROTATE_180,
    Image.Transpose.TRANSPOSE,
]


# Scenes ----------------------------------------------------------------------------------


def harbour(seed: int) -> Image.Image:
    """The waterfront: hills, the town's skyline, the harbour and boats."""
    rng = random.Random(seed)
    s = Scene(seed, rng.choice(["morning", "evening", "day"]), 0.52)
    s.clouds(5)
    sun_x = rng.randrange(250, WIDTH - 250)
    s.sun_disc(sun_x, round(s.horizon * 0.62), 48)
    s.hills(3, (70, 110, 100), 0.47, 70)
    lit = 0.45 if s.sky_name == "evening" else 0.05
    s.skyline(s.horizon, [(150, 120, 110), (120, 130, 150), (190, 170, 140)], 0.45, lit * 0.6, 0.8)
    s.skyline(
        s.horizon + 8, [(176, 96, 80), (96, 110, 130), (210, 190, 160), (120, 90, 80)], 0.12, lit
    )
    quay = s.horizon + 8
    s.draw.rectangle((0, quay, WIDTH, quay + 18), (92, 88, 84))
    s.water(quay + 18, (40, 96, 128))
    s.sun_path(sun_x, quay + 18)
    hulls = [(178, 52, 44), (34, 64, 96), (232, 180, 60), (40, 110, 90), (240, 238, 230)]
    boats = [(rng.uniform(120, WIDTH - 120), rng.random()) for _ in range(rng.randrange(4, 8))]
    for x, depth in sorted(boats, key=lambda boat: boat[1]):  # far ones first
        waterline = quay + 50 + depth**1.3 * 380
        s.boat(x, waterline, 0.45 + depth * 0.85, rng.choice(hulls), rng.random() < 0.7)
    return s.finish()


def council(seed: int) -> Image.Image:
    """The council house: a columned front, a clock tower, steps and plane trees."""
    rng = random.Random(seed)
    s = Scene(seed, rng.choice(["day", "morning", "overcast"]), 0.76)
    s.clouds(6)
    s.hills(2, (90, 120, 110), 0.7, 40)
    ground = s.horizon + 20
    s.skyline(ground - 10, [(170, 150, 130), (140, 140, 150)], 0.5, 0.0, 0.7)
    stone, shadow = (226, 214, 188), (188, 172, 146)
    left, right = 420, 1180
    top = ground - 330
    # Clock tower behind the pediment.
    s.draw.rectangle((730, top - 300, 870, top), stone)
    s.draw.rectangle((846, top - 300, 870, top), shadow)
    s.draw.ellipse((752, top - 250, 848, top - 154), (248, 244, 232), outline=shadow, width=6)
    s.draw.line((800, top - 202, 800, top - 236), (60, 55, 50), width=5)
    s.draw.line((800, top - 202, 826, top - 194), (60, 55, 50), width=5)
    s.draw.polygon([(716, top - 300), (800, top - 420), (884, top - 300)], (84, 120, 112))
    s.draw.line((800, top - 420, 800, top - 480), (70, 70, 70), width=4)
    s.draw.polygon([(802, top - 478), (862, top - 464), (802, top - 448)], (170, 40, 50))
    # The main block, pediment and columns.
    s.draw.rectangle((left, top, right, ground - 40), stone)
    s.draw.polygon([(left - 20, top), (800, top - 130), (right + 20, top)], stone)
    s.draw.polygon([(left + 40, top - 8), (800, top - 108), (right - 40, top - 8)], shadow)
    s.draw.rectangle((left - 20, top, right + 20, top + 26), shade(stone, 1.05))
    for i in range(8):
        cx = left + 50 + i * (right - left - 100) / 7
        s.draw.rectangle((cx - 22, top + 26, cx + 22, ground - 60), shade(stone, 1.06))
        s.draw.rectangle((cx + 8, top + 26, cx + 22, ground - 60), shadow)
        s.draw.rectangle((cx - 30, top + 26, cx + 30, top + 40), shadow)
    for i in range(3):  # doors between the columns
        cx = 680 + i * 120
        s.draw.rectangle((cx, ground - 190, cx + 60, ground - 60), (92, 70, 56))
    for i in range(5):  # steps
        y = ground - 60 + i * 12
        s.draw.rectangle(
            (left - 40 - i * 14, y, right + 40 + i * 14, y + 12), shade(stone, 0.95 - i * 0.03)
        )
    s.draw.rectangle((0, ground, WIDTH, HEIGHT), (196, 188, 172))
    for i in range(14):  # paving lines in perspective
        x = -600 + i * 230
        s.draw.line((800 + (x - 800) * 0.3, ground, x, HEIGHT), (178, 170, 154), width=2)
    for x in (150, 310, 1290, 1450):
        s.tree(x + rng.uniform(-20, 20), ground + 90, rng.uniform(330, 400), (72, 122, 70))
    return s.finish()


def stadium(seed: int) -> Image.Image:
    """A football ground under floodlights: stands, crowd, pitch stripes."""
    rng = random.Random(seed)
    s = Scene(seed, "evening", 0.36)
    roof_y, stand_bottom = round(HEIGHT * 0.2), round(HEIGHT * 0.5)
    s.draw.polygon(
        [(0, roof_y - 40), (WIDTH, roof_y - 40), (WIDTH, roof_y), (0, roof_y)], (40, 44, 56)
    )
    s.draw.rectangle((0, roof_y, WIDTH, stand_bottom), (150, 40, 48))
    for _ in range(5200):  # the crowd
        x, y = rng.uniform(0, WIDTH), rng.uniform(roof_y + 16, stand_bottom - 12)
        colour = rng.choice(
            [(230, 230, 235), (200, 40, 50), (40, 50, 70), (240, 200, 60), (110, 130, 160)]
        )
        s.draw.ellipse((x, y, x + 6, y + 7), colour)
    for i in range(1, 4):
        y = roof_y + i * (stand_bottom - roof_y) / 4
        s.draw.line((0, y, WIDTH, y), (110, 30, 38), width=3)
    s.draw.rectangle((0, stand_bottom - 12, WIDTH, stand_bottom), (225, 225, 220))
    pitch = vertical_gradient(
        (WIDTH, HEIGHT - stand_bottom), [(0, (64, 138, 72)), (1, (40, 108, 52))]
    )
    s.canvas.paste(pitch, (0, stand_bottom))
    for i in range(0, 12, 2):  # mown stripes, wider toward the viewer
        x0, x1 = -800 + i * 270, -800 + (i + 1) * 270
        s.draw.polygon(
            [
                (800 + (x0 - 800) * 0.35, stand_bottom),
                (800 + (x1 - 800) * 0.35, stand_bottom),
                (x1, HEIGHT),
                (x0, HEIGHT),
            ],
            (74, 150, 82),
        )
    white = (240, 244, 238)
    s.draw.line((0, stand_bottom + 50, WIDTH, stand_bottom + 50), white, width=4)
    s.draw.line((800, stand_bottom + 50, 800, HEIGHT), white, width=5)
    s.draw.ellipse((560, stand_bottom + 170, 1040, stand_bottom + 420), outline=white, width=5)
    for x in (120, WIDTH - 120):  # floodlights
        s.draw.line((x, roof_y - 40, x + (40 if x < 800 else -40), 40), (60, 60, 70), width=10)
        glow(s.canvas, (x + (40 if x < 800 else -40), 50), 180, (255, 250, 220), 0.55)
        s.draw.rectangle(
            (x - 30 + (40 if x < 800 else -40), 20, x + 30 + (40 if x < 800 else -40), 70),
            (255, 252, 230),
        )
    for _ in range(4):  # players' shadows on the grass
        x, y = rng.uniform(200, 1400), rng.uniform(stand_bottom + 120, HEIGHT - 120)
        shirt = rng.choice([(200, 40, 50), (245, 245, 245)])
        s.draw.ellipse((x - 30, y + 62, x + 40, y + 76), (40, 96, 48))
        s.draw.rectangle((x - 12, y, x + 12, y + 34), shirt)
        s.draw.ellipse((x - 9, y - 22, x + 9, y - 2), (120, 84, 62))
        s.draw.line((x - 6, y + 34, x - 10, y + 68), (30, 30, 40), width=7)
        s.draw.line((x + 6, y + 34, x + 12, y + 68), (30, 30, 40), width=7)
    return s.finish()


def port(seed: int) -> Image.Image:
    """The container port: cranes, stacked boxes, a ship at the quay."""
    rng = random.Random(seed)
    s = Scene(seed, rng.choice(["morning", "overcast", "evening"]), 0.6)
    s.clouds(4)
    s.hills(2, (96, 110, 120), 0.55, 30)
    quay = s.horizon + 40
    s.water(quay, (50, 90, 110))
    s.draw.rectangle((0, s.horizon, WIDTH, quay), (120, 118, 112))
    colours = [
        (190, 70, 50),
        (40, 90, 140),
        (220, 160, 50),
        (60, 120, 90),
        (150, 150, 150),
        (120, 60, 90),
    ]
    for stack in range(14):
        x = 40 + stack * 112
        for level in range(rng.randrange(2, 6)):
            colour = rng.choice(colours)
            y = s.horizon + 20 - level * 44
            s.draw.rectangle((x, y, x + 104, y + 42), colour)
            for rib in range(8):
                s.draw.line(
                    (x + 8 + rib * 12, y + 4, x + 8 + rib * 12, y + 38), shade(colour, 0.8), width=2
                )
    first, gap = rng.uniform(220, 420), rng.uniform(440, 560)
    for cx in (first, first + gap, first + 2 * gap):  # ship-to-shore cranes
        crane = (214, 76, 52) if rng.random() < 0.5 else (70, 110, 150)
        legs_top = quay - 340
        for leg in (cx - 70, cx + 70):
            s.draw.line((leg, quay, leg, legs_top), crane, width=14)
        for y in range(legs_top + 40, quay - 20, 70):
            s.draw.line((cx - 70, y, cx + 70, y + 60), crane, width=5)
        s.draw.rectangle((cx - 240, legs_top - 30, cx + 200, legs_top), crane)
        s.draw.line((cx - 160, legs_top - 30, cx, legs_top - 150), crane, width=6)
        s.draw.line((cx + 120, legs_top - 30, cx, legs_top - 150), crane, width=6)
        s.draw.rectangle((cx - 200, legs_top, cx - 170, legs_top + 40), (50, 50, 55))
    hull = (32, 48, 70)
    s.draw.polygon(
        [(180, quay + 30), (1460, quay + 30), (1400, quay + 150), (240, quay + 150)], hull
    )
    s.draw.rectangle((180, quay + 30, 1460, quay + 44), (180, 60, 50))
    for stack in range(10):
        x = 300 + stack * 100
        for level in range(rng.randrange(1, 4)):
            s.draw.rectangle(
                (x, quay + 28 - (level + 1) * 36, x + 94, quay + 26 - level * 36),
                rng.choice(colours),
            )
    s.draw.rectangle((1320, quay - 90, 1420, quay + 30), (236, 236, 230))
    for i in range(3):
        s.draw.rectangle((1332, quay - 80 + i * 34, 1408, quay - 62 + i * 34), (70, 90, 110))
    return s.finish()


def river(seed: int) -> Image.Image:
    """The valley: hills, woods and a winding river."""
    rng = random.Random(seed)
    s = Scene(seed, rng.choice(["day", "morning", "overcast"]), 0.45)
    s.clouds(7)
    s.hills(4, (70, 120, 80), 0.55, 90)
    s.draw.rectangle((0, round(HEIGHT * 0.62), WIDTH, HEIGHT), (104, 150, 84))
    fields = vertical_gradient(
        (WIDTH, HEIGHT - round(HEIGHT * 0.58)), [(0, (130, 166, 96)), (1, (84, 130, 68))]
    )
    fill = ridge(rng, HEIGHT * 0.6, 20, 3)
    mask = Image.new("L", (WIDTH, HEIGHT), 0)
    fill_below(ImageDraw.Draw(mask), fill, 255)
    big = Image.new("RGB", (WIDTH, HEIGHT))
    big.paste(fields, (0, round(HEIGHT * 0.58)))
    s.canvas.paste(big, (0, 0), mask)
    # The river, widening toward the viewer.
    water = (92, 150, 176)
    points_left, points_right = [], []
    for i in range(41):
        t = i / 40
        y = HEIGHT * 0.6 + t * HEIGHT * 0.42
        x = 800 + math.sin(t * 3.2 + seed) * 260 * t + (1 - t) * 120
        half = 8 + t * 230
        points_left.append((x - half, y))
        points_right.append((x + half, y))
    s.draw.polygon(points_left + points_right[::-1], mix(water, s.haze, 0.2))
    for i in range(0, 40, 2):
        (x0, y0), (x1, _) = points_left[i], points_right[i]
        s.draw.line(
            (x0 + (x1 - x0) * 0.3, y0, x0 + (x1 - x0) * 0.55, y0), shade(water, 1.3), width=2
        )
    for _ in range(26):  # woods on the banks, smaller far away
        t = rng.random()
        y = HEIGHT * 0.6 + t * HEIGHT * 0.4
        side = rng.choice([-1, 1])
        x = 800 + side * (300 + rng.uniform(0, 520)) * (0.4 + t)
        green = rng.choice([(52, 100, 56), (70, 120, 60), (40, 84, 60)])
        if rng.random() < 0.4:
            s.pine(x, y, 80 + 260 * t, green)
        else:
            s.tree(x, y, 80 + 280 * t, green)
    return s.finish()


def library(seed: int) -> Image.Image:
    """Bookshelves in warm light, with a reading lamp."""
    rng = random.Random(seed)
    s = Scene(seed, "day", 0.5)
    s.canvas.paste(vertical_gradient((WIDTH, HEIGHT), [(0, (96, 66, 48)), (1, (60, 40, 30))]))
    wood, dark = (140, 96, 62), (78, 52, 36)
    shelf_ys = [150, 420, 690, 960]
    books = [
        (150, 50, 46),
        (40, 78, 110),
        (200, 160, 80),
        (60, 110, 80),
        (220, 210, 190),
        (110, 60, 90),
        (230, 120, 60),
    ]
    for top, bottom in zip(shelf_ys, shelf_ys[1:], strict=False):
        x = 60
        while x < WIDTH - 80:
            w = rng.uniform(22, 52)
            h = rng.uniform(0.62, 0.9) * (bottom - top - 30)
            colour = rng.choice(books)
            if rng.random() < 0.05:  # a leaning book
                s.draw.polygon(
                    [(x, bottom), (x + w, bottom), (x + w + 50, bottom - h), (x + 50, bottom - h)],
                    colour,
                )
                x += w + 60
                continue
            s.draw.rectangle((x, bottom - h, x + w, bottom), colour)
            s.draw.rectangle((x + w * 0.75, bottom - h, x + w, bottom), shade(colour, 0.8))
            band = shade(colour, 1.4)
            s.draw.rectangle((x + 3, bottom - h + 16, x + w - 3, bottom - h + 22), band)
            s.draw.rectangle((x + 3, bottom - 34, x + w - 3, bottom - 28), band)
            x += w + rng.uniform(1, 4)
            if rng.random() < 0.04:
                x += rng.uniform(40, 120)
    for y in shelf_ys:
        s.draw.rectangle((0, y, WIDTH, y + 26), wood)
        s.draw.rectangle((0, y + 26, WIDTH, y + 40), dark)
    s.draw.rectangle((0, 0, 50, HEIGHT), wood)
    s.draw.rectangle((WIDTH - 60, 0, WIDTH, HEIGHT), wood)
    glow(s.canvas, (rng.randrange(400, 1200), 260), 520, (255, 214, 150), 0.32)
    return s.finish()


def tram(seed: int) -> Image.Image:
    """A tram in a city street, with overhead wires."""
    rng = random.Random(seed)
    s = Scene(seed, rng.choice(["day", "morning", "evening"]), 0.7)
    s.clouds(5)
    ground = round(HEIGHT * 0.78)
    lit = 0.4 if s.sky_name == "evening" else 0.03
    s.skyline(ground - 30, [(190, 150, 120), (150, 160, 170), (200, 180, 150)], 0.35, lit, 1.3)
    x = -30
    while x < WIDTH:  # the shopfronts across the road
        w = rng.uniform(160, 260)
        colour = rng.choice([(196, 120, 90), (230, 210, 180), (120, 140, 150), (170, 90, 80)])
        s.building(
            x,
            ground - 30,
            w,
            rng.uniform(300, 420),
            colour,
            lit=lit,
            roof=rng.choice([None, "pitched"]),
        )
        awning = rng.choice([(40, 90, 80), (160, 40, 50), (40, 60, 110)])
        s.draw.polygon(
            [
                (x + 10, ground - 120),
                (x + w - 10, ground - 120),
                (x + w, ground - 86),
                (x, ground - 86),
            ],
            awning,
        )
        s.draw.rectangle((x + 20, ground - 86, x + w - 20, ground - 30), (70, 84, 92))
        x += w + 4
    s.draw.rectangle((0, ground - 30, WIDTH, ground), (170, 166, 158))
    s.draw.rectangle((0, ground, WIDTH, HEIGHT), (88, 88, 92))
    for y in (ground + 150, ground + 190):
        s.draw.line((0, y, WIDTH, y), (190, 190, 196), width=6)
    body, trim = rng.choice(
        [
            ((236, 200, 60), (40, 50, 60)),
            ((210, 50, 60), (240, 240, 240)),
            ((60, 120, 170), (240, 240, 240)),
        ]
    )
    left, right, top, bottom = 180, 1420, ground - 230, ground + 112
    rail = ground + 150
    for bogie in (left + 150, right - 330):  # wheels under the body, on the rail
        s.draw.rectangle((bogie, bottom - 10, bogie + 180, rail - 22), (50, 52, 58))
        for wheel in (bogie + 40, bogie + 140):
            s.draw.ellipse((wheel - 26, rail - 50, wheel + 26, rail + 2), (34, 36, 40))
    s.draw.rounded_rectangle((left, top, right, bottom), 40, body)
    s.draw.rectangle((left + 8, top + 34, right - 8, top + 150), trim)
    s.draw.rectangle((left + 8, bottom - 40, right - 8, bottom - 24), trim)
    doors = [(left + 380, left + 470), (left + 800, left + 890)]
    edges = [left + 40, *[x for door in doors for x in door], right - 40]
    for start, end in zip(edges[::2], edges[1::2], strict=True):  # windows between the doors
        count = max(1, round((end - start) / 130))
        width = (end - start - 16 * (count + 1)) / count
        for i in range(count):
            wx = start + 16 + i * (width + 16)
            s.draw.rounded_rectangle((wx, top + 46, wx + width, top + 138), 10, (150, 190, 210))
            s.draw.line((wx + 12, top + 128, wx + 52, top + 58), (205, 228, 238), width=4)
    for x0, x1 in doors:
        s.draw.rectangle((x0, top + 34, x1, bottom - 8), shade(body, 0.8))
        s.draw.line((x0 + 45, top + 40, x0 + 45, bottom - 12), shade(body, 0.6), width=3)
        s.draw.rectangle((x0 + 10, top + 50, x1 - 10, top + 140), (140, 180, 200))
    s.draw.rounded_rectangle((right - 34, top + 14, right - 6, top + 150), 8, (150, 190, 210))
    s.draw.rectangle((left + 60, top + 8, left + 300, top + 28), (30, 30, 34))
    s.draw.rectangle((left + 72, top + 13, left + 220, top + 23), (255, 190, 60))
    s.draw.line((700, top, 780, top - 110), (40, 40, 46), width=6)
    s.draw.line((780, top - 110, 840, top), (40, 40, 46), width=6)
    s.draw.line((740, top - 112, 820, top - 112), (40, 40, 46), width=6)
    for y in (top - 114, top - 130):
        s.draw.line((0, y + 10, WIDTH, y - 10), (40, 40, 46), width=3)
    for px in (90, 1510):
        s.draw.rectangle((px - 8, top - 200, px + 8, ground + 10), (60, 64, 70))
    return s.finish()


def school(seed: int) -> Image.Image:
    """A brick school with a playground and a bench."""
    rng = random.Random(seed)
    s = Scene(seed, rng.choice(["day", "morning"]), 0.62)
    s.clouds(6)
    s.hills(2, (80, 120, 90), 0.58, 40)
    ground = round(HEIGHT * 0.7)
    # Red, yellow or grey brick, a slate or green roof, a door of the school's colour.
    brick = rng.choice([(170, 84, 64), (196, 160, 104), (150, 140, 130), (160, 96, 70)])
    roof = rng.choice([(80, 76, 84), (70, 100, 90), (96, 70, 64)])
    door = rng.choice([(44, 84, 120), (140, 40, 50), (40, 100, 70)])
    s.draw.rectangle((240, ground - 380, 1360, ground), brick)
    for y in range(ground - 380, ground, 18):
        s.draw.line((240, y, 1360, y), shade(brick, 0.9), width=1)
    s.draw.polygon([(220, ground - 380), (800, ground - 540), (1380, ground - 380)], roof)
    s.draw.ellipse(
        (740, ground - 500, 860, ground - 380), (240, 236, 226), outline=(60, 60, 60), width=5
    )
    s.draw.line((800, ground - 440, 800, ground - 476), (40, 40, 40), width=4)
    s.draw.line((800, ground - 440, 828, ground - 430), (40, 40, 40), width=4)
    for row in range(2):
        for col in range(8):
            if row == 1 and col in (3, 4):
                continue
            x, y = 290 + col * 134, ground - 330 + row * 160
            s.draw.rectangle((x, y, x + 90, y + 110), (236, 230, 214))
            s.draw.rectangle((x + 8, y + 8, x + 82, y + 102), (120, 160, 190))
            s.draw.line((x + 45, y + 8, x + 45, y + 102), (236, 230, 214), width=5)
            s.draw.line((x + 8, y + 50, x + 82, y + 50), (236, 230, 214), width=5)
    s.draw.rectangle((700, ground - 150, 900, ground), door)
    s.draw.line((800, ground - 150, 800, ground), shade(door, 0.7), width=5)
    s.draw.rectangle((0, ground, WIDTH, HEIGHT), (150, 150, 146))
    for i in range(6):  # hopscotch squares
        x, y = 200 + i * 80, ground + 190 + (i % 2) * 10
        s.draw.rectangle((x, y, x + 70, y + 70), outline=(240, 240, 230), width=5)
    s.draw.rectangle((1040, ground + 160, 1340, ground + 180), (130, 90, 60))
    for lx in (1060, 1320):
        s.draw.rectangle((lx, ground + 180, lx + 12, ground + 230), (70, 70, 70))
    for x in (110, 1490):
        s.tree(x + rng.uniform(-40, 40), ground + 40, rng.uniform(360, 460), (70, 124, 68))
    return s.finish()


def market(seed: int) -> Image.Image:
    """Market stalls with striped awnings and crates of produce."""
    rng = random.Random(seed)
    s = Scene(seed, rng.choice(["morning", "day"]), 0.55)
    s.clouds(4)
    ground = round(HEIGHT * 0.62)
    s.skyline(ground, [(200, 180, 150), (170, 120, 100), (150, 160, 170)], 0.3, 0.0, 1.4)
    s.draw.rectangle((0, ground, WIDTH, HEIGHT), (176, 168, 156))
    for i in range(0, WIDTH, 60):  # cobbles
        for j in range(ground + 10, HEIGHT, 36):
            s.draw.ellipse(
                (i + (j // 36 % 2) * 30, j, i + 50 + (j // 36 % 2) * 30, j + 26), (164, 156, 144)
            )
    produce = [(220, 60, 40), (240, 170, 40), (90, 150, 60), (160, 50, 90), (240, 220, 90)]
    for k in range(3):
        x0 = 60 + k * 520
        stripe = rng.choice([(190, 40, 50), (40, 100, 80), (40, 70, 130)])
        for i in range(8):
            colour = stripe if i % 2 == 0 else (245, 242, 232)
            s.draw.polygon(
                [
                    (x0 + i * 60, ground - 260),
                    (x0 + i * 60 + 60, ground - 260),
                    (x0 + i * 62 + 62, ground - 180),
                    (x0 + i * 62, ground - 180),
                ],
                colour,
            )
        for px in (x0 + 10, x0 + 480):
            s.draw.rectangle((px, ground - 190, px + 10, ground + 150), (90, 70, 50))
        s.draw.rectangle((x0, ground + 20, x0 + 500, ground + 150), (150, 104, 64))
        for c in range(5):
            cx = x0 + 12 + c * 97
            s.draw.rectangle((cx, ground - 20, cx + 88, ground + 24), (196, 150, 96))
            fruit = rng.choice(produce)
            for _ in range(16):
                fx, fy = cx + rng.uniform(8, 70), ground - 40 + rng.uniform(-10, 20)
                s.draw.ellipse((fx, fy, fx + 22, fy + 22), fruit)
                s.draw.ellipse((fx + 4, fy + 3, fx + 10, fy + 9), shade(fruit, 1.35))
    return s.finish()


def chart(seed: int, falling: bool = False) -> Image.Image:
    """A business graphic: bars and a line over a grid, on paper, rising or `falling`."""
    rng = random.Random(seed)
    s = Scene(seed, "day", 0.5)
    paper = (244, 238, 226)
    s.canvas.paste(vertical_gradient((WIDTH, HEIGHT), [(0, paper), (1, (232, 224, 208))]))
    left, right, top, bottom = 180, 1460, 170, 900
    for i in range(6):
        y = bottom - i * (bottom - top) / 5
        s.draw.line((left, y, right, y), (210, 200, 184), width=2)
    bars = 12
    # A clear trend with a wobble, so that the caption's "rose" or "fell" is what it shows.
    start, end = rng.uniform(0.3, 0.4), rng.uniform(0.8, 0.95)
    values = [
        start + (end - start) * i / (bars - 1) + rng.uniform(-0.06, 0.06) for i in range(bars)
    ]
    if falling:
        values.reverse()
    step = (right - left) / bars
    accent = rng.choice([(24, 82, 120), (160, 50, 40), (30, 110, 90)])
    for i, value in enumerate(values):
        x = left + i * step + step * 0.18
        colour = accent if i == bars - 1 else mix(accent, paper, 0.55)
        s.draw.rectangle(
            (x, bottom - value * (bottom - top) * 0.8, x + step * 0.64, bottom), colour
        )
    line = [
        (left + (i + 0.5) * step, bottom - (values[i] * 0.8 + 0.12) * (bottom - top))
        for i in range(bars)
    ]
    s.draw.line(line, (214, 120, 40), width=8, joint="curve")
    for x, y in line:
        s.draw.ellipse((x - 11, y - 11, x + 11, y + 11), (214, 120, 40))
        s.draw.ellipse((x - 5, y - 5, x + 5, y + 5), paper)
    s.draw.line((left, bottom, right, bottom), (80, 70, 60), width=4)
    s.draw.line((left, top - 20, left, bottom), (80, 70, 60), width=4)
    for i in range(bars):
        x = left + (i + 0.5) * step
        s.draw.line((x, bottom, x, bottom + 14), (80, 70, 60), width=3)
    for i in range(0 if falling else 5):  # money, for a rising chart
        y = HEIGHT - 90 - i * 22
        s.draw.ellipse((1452, y - 20, 1588, y + 20), (200, 160, 60))
        s.draw.ellipse((1452, y - 26, 1588, y + 14), (232, 196, 90))
    return s.finish()


def rain(seed: int) -> Image.Image:
    """Weather over the bay: low cloud, rain and a lighthouse."""
    rng = random.Random(seed)
    s = Scene(seed, "overcast", 0.55)
    s.clouds(10, (150, 158, 166))
    s.hills(3, (80, 96, 100), 0.52, 60)
    s.water(s.horizon + 20, (70, 96, 110))
    s.draw.polygon(
        [(1050, s.horizon + 60), (1600, s.horizon - 20), (1600, HEIGHT), (900, HEIGHT)],
        (76, 80, 72),
    )
    x, base = 1300, s.horizon + 20
    s.draw.polygon(
        [(x - 40, base), (x - 26, base - 300), (x + 26, base - 300), (x + 40, base)],
        (240, 240, 236),
    )
    for i in range(3):
        y = base - 60 - i * 90
        s.draw.rectangle((x - 38 + i * 5, y, x + 38 - i * 5, y + 36), (190, 50, 50))
    s.draw.rectangle((x - 34, base - 350, x + 34, base - 300), (60, 64, 70))
    s.draw.rectangle((x - 24, base - 340, x + 24, base - 310), (255, 240, 190))
    glow(s.canvas, (x, base - 325), 120, (255, 240, 190), 0.5)
    layer = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(layer)
    for _ in range(1400):
        rx, ry = rng.uniform(-100, WIDTH), rng.uniform(-40, HEIGHT)
        length = rng.uniform(30, 70)
        draw.line((rx, ry, rx + length * 0.25, ry + length), 150, width=2)
    s.canvas.paste(Image.new("RGB", (WIDTH, HEIGHT), (214, 220, 226)), (0, 0), layer)
    return s.finish()


SCENES: dict[str, Callable[[int], Image.Image]] = {
    "harbour": harbour,
    "council": council,
    "stadium": stadium,
    "port": port,
    "river": river,
    "library": library,
    "tram": tram,
    "school": school,
    "market": market,
    "chart": chart,
    "chart-falling": functools.partial(chart, falling=True),
    "rain": rain,
}


def scene(kind: str, seed: int) -> Image.Image:
    """One illustration of SIZE, the same for the same `kind` and `seed`."""
    try:
        draw = SCENES[kind]
    except KeyError:
        raise ValueError(f"Unknown demo scene {kind!r}; use one of {', '.join(SCENES)}.") from None
    return draw(seed).resize(SIZE, Image.Resampling.LANCZOS)


# Portraits ---------------------------------------------------------------------------------

BACKDROPS = [
    (214, 96, 74),
    (62, 120, 150),
    (230, 176, 70),
    (90, 140, 104),
    (132, 96, 160),
    (60, 80, 110),
]
SKIN = [(242, 208, 180), (222, 176, 140), (190, 138, 100), (150, 100, 70), (104, 70, 50)]
HAIR = [(40, 32, 28), (90, 60, 40), (170, 120, 70), (60, 44, 36), (200, 190, 180)]
CLOTHES = [(40, 50, 70), (230, 228, 220), (120, 40, 50), (60, 90, 80), (90, 90, 96)]


def portrait(seed: int) -> Image.Image:
    """An author's square portrait: a flat head-and-shoulders figure on a coloured backdrop,
    chosen from `seed` (not from the name: a portrait says nothing about who the person is)."""
    rng = random.Random(seed)
    size = PORTRAIT_SIZE
    backdrop = rng.choice(BACKDROPS)
    canvas = vertical_gradient((size, size), [(0, shade(backdrop, 1.2)), (1, shade(backdrop, 0.8))])
    glow(canvas, (round(size * 0.3), round(size * 0.25)), 300, shade(backdrop, 1.4), 0.5)
    draw = ImageDraw.Draw(canvas)
    skin, hair, clothes = rng.choice(SKIN), rng.choice(HAIR), rng.choice(CLOTHES)
    cx = size / 2 + rng.uniform(-20, 20)
    style = rng.choice(["short", "long", "bun", "crop", "long"])
    if style == "long":  # hair behind the shoulders first
        draw.rounded_rectangle((cx - 165, size * 0.15, cx + 165, size * 0.8), 150, hair)
    # Shoulders, neck and collar.
    draw.ellipse((cx - 330, size * 0.7, cx + 330, size * 1.4), clothes)
    draw.rectangle((cx - 58, size * 0.5, cx + 58, size * 0.74), shade(skin, 0.86))
    draw.polygon(
        [(cx - 80, size * 0.71), (cx, size * 0.84), (cx + 80, size * 0.71)], shade(skin, 0.86)
    )
    collar = shade(clothes, 1.3) if clothes != (230, 228, 220) else (200, 198, 190)
    draw.line([(cx - 86, size * 0.71), (cx, size * 0.85), (cx + 86, size * 0.71)], collar, width=14)
    # Hair behind the head, ears, the head with a soft shadow, and the hairline.
    if style in ("short", "bun"):
        draw.ellipse((cx - 150, size * 0.12, cx + 150, size * 0.48), hair)
    if style == "bun":
        draw.ellipse((cx - 66, size * 0.04, cx + 66, size * 0.18), hair)
    draw.ellipse((cx - 150, size * 0.33, cx - 108, size * 0.45), shade(skin, 0.9))
    draw.ellipse((cx + 108, size * 0.33, cx + 150, size * 0.45), shade(skin, 0.9))
    draw.ellipse((cx - 135, size * 0.15, cx + 135, size * 0.57), skin)
    draw.chord((cx - 135, size * 0.15, cx + 135, size * 0.57), 300, 60, shade(skin, 0.95))
    if style == "crop":
        draw.chord((cx - 132, size * 0.13, cx + 132, size * 0.4), 185, 355, hair)
    else:
        draw.chord((cx - 142, size * 0.11, cx + 142, size * 0.44), 170, 370, hair)
        sweep = rng.choice([-1, 1])
        draw.polygon(
            [
                (cx - 140 * sweep, size * 0.3),
                (cx + 30 * sweep, size * 0.22),
                (cx - 120 * sweep, size * 0.42),
            ],
            hair,
        )
    if rng.random() < 0.35:  # glasses
        for dx in (-56, 56):
            draw.ellipse(
                (cx + dx - 38, size * 0.37, cx + dx + 38, size * 0.44),
                outline=(40, 40, 44),
                width=7,
            )
        draw.line((cx - 18, size * 0.4, cx + 18, size * 0.4), (40, 40, 44), width=6)
    image = canvas.filter(ImageFilter.GaussianBlur(0.8))
    return add_grain(image, rng.randrange(1 << 30), strength=0.1)


def jpeg(image: Image.Image, quality: int = 86) -> bytes:
    """The picture as JPEG bytes, as an upload would arrive."""
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def drawn(what: tuple) -> bytes:
    """JPEG bytes of `("scene", kind, seed)` or `("portrait", seed)`: for a process pool."""
    if what[0] == "portrait":
        return jpeg(portrait(what[1]))
    return jpeg(scene(what[1], what[2]))
