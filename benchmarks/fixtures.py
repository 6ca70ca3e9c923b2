"""What the classroom benchmark serves and plays: checkpoints cut to an audio window, the learners'
recorded clips, and the number of new tokens the game allows an answer."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import soundfile

from benchmarks.answer_latency import BROWSER_RATE, build_whisper_small, make_clips, save_with_window
from game.decks.deck import load_decks
from game.speech.model import Transcriber

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sagdet" / "benchmarks"


@dataclass(frozen=True)
class Clip:
    word: str
    path: str


def native_window(model_dir: str) -> int:
    config = json.loads((Path(model_dir) / "config.json").read_text())
    return round(config["max_source_positions"] / 50)  # 50 encoder positions a second


def checkpoint(model: str | None, cache: Path, window: int | None = None) -> str:
    """The checkpoint to serve: the model itself (or whisper-small dimensions with random weights),
    or, for a `window` shorter than its own, a copy cut to it as training/ cuts a window."""
    if model:
        base, name = str(Path(model).resolve()), re.sub(r"\W+", "-", str(Path(model).resolve())).strip("-")
    else:
        base, name = str(cache / "whisper-small-random"), "whisper-small-random"
        _cached(Path(base), build_whisper_small)
    if window is None or window == native_window(base):
        return base
    out = cache / f"{name}-{window}s"
    _cached(out, lambda path: save_with_window(base, window, path))
    return str(out)


def _cached(out: Path, build) -> None:
    """Build into a scratch folder and rename: a half-built checkpoint is never taken for a whole one."""
    if (out / "config.json").is_file():
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent))
    build(scratch)
    scratch.rename(out)


def token_budget(model_dir: str, deck_folder: Path) -> int:
    """New tokens the game allows an answer: a random-weight model always writes them all."""
    # Lazy: transformers takes about a second to import, and `--help` and the learners' spawned
    # processes import this module without ever counting tokens.
    from transformers import WhisperTokenizerFast

    decks, _ = load_decks(deck_folder)
    tokens_only = SimpleNamespace(processor=SimpleNamespace(tokenizer=WhisperTokenizerFast.from_pretrained(model_dir)))
    return Transcriber.token_budget(tokens_only, (a for d in decks for c in d.cards for a in c.answers))


def make_clip_files(words: list[str], out: Path, seed: int) -> list[Clip]:
    """One browser-like recording (44.1 kHz, silence around the word) per word, as WAV files."""
    clips = []
    for i, (word, recording) in enumerate(make_clips(len(words), seed, words)):
        path = out / f"{i:03d}.wav"
        soundfile.write(path, recording, BROWSER_RATE)
        clips.append(Clip(word, str(path)))
    return clips
