"""Render the pictures of the bundled decks from the Noto Color Emoji font.

The font is Debian's `fonts-noto-color-emoji` (images Apache-2.0, font OFL-1.1;
see assets/ATTRIBUTION.md). The PNGs are committed, so this only runs when a
picture is added:  apt-get install fonts-noto-color-emoji && python assets/render_pictures.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
BITMAP_SIZE = 109  # the only size the font's colour bitmaps come in
CANVAS, OUT = 160, 256

PICTURES = {
    "vardag": {
        "hund": "🐕",
        "katt": "🐈",
        "hast": "🐎",
        "ko": "🐄",
        "gris": "🐖",
        "far": "🐑",
        "fagel": "🐦",
        "fisk": "🐟",
        "mus": "🐁",
        "bjorn": "🐻",
        "apple": "🍎",
        "banan": "🍌",
        "paron": "🍐",
        "citron": "🍋",
        "jordgubbe": "🍓",
        "brod": "🍞",
        "ost": "🧀",
        "agg": "🥚",
        "mjolk": "🥛",
        "kaffe": "☕",
        "glass": "🍦",
        "tarta": "🎂",
        "morot": "🥕",
        "potatis": "🥔",
        "bil": "🚗",
        "cykel": "🚲",
        "buss": "🚌",
        "tag": "🚆",
        "bat": "⛵",
        "flygplan": "✈️",
        "hus": "🏠",
        "nyckel": "🔑",
        "stol": "🪑",
        "sang": "🛏️",
        "bok": "📖",
        "penna": "✏️",
        "klocka": "⏰",
        "telefon": "📱",
        "sol": "☀️",
        "mane": "🌙",
        "stjarna": "⭐",
        "trad": "🌳",
        "blomma": "🌸",
        "paraply": "☂️",
        "sko": "👟",
        "hatt": "🎩",
        "boll": "⚽",
        "gitarr": "🎸",
        "hjarta": "❤️",
        "oga": "👁️",
        "hand": "✋",
        "snogubbe": "⛄",
    },
    "djur": {
        "hund": "🐕",
        "katt": "🐈",
        "hast": "🐎",
        "ko": "🐄",
        "gris": "🐖",
        "far": "🐑",
        "kanin": "🐇",
        "apa": "🐒",
        "elefant": "🐘",
        "lejon": "🦁",
        "tiger": "🐅",
        "giraff": "🦒",
        "zebra": "🦓",
        "orm": "🐍",
        "groda": "🐸",
        "anka": "🦆",
        "uggla": "🦉",
        "bi": "🐝",
        "fjaril": "🦋",
        "myra": "🐜",
        "snigel": "🐌",
        "rav": "🦊",
        "varg": "🐺",
        "alg": "🫎",
        "sal": "🦭",
        "val": "🐋",
        "pingvin": "🐧",
        "tupp": "🐓",
        "bjorn": "🐻",
        "mus": "🐁",
    },
    "mat": {
        "apple": "🍎",
        "banan": "🍌",
        "paron": "🍐",
        "citron": "🍋",
        "apelsin": "🍊",
        "jordgubbe": "🍓",
        "korsbar": "🍒",
        "vindruvor": "🍇",
        "ananas": "🍍",
        "vattenmelon": "🍉",
        "tomat": "🍅",
        "gurka": "🥒",
        "morot": "🥕",
        "lok": "🧅",
        "vitlok": "🧄",
        "majs": "🌽",
        "paprika": "🫑",
        "svamp": "🍄",
        "potatis": "🥔",
        "brod": "🍞",
        "ost": "🧀",
        "agg": "🥚",
        "smor": "🧈",
        "mjolk": "🥛",
        "kaffe": "☕",
        "pannkaka": "🥞",
        "pizza": "🍕",
        "korv": "🌭",
        "kaka": "🍪",
        "choklad": "🍫",
        "glass": "🍦",
        "honung": "🍯",
    },
    "hemma": {
        "hus": "🏠",
        "dorr": "🚪",
        "fonster": "🪟",
        "nyckel": "🔑",
        "stol": "🪑",
        "sang": "🛏️",
        "soffa": "🛋️",
        "lampa": "💡",
        "toalett": "🚽",
        "badkar": "🛁",
        "tandborste": "🪥",
        "tval": "🧼",
        "spegel": "🪞",
        "sax": "✂️",
        "sked": "🥄",
        "kniv": "🔪",
        "dator": "💻",
        "telefon": "📱",
        "klocka": "⏰",
        "bok": "📖",
        "penna": "✏️",
        "ljus": "🕯️",
        "paraply": "☂️",
        "vaska": "👜",
        "ryggsack": "🎒",
        "glasogon": "👓",
        "byxor": "👖",
        "troja": "👕",
        "klanning": "👗",
        "strumpor": "🧦",
        "halsduk": "🧣",
        "keps": "🧢",
        "sko": "👟",
    },
}


def render(emoji: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    canvas = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((CANVAS / 2, CANVAS / 2), emoji, font=font, embedded_color=True, anchor="mm")
    box = canvas.getbbox()
    if box is None:
        raise ValueError(f"the font has no picture for {emoji!r}")
    return canvas.resize((OUT, OUT), Image.Resampling.LANCZOS)


def main() -> None:
    font = ImageFont.truetype(str(FONT), BITMAP_SIZE)
    for deck, pictures in PICTURES.items():
        folder = Path(__file__).parent / "decks" / deck
        folder.mkdir(parents=True, exist_ok=True)
        for name, emoji in pictures.items():
            render(emoji, font).save(folder / f"{name}.png", optimize=True)
        print(f"{deck}: {len(pictures)} pictures in {folder}")


if __name__ == "__main__":
    main()
