"""Word error rate, orthographic (as written) and normalised (Whisper's basic normaliser:
case, punctuation and spacing do not count; å, ä and ö are kept), with jiwer."""

from __future__ import annotations

import jiwer
from transformers.models.whisper.english_normalizer import BasicTextNormalizer

_normalise = BasicTextNormalizer(remove_diacritics=False)


def _wer(references: list[str], predictions: list[str]) -> float:
    pairs = [(r, p) for r, p in zip(references, predictions) if r.strip()]
    if not pairs:
        return 0.0
    refs, preds = zip(*pairs)
    return 100 * jiwer.wer(list(refs), [p if p.strip() else "<empty>" for p in preds])


def wer_scores(references: list[str], predictions: list[str]) -> dict[str, float]:
    return {
        "wer": _wer([_normalise(r) for r in references], [_normalise(p) for p in predictions]),
        "wer_ortho": _wer([r.strip() for r in references], [p.strip() for p in predictions]),
    }
