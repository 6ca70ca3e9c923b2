"""(audio, text) pairs (training/sources.py) -> Whisper features and labels.

Audio is decoded with soundfile and resampled with soxr (training/audio.py), so no FFmpeg or torchcodec
is needed. Prepared features are saved under `cache_dir`, keyed by everything that shapes
them — the source's clips included (paths, texts, sizes, modification times) — so a second
run on the same data reads them back, and a replaced folder is prepared again.
With `streaming: true` nothing is prepared ahead: every source is a stream, features are
made as clips are read, and the mix is shuffled through a buffer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from training.audio import SAMPLE_RATE, read_audio, to_16k
from training.config import ConfigError, DataSpec, TrainConfig
from training.sources import content_key, load_source

log = logging.getLogger(__name__)


@dataclass
class PreparedStats:
    source: str
    kept: int | None = None  # None for streams: they are counted as they are read
    dropped_long_audio: int = 0
    dropped_long_labels: int = 0
    dropped_short_audio: int = 0
    from_cache: bool = False
    cache: str = ""  # the feature cache entry's name

    def line(self) -> str:
        return f"{self.source}: {self.counts()}"

    def counts(self) -> str:
        if self.kept is None:
            return "streamed"
        cached = " (features from cache)" if self.from_cache else ""
        return (
            f"{self.kept} clips; dropped {self.dropped_long_audio} over the audio limit, "
            f"{self.dropped_short_audio} under the minimum length, {self.dropped_long_labels} over the label limit{cached}"
        )


def _fingerprint(spec: DataSpec, raw, processor, config: TrainConfig, keep_audio: bool) -> str:
    spec = spec.resolved()
    parts = {
        "spec": spec.__dict__,
        "content": content_key(spec, raw),
        "features": processor.feature_extractor.to_dict(),
        "vocab": hashlib.sha256(json.dumps(processor.tokenizer.get_vocab(), sort_keys=True).encode()).hexdigest(),
        "language": config.language,
        "limits": [config.min_audio_seconds, config.max_audio_seconds, config.max_label_tokens],
        "keep_audio": keep_audio,
        "version": 4,  # 3: rows keep their speaker; 4: a minimum length
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _example_fn(processor, config: TrainConfig, keep_audio: bool):
    tokenizer = processor.tokenizer
    extractor = processor.feature_extractor

    parent = os.getpid()

    def fn(row):
        if os.getpid() != parent:
            # A worker forked by `num_proc`: OpenMP's thread pool does not survive a fork (torch's
            # log-mel then hangs), and the workers are the parallelism: one thread each.
            import torch

            torch.set_num_threads(1)
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


def _features(keep_audio: bool):
    """A stream's columns, stated: `datasets` cannot infer a 2-D array's type to mix streams."""
    from datasets import Features, List, Value

    made = {"audio": List(Value("float32"))} if keep_audio else {"input_features": List(List(Value("float32")))}
    columns = {**made, "labels": List(Value("int64")), "seconds": Value("float64"), "speaker": Value("string")}
    return Features(columns)


def prepare(spec: DataSpec, processor, config: TrainConfig, keep_audio: bool = False):
    """Features and labels for one source, over-long clips and labels dropped and counted."""
    from datasets import load_from_disk

    audio_fits = lambda row: config.min_audio_seconds <= row["seconds"] <= config.max_audio_seconds  # noqa: E731
    labels_fit = lambda row: len(row["labels"]) <= config.max_label_tokens  # noqa: E731
    fn = _example_fn(processor, config, keep_audio)
    if config.streaming:
        ds = load_source(spec, streaming=True).map(fn, remove_columns=["audio", "text"], features=_features(keep_audio))
        return ds.filter(audio_fits).filter(labels_fit).remove_columns(["seconds"]), PreparedStats(spec.describe())

    raw = load_source(spec)
    cache = Path(config.cache_dir).expanduser() / _fingerprint(spec, raw, processor, config, keep_audio)
    if (cache / "stats.json").is_file():
        stats = PreparedStats(**json.loads((cache / "stats.json").read_text()))
        stats.from_cache = True
        os.utime(cache)  # used now: pruning removes the least recently used entries first
        return load_from_disk(str(cache / "data")), stats

    workers = preparation_processes(config)
    ds = raw.map(fn, remove_columns=["audio", "text"], num_proc=workers, desc=f"features for {spec.describe()}")
    # Judged on two small columns, without reading the features back.
    seconds = np.asarray(list(ds["seconds"]), dtype=float)
    label_tokens = np.asarray([len(labels) for labels in ds["labels"]])
    short, long = seconds < config.min_audio_seconds, seconds > config.max_audio_seconds
    wordy = ~short & ~long & (label_tokens > config.max_label_tokens)
    ds = ds.select(np.flatnonzero(~(short | long | wordy)))
    stats = PreparedStats(
        spec.describe(),
        kept=len(ds),
        dropped_long_audio=int(long.sum()),
        dropped_short_audio=int(short.sum()),
        dropped_long_labels=int(wordy.sum()),
        cache=cache.name,
    )
    ds = ds.remove_columns(["seconds"])
    # Written aside and renamed into place: a run stopped half-way leaves no half cache behind.
    partial = cache.with_name(cache.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    ds.save_to_disk(str(partial / "data"))
    (partial / "stats.json").write_text(json.dumps(stats.__dict__))
    partial.rename(cache)
    return load_from_disk(str(cache / "data")), stats


def preparation_processes(config: TrainConfig) -> int | None:
    """datasets' `num_proc`: the config's, or one process per core this process may use."""
    workers = config.preprocessing_workers or len(os.sched_getaffinity(0))
    return workers if workers > 1 else None


def prune_feature_cache(config: TrainConfig, keep: set[str]) -> list[str]:
    """Delete the least recently used cache entries, never those in `keep` (this run's), until the
    cache fits in `cache_max_gb`; and what runs stopped half-way left (`*.partial`, a day old).
    Returns the names deleted."""
    root = Path(config.cache_dir).expanduser()
    if not root.is_dir():
        return []
    deleted = []
    for leftover in root.glob("*.partial"):
        if time.time() - leftover.stat().st_mtime > 24 * 3600:  # a younger one may be another run's, in progress
            shutil.rmtree(leftover, ignore_errors=True)
            deleted.append(leftover.name)
    entries = [p for p in root.iterdir() if p.is_dir() and not p.name.endswith(".partial")]
    sizes = {p: sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) for p in entries}
    total, limit = sum(sizes.values()), config.cache_max_gb * 1e9
    for entry in sorted(entries, key=lambda p: p.stat().st_mtime):
        if total <= limit:
            break
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
            total -= sizes[entry]
            deleted.append(entry.name)
    return deleted


def _prepare_each(specs, processor, config: TrainConfig, keep_audio: bool):
    parts, stats = [], []
    for spec in specs:
        ds, stat = prepare(spec, processor, config, keep_audio)
        log.info(stat.line())
        parts.append(ds)
        stats.append(stat)
    return parts, stats


def _mix(parts, config: TrainConfig):
    from datasets import concatenate_datasets, interleave_datasets

    if len(parts) == 1:
        return parts[0]
    if config.streaming:  # every clip of every stream once, in a seeded mix
        return interleave_datasets(parts, seed=config.seed, stopping_strategy="all_exhausted_without_replacement")
    return concatenate_datasets(parts)


def prepare_all(specs, processor, config: TrainConfig, keep_audio: bool = False):
    """All the sources, prepared and mixed (shuffled through a buffer when streamed)."""
    parts, stats = _prepare_each(specs, processor, config, keep_audio)
    mixed = _mix(parts, config)
    if config.streaming:
        mixed = mixed.shuffle(seed=config.seed, buffer_size=config.shuffle_buffer)
    return mixed, stats


def prepare_with_selection(specs, processor, config: TrainConfig, keep_audio: bool = False):
    """(train, selection, stats): about `selection_size` clips held out of the training data to
    choose checkpoints on, drawn with `selection_seed` from the sources named like the first one
    (Common Voice train + dev in the shipped configs), so the test set is never used to choose.
    They are drawn by speaker (Common Voice's `client_id`): nobody heard in the selection clips is
    heard in training, or the chosen checkpoint would look better than it is on new voices.
    A stream holds out its first `selection_size` clips instead (a stream cannot be drawn from)
    and leaves out of training every later clip of their speakers."""
    parts, stats = _prepare_each(specs, processor, config, keep_audio)
    pool = _mix([p for s, p in zip(specs, parts) if s.name == specs[0].name], config)
    others = [p for s, p in zip(specs, parts) if s.name != specs[0].name]
    if config.streaming:
        held = pool.take(config.selection_size)
        voices = {row["speaker"] for row in held} - {""}
        rest = pool.skip(config.selection_size).filter(lambda row: row["speaker"] not in voices)
        train = _mix([rest, *others], config)
        selection = _plain_features(held, processor, keep_audio)
        return train.shuffle(seed=config.seed, buffer_size=config.shuffle_buffer), selection, stats
    if config.selection_size >= len(pool):
        raise ConfigError(
            f"selection_size ({config.selection_size}) must be smaller than the {len(pool)} clips "
            f"of {specs[0].name} it is held out of"
        )
    held, kept = held_out_rows(pool["speaker"], config.selection_size, config.selection_seed)
    if not held:
        raise ConfigError(
            f"every speaker of {specs[0].name} has more than selection_size ({config.selection_size}) clips: "
            "set selection_size to the clips of a few speakers"
        )
    if len(held) < config.selection_size:
        log.info("selection: %d clips of whole speakers (selection_size %d)", len(held), config.selection_size)
    selection = _plain_features(pool.select(held), processor, keep_audio)
    return _mix([pool.select(kept), *others], config), selection, stats


def held_out_rows(speakers: list[str], size: int, seed: int) -> tuple[list[int], list[int]]:
    """(held out, kept) row numbers: rows are shuffled with `seed` (the shuffle of `datasets`'
    `train_test_split`), and each row's speaker is held out whole, with all their rows, if they fit
    in what is left of `size`. A row with no speaker is a speaker of its own, so a source that names
    none is split exactly as `train_test_split` splits it. Speakers too big to fit are passed over:
    the clips come from many voices, not from the few who recorded most."""
    order = np.random.default_rng(seed).permutation(len(speakers)).tolist()
    rows_of: dict[str, list[int]] = {}
    for row in order:
        rows_of.setdefault(speakers[row] or f"row {row}", []).append(row)
    held: set[int] = set()
    for row in order:
        rows = rows_of[speakers[row] or f"row {row}"]
        if row not in held and len(held) + len(rows) <= size:
            held.update(rows)
        if len(held) == size:
            break
    return [r for r in order if r in held], [r for r in order if r not in held]


def _plain_features(ds, processor, keep_audio: bool):
    """Training rows keep their waveforms to be augmented; checkpoints are chosen on plain features."""
    if not keep_audio:
        return ds
    extract = processor.feature_extractor
    return ds.map(
        lambda row: {"input_features": extract(row["audio"], sampling_rate=SAMPLE_RATE).input_features[0]},
        remove_columns=["audio"],
    )


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
