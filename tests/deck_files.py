"""Decks written on the fly for tests: real pictures and recordings, or deliberately broken ones."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import soundfile
from PIL import Image

ROOT_DECKS = Path(__file__).resolve().parent.parent / "assets" / "decks"


def png(path: Path, size=(32, 32), color=(200, 80, 40, 255)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGBA", size, color)
    (image.convert("RGB") if path.suffix.lower() in (".jpg", ".jpeg") else image).save(path)
    return path


def wav(path: Path, seconds: float = 0.5, rate: int = 16000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    soundfile.write(path, (np.sin(2 * np.pi * 220 * t) * 0.3).astype(np.float32), rate)
    return path


def write_deck(folder: Path, text: str, name: str = "test", pictures=("hund.png", "katt.png")) -> Path:
    """`folder/name.yaml` with `text`, and real PNGs for `pictures` in `folder/name/`."""
    for picture in pictures:
        png(folder / name / picture)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_DECK = """\
title: Djur
description: Några djur
level: A1
attribution: Testbilder, CC0
cards:
  - word: hund
    article: en
    translation: dog
    image: hund.png
    also_accepted: [vovve]
    hint: Den skäller.
  - word: katt
    image: katt.png
"""


def damaged_png(path: Path, size=(16, 16)) -> Path:
    """A PNG whose chunks are all well-formed (PIL's verify() passes) but whose pixel data is garbage."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", *size, 8, 2, 0, 0, 0)  # 8-bit RGB
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"not zlib data" * 4) + chunk(b"IEND", b"")
    )
    return path


def patch_member(archive: Path, name: str, *, flags: int = 0, flip_data: bool = False) -> Path:
    """Change one member of a written (stored, uncompressed) zip in place: set bits of its flags in both
    headers (0x1 says "encrypted"), or flip a byte of its data so that its CRC no longer matches."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(name)
    local = info.header_offset
    if flags:
        central = data.index(b"PK\x01\x02", data.rindex(b"PK\x03\x04"))  # the directory follows the data
        while data[central + 46 : central + 46 + len(name)] != name.encode():
            central = data.index(b"PK\x01\x02", central + 4)
        data[local + 6] |= flags  # general purpose flags: at 6 in the member's header, at 8 in the directory
        data[central + 8] |= flags
    if flip_data:
        name_length = int.from_bytes(data[local + 26 : local + 28], "little")
        extra_length = int.from_bytes(data[local + 28 : local + 30], "little")
        data[local + 30 + name_length + extra_length + 20] ^= 0xFF
    archive.write_bytes(bytes(data))
    return archive


def small_deck_zip(folder: Path, broken: bool = False, words=None) -> Path:
    """Animals from the bundled pictures, as a teacher would zip them; `broken` adds a typo."""
    words = words or [("hund", "hund.png", "dog"), ("katt", "katt.png", "cat"), ("räv", "rav.png", "fox")]
    field = "transaltion" if broken else "translation"
    text = "title: Mina djur\nlevel: A1\ncards:\n" + "".join(
        f"  - word: {w}\n    article: en\n    {field}: {t}\n    image: {i}\n" for w, i, t in words
    )
    archive = folder / f"{'trasig' if broken else 'mina-djur'}-{len(words)}.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("mina-djur.yaml", text)
        for _, image, _ in words:
            zf.write(ROOT_DECKS / "djur" / image, f"mina-djur/{image}")
    return archive


def noise_deck_zip(path: Path, pictures: int = 3, side: int = 1000, seed: int = 0) -> Path:
    """A deck of `pictures` noise PNGs, which do not compress: about 3 MB a picture at 1000 px."""
    rng = np.random.default_rng(seed)
    text = "title: Brus\ncards:\n" + "".join(f"  - word: ord{i}\n    image: p{i}.png\n" for i in range(pictures))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("brus.yaml", text)
        for i in range(pictures):
            picture = path.parent / f"brus-{i}.png"
            Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)).save(picture, compress_level=1)
            zf.write(picture, f"brus/p{i}.png")
            picture.unlink()
    return path
