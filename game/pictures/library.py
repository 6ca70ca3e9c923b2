"""Pictures a teacher can find by a Swedish or English word for a card.

Two kinds: the bundled decks' own pictures, named by their cards' words, and emoji drawn from
the Noto Color Emoji font, named by Unicode CLDR (extracted once into
assets/picture_library/emoji.json). Without the font, emoji are still found and say why they
cannot be drawn; the bundled pictures are files and always work.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont
from rapidfuzz import process
from rapidfuzz.distance import OSA

from game.config import ROOT
from game.decks.deck import Card, load_decks
from game.decks.problems import Phrase
from game.pictures import emoji_render

EMOJI_DATA = ROOT / "assets" / "picture_library" / "emoji.json"
BUNDLED_DECKS = ROOT / "assets" / "decks"
FONT = emoji_render.FONT  # a module setting, so a server (or a test) can point it elsewhere
EMOJI, BUNDLED = "emoji", "bundled"
LANGUAGES = ("sv", "en")
MAX_QUERY = 60  # characters; the longest name is shorter, so a longer query cannot match
FUZZY_FROM = 3  # characters; a shorter query is a near miss of too many words
# Similarity 0–1 of the texts without accents, by edits where swapping two letters is one
# (optimal string alignment): "hnud" → hund 0.75, "cyckel" → cykel 0.83, but not hand 0.5.
FUZZY_CUTOFF = 0.75
INSIDE_FROM = 3  # characters before a query is looked for inside words (Swedish compounds: isbjörn)
RENDERED_KEPT = 256  # emoji PNGs kept in memory, about 30 KB each

# How a text matches, best first. A keyword that is the query comes before a name that only
# starts with it: 🐩 (keyword hund) is a dog, 💯 (hundra poäng) is not.
EXACT_NAME, EXACT_KEYWORD, NAME_STARTS, KEYWORD_STARTS, INSIDE, FUZZY = range(6)
# Within each group the asked language comes first: "glass" is a drinking glass in English and
# ice cream in Swedish, yet an exact English "dog" beats a Swedish near miss.
GROUPS = {EXACT_NAME: 0, EXACT_KEYWORD: 0, NAME_STARTS: 1, KEYWORD_STARTS: 1, INSIDE: 1, FUZZY: 2}


class PictureUnavailable(Exception):
    """A picture that cannot be drawn here; `phrase` says why in the reader's language."""

    def __init__(self, phrase: Phrase):
        super().__init__(phrase.text("en"))
        self.phrase = phrase


@dataclass(frozen=True)
class Picture:
    kind: str  # EMOJI or BUNDLED
    id: str  # the emoji itself, or the file under assets/decks ("djur/hund.png")
    sv: str
    en: str
    sv_keywords: tuple[str, ...] = ()
    en_keywords: tuple[str, ...] = ()

    @property
    def problem(self) -> Phrase | None:
        """Why `png()` cannot draw this picture on this server, or None when it can."""
        if self.kind == EMOJI and not Path(FONT).is_file():
            return Phrase("no_emoji_font", path=FONT)
        return None

    def png(self) -> bytes:
        """A square RGBA PNG like the bundled decks' pictures; raises PictureUnavailable."""
        if self.kind == BUNDLED:
            return (BUNDLED_DECKS / self.id).read_bytes()
        if problem := self.problem:
            raise PictureUnavailable(problem)
        return _emoji_png(self.id, str(FONT))


@lru_cache(maxsize=RENDERED_KEPT)
def _emoji_png(emoji: str, font_path: str) -> bytes:
    try:
        picture = emoji_render.render_emoji(emoji, _font(font_path))
    except OSError as error:
        raise PictureUnavailable(Phrase("no_emoji_font", path=font_path)) from error
    except ValueError as error:
        raise PictureUnavailable(Phrase("no_emoji_picture", emoji=emoji)) from error
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


