"""(audio, text) pairs from the hub or a local folder -> Whisper features and labels.

Hub datasets are read with `datasets` (downloaded, or streamed with `streaming: true`);
a Common Voice release downloaded from Mozilla is read from its folder (`path:`);
their audio is decoded here with soundfile and resampled with soxr, so no FFmpeg or
torchcodec is needed. Local data is a folder holding `metadata.jsonl`/`metadata.csv`,
or such a manifest itself: one row per clip with `audio` (a path relative to the
manifest) and `sentence`.

Prepared features are saved under `cache_dir`, keyed by everything that shapes them,
so a second run with the same data and processor reads them back instead of
recomputing.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
import soxr

from training.config import DataSpec, TrainConfig

log = logging.getLogger(__name__)
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


def _manifest(path: Path) -> Path:
    if path.is_file():
        return path
    for name in ("metadata.jsonl", "metadata.csv"):
        if (path / name).is_file():
            return path / name
    raise FileNotFoundError(f"{path} has no metadata.jsonl or metadata.csv")


def load_source(spec: DataSpec, streaming: bool = False):
    """A dataset with two columns: `audio` (undecoded) and `text`."""
    import datasets

    spec = spec.resolved()
    if spec.name == "common_voice" and Path(spec.path).expanduser().is_dir():
        return _common_voice_release(spec)
    if spec.name == "local":
        manifest = _manifest(Path(spec.path).expanduser().resolve())
        kind = "csv" if manifest.suffix == ".csv" else "json"
        ds = datasets.load_dataset(kind, data_files=str(manifest), split="train")
        root = manifest.parent
        ds = ds.map(
            lambda row: {"audio": str(root / row[spec.audio_column]), "text": row[spec.text_column]},
            remove_columns=ds.column_names,
        )
    else:
        ds = datasets.load_dataset(spec.path, spec.config or None, split=spec.split, streaming=streaming)
        ds = ds.cast_column(spec.audio_column, datasets.Audio(decode=False))
        ds = ds.select_columns([spec.audio_column, spec.text_column])
        if spec.audio_column != "audio":
            ds = ds.rename_column(spec.audio_column, "audio")
        if spec.text_column != "text":
            ds = ds.rename_column(spec.text_column, "text")
    if spec.max_samples:
        ds = (
            ds.take(spec.max_samples)
            if streaming and spec.name != "local"
            else ds.select(range(min(spec.max_samples, len(ds))))
        )
    return ds


CV_SPLITS = {"train": "train.tsv", "validation": "dev.tsv", "dev": "dev.tsv", "test": "test.tsv"}


def _common_voice_release(spec: DataSpec):
    """A Common Voice release as Mozilla distributes it: `<split>.tsv` files and `clips/`."""
    import csv

    import datasets

    root = Path(spec.path).expanduser().resolve()
    table = root / CV_SPLITS.get(spec.split, f"{spec.split}.tsv")
    ds = datasets.load_dataset("csv", data_files=str(table), delimiter="\t", quoting=csv.QUOTE_NONE, split="train")
    ds = ds.map(
        lambda row: {"audio": str(root / "clips" / row["path"]), "text": row["sentence"]},
        remove_columns=ds.column_names,
    )
    return ds.select(range(min(spec.max_samples, len(ds)))) if spec.max_samples else ds


@dataclass
class PreparedStats:
    source: str
    kept: int | None = None  # None for streams: they are counted as they are read
    dropped_long_audio: int = 0
    dropped_long_labels: int = 0
    from_cache: bool = False

    def line(self) -> str:
        if self.kept is None:
            return f"{self.source}: streamed"
        cached = " (features from cache)" if self.from_cache else ""
        return (
            f"{self.source}: {self.kept} clips; dropped {self.dropped_long_audio} over the audio limit, "
            f"{self.dropped_long_labels} over the label limit{cached}"
        )


def _fingerprint(spec: DataSpec, processor, config: TrainConfig, keep_audio: bool) -> str:
    spec = spec.resolved()
    parts = {
        "spec": spec.__dict__,
        "features": processor.feature_extractor.to_dict(),
        "vocab": hashlib.sha256(json.dumps(processor.tokenizer.get_vocab(), sort_keys=True).encode()).hexdigest(),
        "language": config.language,
        "limits": [config.max_audio_seconds, config.max_label_tokens],
        "keep_audio": keep_audio,
        "version": 1,
    }
    if spec.name == "local":
        manifest = _manifest(Path(spec.path).expanduser().resolve())
        parts["manifest"] = [str(manifest), manifest.stat().st_mtime_ns, manifest.stat().st_size]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _example_fn(processor, config: TrainConfig, keep_audio: bool):
    tokenizer = processor.tokenizer
    extractor = processor.feature_extractor

    def fn(row):
        samples, rate = read_audio(row["audio"])
        samples = to_16k(samples, rate)
        labels = tokenizer(str(row["text"]).strip()).input_ids
        out = {"seconds": len(samples) / SAMPLE_RATE, "labels": labels}
        if keep_audio:  # features are made per batch, after augmentation
            out["audio"] = samples
        else:
            out["input_features"] = extractor(samples, sampling_rate=SAMPLE_RATE).input_features[0]
        return out

    return fn


def prepare(spec: DataSpec, processor, config: TrainConfig, keep_audio: bool = False):
    """Features and labels for one source, over-long clips and labels dropped and counted."""
    from datasets import load_from_disk

    audio_fits = lambda row: row["seconds"] <= config.max_audio_seconds  # noqa: E731
    labels_fit = lambda row: len(row["labels"]) <= config.max_label_tokens  # noqa: E731
    fn = _example_fn(processor, config, keep_audio)
    if config.streaming and spec.name != "local":
        ds = load_source(spec, streaming=True).map(fn, remove_columns=["audio", "text"])
        return ds.filter(audio_fits).filter(labels_fit).remove_columns(["seconds"]), PreparedStats(spec.describe())

    cache = Path(config.cache_dir).expanduser() / _fingerprint(spec, processor, config, keep_audio)
    if (cache / "stats.json").is_file():
        stats = PreparedStats(**json.loads((cache / "stats.json").read_text()))
        stats.from_cache = True
        return load_from_disk(str(cache / "data")), stats

    raw = load_source(spec)
    ds = raw.map(fn, remove_columns=raw.column_names, desc=f"features for {spec.describe()}")
    total = len(ds)
    ds = ds.filter(audio_fits)
    long_audio = total - len(ds)
    ds = ds.filter(labels_fit)
    stats = PreparedStats(
        spec.describe(), kept=len(ds), dropped_long_audio=long_audio, dropped_long_labels=total - long_audio - len(ds)
    )
    ds = ds.remove_columns(["seconds"])
    ds.save_to_disk(str(cache / "data"))
    (cache / "stats.json").write_text(json.dumps(stats.__dict__))
    return load_from_disk(str(cache / "data")), stats


def prepare_all(specs, processor, config: TrainConfig, keep_audio: bool = False):
    from datasets import concatenate_datasets, interleave_datasets

    parts, stats = [], []
    for spec in specs:
        ds, stat = prepare(spec, processor, config, keep_audio)
        log.info(stat.line())
        parts.append(ds)
        stats.append(stat)
    if len(parts) == 1:
        return parts[0], stats
    if config.streaming:
        return interleave_datasets(parts, seed=config.seed), stats
    return concatenate_datasets(parts), stats


def make_augmenter(config: TrainConfig):
    """Random pitch and loudness changes of the waveform (audiomentations)."""
    from audiomentations import Compose, Gain, PitchShift

    p = config.augment_probability
    return Compose(
        [
            PitchShift(
                min_semitones=-config.augment_pitch_semitones, max_semitones=config.augment_pitch_semitones, p=p
            ),
            Gain(min_gain_db=-config.augment_gain_db, max_gain_db=config.augment_gain_db, p=p),
        ]
    )


@dataclass
class SpeechCollator:
    """Pads a batch; labels padded with -100 by the attention mask (pad == eos in Whisper).

    When rows carry raw `audio` (waveform augmentation on), the features are made here,
    after augmenting, so every epoch hears a different version of each clip.
    """

    processor: Any
    decoder_start_token_id: int
    augment: Any = None

    def __call__(self, rows: list[dict]) -> dict:
        extractor = self.processor.feature_extractor
        if "audio" in rows[0]:
            waves = [np.asarray(r["audio"], dtype=np.float32) for r in rows]
            if self.augment is not None:
                waves = [self.augment(samples=w, sample_rate=SAMPLE_RATE) for w in waves]
            batch = extractor(waves, sampling_rate=SAMPLE_RATE, return_tensors="pt")
            batch = {"input_features": batch.input_features}
        else:
            batch = extractor.pad([{"input_features": r["input_features"]} for r in rows], return_tensors="pt")
        labels = self.processor.tokenizer.pad([{"input_ids": r["labels"]} for r in rows], return_tensors="pt")
        ids = labels["input_ids"].masked_fill(labels["attention_mask"].ne(1), -100)
        # The model prepends <|startoftranscript|> itself; drop ours when every row has it.
        if (ids[:, 0] == self.decoder_start_token_id).all():
            ids = ids[:, 1:]
        batch["labels"] = ids
        return batch
