"""A browser recording -> what Whisper expects: mono float32 at 16 kHz, the silence around the
words taken off, at most MAX_SECONDS.

Recordings with nothing in them are refused: Whisper invents words on silence, so silence must
never reach it. The silence before and after is taken off so that a learner who waited before
speaking is still heard by a model with a short audio window (game.speech.window). The same
prepared clip goes to whichever engine hears it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soxr

from game.texts import DEFAULT as DEFAULT_LANGUAGE
from game.texts import say

SAMPLE_RATE = 16_000
MIN_SECONDS = 0.25  # shorter than any Swedish word, even "ko"
MAX_SECONDS = 10.0  # a one-word answer never needs more; the rest is cut
SILENCE_DBFS = -40.0  # loudest 50 ms window quieter than this counts as silence
QUIET_DB = 35.0  # a 50 ms window this far below the loudest is not speech: taken off at either end
MARGIN_SECONDS = 0.25  # kept around the speech, for soft first and last sounds ("s" in "sol")
MIN_RATE, MAX_RATE = 4_000, 384_000  # telephone to studio; anything else is not a recording
NOTHING_HEARD = say(DEFAULT_LANGUAGE, "nothing_heard")


class NothingHeard(ValueError):
    """The recording is empty, too short or silent."""

    def __init__(self, detail: str):
        super().__init__(f"{NOTHING_HEARD} ({detail})")
        self.detail = detail


def to_mono_float(array: np.ndarray) -> np.ndarray:
    """Integer or float samples, mono or multi-channel -> mono float32 in [-1, 1]."""
    array = np.asarray(array)
    if array.ndim == 2:
        # Gradio gives (samples, channels); a (channels, samples) array is turned round.
        if array.shape[0] < array.shape[1] and array.shape[0] <= 8:
            array = array.T
        channels_last = array
    elif array.ndim == 1:
        channels_last = array[:, None]
    else:
        raise NothingHeard(f"unexpected audio shape {array.shape}")
    if np.issubdtype(channels_last.dtype, np.integer):
        info = np.iinfo(channels_last.dtype)
        scale = (int(info.max) - int(info.min) + 1) / 2
        offset = (int(info.max) + int(info.min) + 1) / 2  # non-zero only for unsigned formats
        samples = (channels_last.astype(np.float64) - offset) / scale
    else:
        samples = np.nan_to_num(channels_last.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(samples.mean(axis=1), -1.0, 1.0).astype(np.float32)


def window_dbfs(samples: np.ndarray, rate: int = SAMPLE_RATE, window_s: float = 0.05) -> np.ndarray:
    """The level of each whole `window_s` window (the whole clip if it is shorter), in dBFS."""
    window = max(1, int(rate * window_s))
    usable = len(samples) // window * window
    frames = samples[None, :] if usable == 0 else samples[:usable].reshape(-1, window)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-10))


def trim_silence(
    samples: np.ndarray, levels: np.ndarray | None = None, rate: int = SAMPLE_RATE, window_s: float = 0.05
) -> np.ndarray:
    """The clip from MARGIN_SECONDS before its first sound to MARGIN_SECONDS after its last.
    `levels`: the clip's `window_dbfs`, when the caller has them already."""
    levels = window_dbfs(samples, rate, window_s) if levels is None else levels
    loud = np.flatnonzero(levels >= levels.max(initial=-200.0) - QUIET_DB)
    if loud.size == 0:
        return samples
    window, margin = max(1, int(rate * window_s)), int(MARGIN_SECONDS * rate)
    start = max(0, loud[0] * window - margin)
    end = min(len(samples), (loud[-1] + 1) * window + margin)
    return samples[start:end]


def prepare_audio(recording: tuple[int, np.ndarray] | None) -> np.ndarray:
    """A browser recording `(sample_rate, samples)` -> mono float32 16 kHz without the silence
    around the words, at most MAX_SECONDS.

    Raises NothingHeard for no, empty, too short or silent recordings.
    """
    if recording is None:
        raise NothingHeard("no recording")
    try:
        rate, array = recording
        rate = float(rate)
        array = np.asarray(array if array is not None else ())
    except (TypeError, ValueError) as exc:
        raise NothingHeard("not a recording") from exc
    if array.size == 0:
        raise NothingHeard("empty recording")
    if not MIN_RATE <= rate <= MAX_RATE:  # also NaN; a wild rate would make the resampler eat memory
        raise NothingHeard(f"sample rate {rate:g} Hz")
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise NothingHeard(f"samples of type {array.dtype}")
    samples = to_mono_float(array)
    if len(samples) / rate < MIN_SECONDS:
        raise NothingHeard(f"shorter than {MIN_SECONDS} s")
    samples = samples[: int(MAX_SECONDS * rate)]
    if rate != SAMPLE_RATE:
        samples = soxr.resample(samples, rate, SAMPLE_RATE).astype(np.float32)
    levels = window_dbfs(samples)  # once: for the silence check and for the trim
    if levels.max(initial=-200.0) < SILENCE_DBFS:
        raise NothingHeard("silence")
    return trim_silence(samples, levels)


def read_audio_file(path: str | Path) -> tuple[int, np.ndarray]:
    """A sound file's `(sample_rate, samples)`; raises NothingHeard for anything that is not one
    (empty, truncated, another kind of file), so the caller is told, not the whole server."""
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as sound:
            # Only the first MAX_SECONDS are heard: an hour-long file is not read whole.
            samples = sound.read(frames=int(MAX_SECONDS * sound.samplerate) + 1, dtype="float32", always_2d=False)
            return sound.samplerate, samples
    except (soundfile.LibsndfileError, RuntimeError, OSError, ValueError) as exc:
        raise NothingHeard(f"not a sound file: {Path(path).name}") from exc
