"""An emoji drawn as a card picture: the bundled decks' pictures and the picture library's look alike.

The font is Debian's `fonts-noto-color-emoji` (images Apache-2.0, font OFL-1.1; see
assets/ATTRIBUTION.md). A sequence such as 🐻‍❄️ or 🧑‍🍳 is one picture only when Pillow lays
text out with raqm (it loads libfribidi at run time); otherwise its parts come out side by side,
which `render_emoji` refuses rather than hand back a wrong picture.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
BITMAP_SIZE = 109  # the only size the font's colour bitmaps come in
GLYPH_PIXELS = 136  # how wide one of those bitmaps is drawn: anything wider is several pictures
CANVAS, OUT = 160, 256


def load_font(path: Path = FONT) -> ImageFont.FreeTypeFont:
    """Raises OSError when the font is missing or unreadable. Opened as a file because, given a
    path it cannot read, Pillow quietly loads a system font of the same file name instead."""
    with open(path, "rb") as file:
        return ImageFont.truetype(file, BITMAP_SIZE)


def render_emoji(emoji: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    """A square RGBA picture of `emoji`; ValueError when the font cannot draw it as one picture."""
    return _draw(emoji, font).resize((OUT, OUT), Image.Resampling.LANCZOS)


def can_draw(emoji: str, font: ImageFont.FreeTypeFont) -> bool:
    """Whether `render_emoji` works, at a third of its cost (no scaling)."""
    try:
        _draw(emoji, font)
    except ValueError:
        return False
    return True


def _draw(emoji: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    canvas = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((CANVAS / 2, CANVAS / 2), emoji, font=font, embedded_color=True, anchor="mm")
    box = canvas.getbbox()
    if box is None or box[2] - box[0] > GLYPH_PIXELS:
        raise ValueError(f"the font has no picture for {emoji!r}")
    return canvas
