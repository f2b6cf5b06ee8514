"""Badge images drawn by the app: one design per degree, as SVG and as PNG (via Pillow).

Each level has its own colour; the image shows the degree's name, its level and the site.
Pillow's bundled font (Aileron, in every Pillow wheel built with FreeType) draws the PNG, so
nothing is read from the network or the system's fonts.
"""

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

SIZE = 512
SITE_NAME = "mlmath"


@dataclass(frozen=True)
class LevelColours:
    name: str
    ring: str
    fill: str
    text: str


# Level 1, 2, 3...; higher levels reuse the last colour. Text on fill meets WCAG AA contrast.
LEVEL_COLOURS = (
    LevelColours("bronze", ring="#7c3f12", fill="#b45f1f", text="#ffffff"),
    LevelColours("silver", ring="#334155", fill="#475569", text="#ffffff"),
    LevelColours("gold", ring="#6b4e00", fill="#8a6500", text="#ffffff"),
)


def level_colours(rank):
    return LEVEL_COLOURS[min(max(rank, 1), len(LEVEL_COLOURS)) - 1]


def image_description(title, rank):
    """The alt text of a badge image (and the SVG's <title>)."""
    return f"{SITE_NAME} {title} badge: a {level_colours(rank).name} medal, level {rank}"


def badge_svg(title, rank):
    """The badge as an SVG document (text), accessible by its <title>."""
    colours = level_colours(rank)
    font = "font-family=\"'DejaVu Sans', Verdana, Arial, sans-serif\""
    title_size = 64 if len(title) <= 10 else max(30, int(640 / len(title)))
    centre = SIZE // 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="badge-title">'
        f'<title id="badge-title">{escape(image_description(title, rank))}</title>'
        f'<circle cx="{centre}" cy="{centre}" r="248" fill="{colours.ring}"/>'
        f'<circle cx="{centre}" cy="{centre}" r="224" fill="{colours.fill}" '
        f'stroke="{colours.text}" stroke-width="4"/>'
        f'<text x="{centre}" y="150" text-anchor="middle" {font} font-size="40" '
        f'fill="{colours.text}" font-weight="bold">{SITE_NAME}</text>'
        f'<text x="{centre}" y="{centre + title_size // 3}" text-anchor="middle" {font} '
        f'font-size="{title_size}" fill="{colours.text}" font-weight="bold">{escape(title)}</text>'
        f'<text x="{centre}" y="360" text-anchor="middle" {font} font-size="34" '
        f'fill="{colours.text}">{escape(f"Level {rank}")}</text>'
        f'<text x="{centre}" y="420" text-anchor="middle" {font} font-size="34" '
        f'fill="{colours.text}" aria-hidden="true">{"★" * min(rank, 5)}</text>'
        "</svg>"
    )


@lru_cache(maxsize=64)
def badge_png(title, rank):
    """The badge as PNG bytes, drawn with Pillow's bundled font."""
    colours = level_colours(rank)
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = SIZE // 2
    draw.ellipse((centre - 248, centre - 248, centre + 248, centre + 248), fill=colours.ring)
    draw.ellipse(
        (centre - 224, centre - 224, centre + 224, centre + 224),
        fill=colours.fill,
        outline=colours.text,
        width=4,
    )
    draw.text((centre, 140), SITE_NAME, font=_font(40), fill=colours.text, anchor="mm")
    draw.text(
        (centre, centre), title, font=_fitting_font(draw, title), fill=colours.text, anchor="mm"
    )
    draw.text((centre, 350), f"Level {rank}", font=_font(34), fill=colours.text, anchor="mm")
    for index in range(min(rank, 5)):
        _star(draw, centre + (index - (min(rank, 5) - 1) / 2) * 44, 410, 16, colours.text)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


@lru_cache(maxsize=16)
def _font(size):
    return ImageFont.load_default(size=size)


def _fitting_font(draw, text, largest=64, smallest=24, width=400):
    size = largest
    while size > smallest and draw.textlength(text, font=_font(size)) > width:
        size -= 4
    return _font(size)


def _star(draw, x, y, radius, colour):
    points = []
    for index in range(10):
        angle = math.pi / 2 + index * math.pi / 5
        length = radius if index % 2 == 0 else radius * 0.45
        points.append((x + length * math.cos(angle), y - length * math.sin(angle)))
    draw.polygon(points, fill=colour)
