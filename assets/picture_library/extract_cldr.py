"""Swedish and English names for the picture library's emoji, taken once from Unicode CLDR.

The output, emoji.json beside this file, is committed; run this again only to refresh it:
  apt-get install unicode-cldr-core unicode-data fonts-noto-color-emoji
  python assets/picture_library/extract_cldr.py

Which emoji, and why:
- Unicode's emoji-test.txt (Debian `unicode-data`) gives every fully-qualified emoji in a
  sensible order, with its group. Kept: the groups of things a learner can name — animals and
  nature, food and drink, travel and places, activities, objects, people and body (persons,
  jobs, body parts, hands), and smileys and emotions (glad, ledsen, arg are A1 words).
  Dropped: Symbols (arrows, signs, letters), Flags and Component (skin tones on their own).
- Variants of one picture are dropped: skin tones and hair styles (the default yellow stands
  for everyone), and gendered forms (the ♀/♂ sequences and the 👨/👩 ZWJ sequences), whose
  gender-neutral 🧑 form stays. Plain 👨 man, 👩 kvinna, 👦 pojke, 👧 flicka stay.
- Only emoji that CLDR names in both Swedish and English (an emoji newer than the CLDR
  release has no names) and that the Noto font draws as one picture.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: the game package is at the top

from game.pictures.emoji_render import can_draw, load_font

ANNOTATIONS = Path("/usr/share/unicode/cldr/common/annotations")
EMOJI_TEST = Path("/usr/share/unicode/emoji/emoji-test.txt")
OUT = Path(__file__).parent / "emoji.json"
KEPT_GROUPS = {
    "Smileys & Emotion",
    "People & Body",
    "Animals & Nature",
    "Food & Drink",
    "Travel & Places",
    "Activities",
    "Objects",
}
SKIN_TONES_AND_HAIR = {*range(0x1F3FB, 0x1F400), *range(0x1F9B0, 0x1F9B4)}
GENDER_SIGNS = {"\u2640", "\u2642"}
GENDERED_PEOPLE = {"\U0001f468", "\U0001f469"}  # man, woman: their sequences have a 🧑 form
ZWJ, VARIATION_SELECTOR = "\u200d", "\ufe0f"
SETTLED = {None, "approved", "contributed"}  # CLDR's draft levels good enough to show a teacher


def fully_qualified_emoji(path: Path) -> Iterator[tuple[str, str]]:
    """(emoji, group) in emoji-test.txt's order."""
    group = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# group:"):
            group = line.partition(":")[2].strip()
        elif "; fully-qualified" in line:
            codes = line.partition(";")[0].split()
            yield "".join(chr(int(code, 16)) for code in codes), group


def is_variant(emoji: str) -> bool:
    return (
        any(ord(char) in SKIN_TONES_AND_HAIR for char in emoji)
        or any(sign in emoji for sign in GENDER_SIGNS)
        or (ZWJ in emoji and emoji[0] in GENDERED_PEOPLE)
    )


def annotations(lang: str) -> dict[str, tuple[str, list[str]]]:
    """CLDR's names: emoji (without U+FE0F, as CLDR writes them) → (spoken name, its other keywords)."""
    names: dict[str, str] = {}
    keywords: dict[str, list[str]] = {}
    for node in ElementTree.parse(ANNOTATIONS / f"{lang}.xml").getroot().iter("annotation"):
        if node.get("draft") not in SETTLED:
            continue
        if node.get("type") == "tts":
            names[node.get("cp")] = node.text.strip()
        else:
            keywords[node.get("cp")] = [word.strip() for word in node.text.split("|")]
    return {cp: (name, [word for word in keywords.get(cp, []) if word != name]) for cp, name in names.items()}


def entries() -> list[dict]:
    swedish, english = annotations("sv"), annotations("en")
    font = load_font()
    kept = []
    for emoji, group in fully_qualified_emoji(EMOJI_TEST):
        cldr_key = emoji.replace(VARIATION_SELECTOR, "")
        if group not in KEPT_GROUPS or is_variant(emoji) or cldr_key not in swedish or cldr_key not in english:
            continue
        if not can_draw(emoji, font):
            print(f"skipped, the font cannot draw it: {emoji} {swedish[cldr_key][0]}")
            continue
        (sv, sv_keywords), (en, en_keywords) = swedish[cldr_key], english[cldr_key]
        kept.append({"emoji": emoji, "sv": sv, "sv_keywords": sv_keywords, "en": en, "en_keywords": en_keywords})
    return kept


def main() -> None:
    kept = entries()
    lines = [json.dumps(entry, ensure_ascii=False) for entry in kept]  # one emoji a line: diffs stay readable
    OUT.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    print(f"{len(kept)} emoji, {OUT.stat().st_size / 1024:.0f} KB in {OUT}")


if __name__ == "__main__":
    main()
