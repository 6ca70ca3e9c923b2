"""A data set's audio cell (a path, bytes or an array) -> mono float32 at 16 kHz, as Whisper hears it."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import soundfile
import soxr

SAMPLE_RATE = 16_000


def read_audio(value: Any) -> tuple[np.ndarray, int]:
    """A dataset's audio cell (a path, or a dict with bytes/path/array) -> mono float32 and its rate."""
    if isinstance(value, dict) and value.get("array") is not None:
        samples, rate = np.asarray(value["array"], dtype=np.float32), int(value["sampling_rate"])
    else:
        source = value
        if isinstance(value, dict):
            source = io.BytesIO(value["bytes"]) if value.get("bytes") else value["path"]
        samples, rate = soundfile.read(source, dtype="float32", always_2d=True)
        samples = samples.mean(axis=1)
    return samples.astype(np.float32), rate


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == SAMPLE_RATE:
        return samples
    return soxr.resample(samples, rate, SAMPLE_RATE).astype(np.float32)
