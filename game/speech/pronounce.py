"""How a card's word sounds: the deck's own recording, or else espeak-ng's Swedish voice.

espeak-ng is a Debian package (packages.txt on Spaces); where it is missing and the deck has
no recording, the game offers no "hear the word" button rather than one that fails.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile

from game.decks.deck import Card
from game.temporary import task_folder

VOICE = "sv"
SPEED_WPM = 130  # a little slower than espeak's 175: a learner is listening for the sounds


class Pronouncer:
    def __init__(self, program: str | None = None):
        self.program = program if program is not None else shutil.which("espeak-ng")

    def can_say(self, card: Card | None) -> bool:
        return card is not None and (card.audio is not None or bool(self.program))

    def sound(self, card: Card, with_article: bool = False) -> tuple[int, np.ndarray]:
        """(sample rate, int16 samples) of the word, with its article in article mode.
        Raises OSError when there is nothing to play."""
        if card.audio is not None:
            data, rate = soundfile.read(card.audio, dtype="int16", always_2d=False)
            return rate, data
        if not self.program:
            raise OSError("no recording and no espeak-ng")
        return _synthesise(self.program, card.with_article if with_article else card.word)


@functools.lru_cache(maxsize=512)
def _synthesise(program: str, text: str) -> tuple[int, np.ndarray]:
    with task_folder("say") as folder:
        wav = Path(folder) / "word.wav"
        try:
            subprocess.run(
                [program, "-v", VOICE, "-s", str(SPEED_WPM), "-w", str(wav), "--", text],
                check=True,
                capture_output=True,
                timeout=20,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise OSError(f"espeak-ng could not say {text!r}: {exc}") from exc
        data, rate = soundfile.read(wav, dtype="int16", always_2d=False)
    data.setflags(write=False)  # cached and shared between learners
    return rate, data
