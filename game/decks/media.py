"""Pictures and recordings that decks point at: is the file what it claims, and how it is shown.

Limits are generous for a classroom (a phone photo fits) and keep one upload from
filling a free Space's memory.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps

from game.decks.problems import Phrase

KB = 1024
MB = 1024 * KB
MAX_IMAGE_BYTES = 5 * MB
MAX_IMAGE_SIDE = 4096  # pixels, either side
# A photo taken in the editor is shrunk to DISPLAY_SIZE as it arrives, so it may be what a phone
# saves: 8064×6048 pixels and 7.6 MB were measured; 200-megapixel modes are refused (PIL's own
# decompression-bomb bound is 179 megapixels).
MAX_PHOTO_BYTES = 30 * MB
MAX_PHOTO_SIDE = 12_000
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif"}
MAX_AUDIO_BYTES = 2 * MB
MAX_AUDIO_SECONDS = 10.0
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".mp3"}
DISPLAY_SIZE = 512  # every picture is shown in a square of this many pixels


def image_problem(path: Path, most_bytes: int | None = None, most_side: int | None = None) -> Phrase | None:
    """Why `path` cannot be a deck picture (or, with other bounds, a photo to shrink), or None when it can."""
    most_bytes, most_side = most_bytes or MAX_IMAGE_BYTES, most_side or MAX_IMAGE_SIDE
    size = path.stat().st_size
    if size > most_bytes:
        return Phrase("picture_too_big", size=size / MB, most=most_bytes // MB)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, (width, height) = image.format, image.size
                image.verify()
    except PermissionError:
        return Phrase("no_permission")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return Phrase("not_a_picture")
    if kind not in IMAGE_FORMATS:
        return Phrase("picture_kind", kind=kind)
    if max(width, height) > most_side:
        return Phrase("picture_too_wide", width=width, height=height, most=most_side)
    return _pixels_problem(path)


def photo_problem(path: Path) -> Phrase | None:
    """Why `path` cannot be a photo the editor shrinks to a deck picture, or None when it can."""
    return image_problem(path, MAX_PHOTO_BYTES, MAX_PHOTO_SIDE)


def _pixels_problem(path: Path) -> Phrase | None:
    """verify() reads the file's structure, not its pixels: decode them (within the limits checked
    before), so a damaged picture is reported now rather than failing when a card shows it."""
    try:
        with Image.open(path) as image:
            image.draft("RGB", (DISPLAY_SIZE, DISPLAY_SIZE))  # a big JPEG is read at a fraction of its size
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return Phrase("picture_damaged")
    return None


def audio_problem(path: Path) -> Phrase | None:
    """Why `path` cannot be a reference recording, or None when it can."""
    import soundfile

    size = path.stat().st_size
    if size > MAX_AUDIO_BYTES:
        return Phrase("recording_too_big", size=size / MB, most=MAX_AUDIO_BYTES // MB)
    try:
        info = soundfile.info(str(path))
    except PermissionError:
        return Phrase("no_permission")
    except (RuntimeError, OSError, soundfile.LibsndfileError):
        return Phrase("not_a_recording")
    if info.duration > MAX_AUDIO_SECONDS:
        return Phrase("recording_too_long", seconds=info.duration, most=MAX_AUDIO_SECONDS)
    return None


def display_picture(path: Path, size: int = DISPLAY_SIZE) -> Image.Image:
    """The picture upright (EXIF orientation applied), fitted into a transparent square."""
    with Image.open(path) as image:
        # A JPEG is decoded at the smallest of its scales (1/2 … 1/8) still larger than `size`: a
        # phone's 48-megapixel photo takes a sixty-fourth of the memory and time.
        image.draft("RGB", (size, size))
        upright = ImageOps.exif_transpose(image).convert("RGBA")
    return ImageOps.pad(upright, (size, size), color=(0, 0, 0, 0))
