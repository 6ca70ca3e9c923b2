"""Tell which card a served picture shows, the way a learner would: by looking at it.

The API tests and the classroom benchmark both play as a learner who only sees the picture."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from PIL import Image

from game.decks.deck import Card


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGBA").resize((64, 64)), dtype=np.float32)


class PictureIndex:
    def __init__(self, cards: list[Card]):
        self.cards = cards
        self._pixels = np.stack([_pixels(Image.open(c.image)) for c in cards])
        self._known: dict[bytes, Card] = {}  # a served file's digest -> its card (the same card, the same bytes)

    def word_for(self, picture) -> str:
        return self.card_for(picture).word

    def card_for(self, picture) -> Card:
        if isinstance(picture, Image.Image):
            return self._match(picture)
        digest = hashlib.blake2b(Path(picture).read_bytes(), digest_size=16).digest()
        if digest not in self._known:
            self._known[digest] = self._match(Image.open(picture))
        return self._known[digest]

    def _match(self, picture: Image.Image) -> Card:
        shown = _pixels(picture)
        distances = np.abs(self._pixels - shown).mean(axis=(1, 2, 3))
        best = int(distances.argmin())
        assert distances[best] < 2.0, (
            f"picture matches no card (closest {self.cards[best].word}: {distances[best]:.1f})"
        )
        return self.cards[best]


def bundled_pictures() -> PictureIndex:
    from game.config import ROOT
    from game.decks.deck import load_decks

    decks, _ = load_decks(ROOT / "assets" / "decks")
    return PictureIndex([card for deck in decks for card in deck.cards])