@lru_cache(maxsize=1)
def _font(path: str) -> ImageFont.FreeTypeFont:
    return emoji_render.load_font(Path(path))


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _fold(text: str) -> str:
    """Without accents, as a keyboard without å/ä/ö types it: björn → bjorn, äpple → apple."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class _Text:
    """One name or keyword of a picture, ready to compare."""

    text: str
    folded: str
    lang: str
    is_name: bool
    picture: int  # index in the library's pictures


class _Library:
    def __init__(self, pictures: list[Picture]):
        self.pictures = pictures
        self.texts = [
            _Text(_normalise(text), _fold(_normalise(text)), lang, is_name, index)
            for index, picture in enumerate(pictures)
            for lang in LANGUAGES
            for text, is_name in _texts(picture, lang)
        ]
        self.folded = [text.folded for text in self.texts]

    def search(self, query: str, lang: str, limit: int) -> list[Picture]:
        best: dict[int, tuple] = {}
        for rank, picture in self._matches(query, lang):
            if picture not in best or rank < best[picture]:
                best[picture] = rank
        order = sorted(best, key=lambda picture: (best[picture], picture))
        return [self.pictures[picture] for picture in order[:limit]]

    def _matches(self, query: str, lang: str) -> Iterator[tuple[tuple, int]]:
        """(rank, picture index) for every text that matches; a lower rank is a better match."""
        unaccented = _fold(query) == query  # typed without å/ä/ö: "hast" may well mean häst
        for text in self.texts:
            tier = _tier(query, text.text, text.is_name)
            if tier is not None:
                yield _rank(tier, text, lang), text.picture
            elif unaccented and (tier := _tier(query, text.folded, text.is_name)) is not None:
                yield _rank(tier, text, lang, accents_missing=True), text.picture
        if len(query) >= FUZZY_FROM:
            found = process.extract(
                _fold(query), self.folded, scorer=OSA.normalized_similarity, score_cutoff=FUZZY_CUTOFF, limit=None
            )
            for _, score, index in found:
                text = self.texts[index]
                yield _rank(FUZZY, text, lang, score=score), text.picture


def _rank(tier: int, text: _Text, lang: str, accents_missing: bool = False, score: float = 1.0) -> tuple:
    """Lower is better; ties go to the shorter text (hund before hundansikte)."""
    return (GROUPS[tier], text.lang != lang, tier, accents_missing, -score, len(text.text))


def _tier(query: str, text: str, is_name: bool) -> int | None:
    if text == query:
        return EXACT_NAME if is_name else EXACT_KEYWORD
    if text.startswith(query):
        return NAME_STARTS if is_name else KEYWORD_STARTS
    if len(query) >= INSIDE_FROM and query in text:
        return INSIDE
    return None


def _texts(picture: Picture, lang: str) -> list[tuple[str, bool]]:
    name = picture.sv if lang == "sv" else picture.en
    keywords = picture.sv_keywords if lang == "sv" else picture.en_keywords
    names = [(name, True)] if name else []  # a bundled card may have no translation
    return names + [(keyword, False) for keyword in keywords]


def _emoji_pictures() -> list[Picture]:
    entries = json.loads(EMOJI_DATA.read_text(encoding="utf-8"))
    return [
        Picture(EMOJI, e["emoji"], e["sv"], e["en"], tuple(e["sv_keywords"]), tuple(e["en_keywords"])) for e in entries
    ]


def _bundled_pictures() -> list[Picture]:
    """Each bundled picture once (decks share files such as hund.png), named by its first card."""
    decks, _ = load_decks(BUNDLED_DECKS)
    cards: dict[str, list[Card]] = {}
    files: dict[str, Path] = {}
    for card in (card for deck in decks for card in deck.cards):
        content = hashlib.sha256(card.image.read_bytes()).hexdigest()
        cards.setdefault(content, []).append(card)
        files.setdefault(content, card.image)
    return [_bundled_picture(files[content], same) for content, same in cards.items()]


def _bundled_picture(path: Path, cards: list[Card]) -> Picture:
    first = cards[0]
    sv_others = [word for card in cards for word in (card.word, *card.also_accepted)]
    en_others = [card.translation for card in cards if card.translation]
    return Picture(
        BUNDLED,
        path.relative_to(BUNDLED_DECKS).as_posix(),
        first.word,
        first.translation,
        tuple(dict.fromkeys(word for word in sv_others if word != first.word)),
        tuple(dict.fromkeys(word for word in en_others if word != first.translation)),
    )


@lru_cache(maxsize=1)
def _library() -> _Library:
    """Built at the first search (reading the bundled decks takes about a second), then kept."""
    return _Library(_bundled_pictures() + _emoji_pictures())


def search(query: str, lang: str = "sv", limit: int = 24) -> list[Picture]:
    """Pictures for `query`, best first: names then keywords that are the query, words that start
    with or contain it, then near misses (a typo, a missing å/ä/ö). Both languages match; within
    each of those groups, `lang`'s words come first. Case and Unicode form do not matter."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    query = _normalise(query)
    if not query or len(query) > MAX_QUERY or limit <= 0:
        return []
    return _library().search(query, lang, limit)
