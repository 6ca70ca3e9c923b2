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
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif"}
MAX_AUDIO_BYTES = 2 * MB
MAX_AUDIO_SECONDS = 10.0
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".mp3"}
DISPLAY_SIZE = 512  # every picture is shown in a square of this many pixels


def image_problem(path: Path) -> Phrase | None:
    """Why `path` cannot be a deck picture, or None when it can."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return Phrase("picture_too_big", size=size / MB, most=MAX_IMAGE_BYTES // MB)
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
    if max(width, height) > MAX_IMAGE_SIDE:
        return Phrase("picture_too_wide", width=width, height=height, most=MAX_IMAGE_SIDE)
    return _pixels_problem(path)


def _pixels_problem(path: Path) -> Phrase | None:
    """verify() reads the file's structure, not its pixels: decode them (within the limits checked
    before), so a damaged picture is reported now rather than failing when a card shows it."""
    try:
        with Image.open(path) as image:
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
        upright = ImageOps.exif_transpose(image).convert("RGBA")
    return ImageOps.pad(upright, (size, size), color=(0, 0, 0, 0))
