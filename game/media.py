"""Pictures and recordings that decks point at: is the file what it claims, and how it is shown.

Limits are generous for a classroom (a phone photo fits) and keep one upload from
filling a free Space's memory.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 4096  # pixels, either side
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif"}
MAX_AUDIO_BYTES = 2 * 1024 * 1024
MAX_AUDIO_SECONDS = 10.0
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".mp3"}
DISPLAY_SIZE = 512  # every picture is shown in a square of this many pixels


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def image_problem(path: Path) -> str | None:
    """Why `path` cannot be a deck picture, or None when it can."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"is {size / 1024 / 1024:.1f} MB; pictures may be at most {_mb(MAX_IMAGE_BYTES)}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, (width, height) = image.format, image.size
                image.verify()
    except PermissionError:
        return "cannot be read (no permission)"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return "is not a picture PIL can read (use PNG, JPEG or WebP)"
    if kind not in IMAGE_FORMATS:
        return f"is a {kind} picture; use PNG, JPEG or WebP"
    if max(width, height) > MAX_IMAGE_SIDE:
        return f"is {width}×{height} pixels; at most {MAX_IMAGE_SIDE} pixels a side"
    return None


def audio_problem(path: Path) -> str | None:
    """Why `path` cannot be a reference recording, or None when it can."""
    import soundfile

    size = path.stat().st_size
    if size > MAX_AUDIO_BYTES:
        return f"is {size / 1024 / 1024:.1f} MB; recordings may be at most {_mb(MAX_AUDIO_BYTES)}"
    try:
        info = soundfile.info(str(path))
    except PermissionError:
        return "cannot be read (no permission)"
    except (RuntimeError, OSError, soundfile.LibsndfileError):
        return "is not a recording soundfile can read (use WAV, FLAC, OGG or MP3)"
    if info.duration > MAX_AUDIO_SECONDS:
        return f"is {info.duration:.1f} s long; at most {MAX_AUDIO_SECONDS:.0f} s"
    return None


def display_picture(path: Path, size: int = DISPLAY_SIZE) -> Image.Image:
    """The picture upright (EXIF orientation applied), fitted into a transparent square."""
    with Image.open(path) as image:
        upright = ImageOps.exif_transpose(image).convert("RGBA")
    return ImageOps.pad(upright, (size, size), color=(0, 0, 0, 0))
