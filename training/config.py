"""The one training config: a dataclass read from YAML, overridable from the command line,
and validated before any model or data is touched — a typo costs a second, not a GPU hour.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import difflib
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

import yaml

from game.config import read_yaml_mapping


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Preset:
    """A corpus known by name. Its folder is set once, in an environment variable (or `path:`)."""

    env: str  # the environment variable naming the local folder
    hub: str  # the hub set used when no folder is set; "" when recent `datasets` cannot load it
    text_column: str
    download: str  # where a maintainer gets it


# Datasets known by name; `local` and `hub` take any path.
PRESETS = {
    "common_voice": Preset(
        "SAGDET_COMMON_VOICE_DIR",
        "",  # the hub copies need a loading script, which `datasets` >= 4 refuses to run
        "sentence",
        "the sv-SE release from https://commonvoice.mozilla.org/sv-SE/datasets, unpacked; "
        "point at its sv-SE folder (train.tsv, dev.tsv, test.tsv, clips/)",
    ),
    "fleurs": Preset(
        "SAGDET_FLEURS_DIR",
        "",  # google/fleurs is a loading script too
        "raw_transcription",  # written form (case, punctuation), as Common Voice's sentences
        "data/sv_se/ of https://huggingface.co/datasets/google/fleurs (the tsv files and audio/*.tar.gz, "
        "each archive unpacked in audio/)",
    ),
    "nst": Preset("SAGDET_NST_DIR", "jzju/nst", "text", "the parquet files of the hub set jzju/nst"),
}
DATASET_KINDS = (*PRESETS, "hub", "local")


@dataclass(frozen=True)
class DataSpec:
    """One source of (audio, text) pairs."""

    name: str  # a preset (common_voice, fleurs, nst), `hub` (any hub dataset) or `local`
    split: str = "train"
    path: str = ""  # hub id, or a local folder / .csv / .jsonl manifest
    config: str = ""  # hub dataset config, e.g. sv-SE
    audio_column: str = "audio"
    text_column: str = ""  # default: the preset's, or `sentence`
    max_samples: int | None = None

    def resolved(self) -> DataSpec:
        preset = PRESETS.get(self.name)
        if preset is None:
            return dataclasses.replace(self, text_column=self.text_column or "sentence")
        return dataclasses.replace(
            self,
            path=self.path or os.environ.get(preset.env, "") or preset.hub,
            text_column=self.text_column or preset.text_column,
        )

    def describe(self) -> str:
        spec = self.resolved()
        if spec.name == "local":  # a manifest has no splits; a release folder has
            return f"local: {spec.path}" + (f" [{spec.split}]" if Path(spec.path).expanduser().is_dir() else "")
        where = spec.path + (f" ({spec.config})" if spec.config else "")
        return f"{spec.name}: {where} [{spec.split}]"


@dataclass(frozen=True)
class TrainConfig:
    base_model: str = "openai/whisper-small"
    output_dir: str = "runs/whisper-small-sv"
    language: str = "sv"
    train_data: tuple[DataSpec, ...] = (DataSpec("common_voice", "train"), DataSpec("common_voice", "validation"))
    # Evaluated once, at the end, for the model card; never used to choose anything.
    test_data: tuple[DataSpec, ...] = (DataSpec("common_voice", "test"),)
    # Checkpoints (and sweeps) are chosen on clips held out of the training data: `selection_size`
    # clips drawn with `selection_seed` from the sources named like the first train source, so
    # configs that add FLEURS or NST to Common Voice are chosen on the very same clips.
    selection_size: int = 500
    selection_seed: int = 1234
    streaming: bool = False  # read the data as streams instead of preparing it whole
    shuffle_buffer: int = 1000  # streams are shuffled through a buffer of this many clips
    # The recipe: warmup then cosine decay to zero.
    max_steps: int = 6000
    warmup_steps: int = 500
    learning_rate: float = 1e-5
    lr_scheduler: str = "cosine"
    batch_size: int = 16  # per device (process); with global_batch_size, the most a device takes at once
    gradient_accumulation_steps: int = 1
    # The batch per optimiser step over all processes. When set, the per-device batch and the
    # accumulation are derived from it (global = per device x accumulation x processes), so 1 GPU
    # or 4 train the same recipe.
    global_batch_size: int = 0
    eval_batch_size: int = 8
    eval_steps: int = 1000
    save_steps: int = 1000
    save_total_limit: int = 3
    logging_steps: int = 25
    precision: str = "auto"  # auto: bf16/fp16 on a GPU that has it, fp32 on a CPU
    gradient_checkpointing: bool = True
    freeze_encoder: bool = False
    # SpecAugment on the log-mel features (frequency masking is off in WhisperConfig by default).
    spec_augment: bool = True
    mask_time_prob: float = 0.05
    mask_time_length: int = 10
    mask_feature_prob: float = 0.05
    mask_feature_length: int = 10
    # Waveform augmentation (pitch and loudness, through audiomentations): off in the recipe.
    augment_waveform: bool = False
    augment_probability: float = 0.5
    augment_pitch_semitones: float = 2.0
    augment_gain_db: float = 6.0
    # The encoder's audio window; shorter than 30 s makes a checkpoint faster on a CPU.
    window_seconds: int = 30
    max_audio_seconds: float = 30.0
    min_audio_seconds: float = 0.2  # shorter clips hold no word (Common Voice has empty recordings)
    max_label_tokens: int = 448
    generation_max_tokens: int = 128  # eval decoding is bounded: a bad model can loop to 448
    seed: int = 42
    cache_dir: str = "~/.cache/sagdet/features"
    # Prepared features take about 0.94 MB a clip at 30 s: after preparing, the least recently used
    # entries of other runs are deleted until the cache fits in this many GB.
    cache_max_gb: float = 100.0
    preprocessing_workers: int = 0  # processes preparing features (datasets' num_proc); 0: one per CPU core
    resume: str = ""  # "", "latest", or a checkpoint directory
    report_to: str = "tensorboard"
    push_to_hub: bool = False
    hub_model_id: str = ""
    dataloader_workers: int = 0
    # Any other Seq2SeqTrainingArguments, passed as they are, e.g. {weight_decay: 0.01, deepspeed: ds.json}.
    trainer_args: dict = field(default_factory=dict)

    def problems(self, cuda: bool | None = None, processes: int | None = None) -> list[str]:
        """Everything wrong with this config that can be seen without downloading anything, for
        `processes` training together (default: as many as torchrun or accelerate started)."""
        from transformers.models.whisper.tokenization_whisper import LANGUAGES

        if cuda is None:
            import torch

            cuda = torch.cuda.is_available()
        found = []
        if self.max_steps < 1:
            found.append(f"max_steps must be at least 1, not {self.max_steps}")
        if self.warmup_steps < 0 or self.warmup_steps > self.max_steps:
            found.append(
                f"warmup_steps ({self.warmup_steps}) must be between 0 and max_steps ({self.max_steps}); "
                f"for a short run set both, e.g. --max-steps {self.max_steps} "
                f"--warmup-steps {max(self.max_steps // 10, 0)}"
            )
        if not self.learning_rate > 0:
            found.append(f"learning_rate must be positive, not {self.learning_rate}")
        if self.lr_scheduler not in ("cosine", "linear", "constant_with_warmup"):
            found.append(f"lr_scheduler must be cosine, linear or constant_with_warmup, not {self.lr_scheduler!r}")
        for name in (
            "batch_size",
            "gradient_accumulation_steps",
            "eval_batch_size",
            "eval_steps",
            "save_steps",
            "logging_steps",
            "max_label_tokens",
            "generation_max_tokens",
            "selection_size",
            "shuffle_buffer",
        ):
            if getattr(self, name) < 1:
                found.append(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.global_batch_size < 0:
            found.append(f"global_batch_size must be 0 (unset) or positive, not {self.global_batch_size}")
        elif self.batch_size >= 1:
            try:
                self.batch_plan(processes)
            except ConfigError as exc:
                found.append(str(exc))
        if self.save_steps % self.eval_steps:
            found.append(
                f"save_steps ({self.save_steps}) must be a multiple of eval_steps ({self.eval_steps}) "
                "so that the best checkpoint by WER is kept"
            )
        if self.precision not in ("auto", "fp32", "fp16", "bf16"):
            found.append(f"precision must be auto, fp32, fp16 or bf16, not {self.precision!r}")
        elif self.precision in ("fp16", "bf16") and not cuda:
            found.append(f"precision {self.precision} needs a CUDA GPU and this machine has none; use auto or fp32")
        for name in ("mask_time_prob", "mask_feature_prob", "augment_probability"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                found.append(f"{name} must be between 0 and 1, not {getattr(self, name)}")
        if not 1 <= self.window_seconds <= 30 or self.window_seconds != int(self.window_seconds):
            found.append(f"window_seconds must be a whole number of seconds from 1 to 30, not {self.window_seconds}")
        if self.max_audio_seconds > self.window_seconds:
            found.append(
                f"max_audio_seconds ({self.max_audio_seconds}) cannot exceed window_seconds "
                f"({self.window_seconds}): longer clips would be cut while their labels are not"
            )
        if self.language not in LANGUAGES:
            found.append(f"language {self.language!r} is not a Whisper language code (e.g. sv)")
        if self.resume not in ("", "latest") and not Path(self.resume).expanduser().is_dir():
            found.append(f"resume: no checkpoint directory {self.resume}")
        if self.push_to_hub and not self.hub_model_id:
            found.append("push_to_hub needs hub_model_id (e.g. your-name/whisper-small-sv)")
        if not 0 <= self.min_audio_seconds < self.max_audio_seconds:
            found.append(
                f"min_audio_seconds ({self.min_audio_seconds}) must be from 0 to below max_audio_seconds "
                f"({self.max_audio_seconds})"
            )
        if self.preprocessing_workers < 0:
            found.append(f"preprocessing_workers must be 0 (one per core) or more, not {self.preprocessing_workers}")
        if not self.cache_max_gb > 0:
            found.append(f"cache_max_gb must be positive, not {self.cache_max_gb}")
        found.extend(trainer_args_problems(self.trainer_args))
        if not self.train_data:
            found.append("train_data is empty")
        if not self.test_data:
            found.append("test_data is empty")
        places: dict[str, list[str]] = {}  # one line per problem, naming every entry that has it
        for where, specs in (("train_data", self.train_data), ("test_data", self.test_data)):
            for number, spec in enumerate(specs, start=1):
                for problem in spec_problems(spec):
                    places.setdefault(problem, []).append(f"{where} {number}")
        found.extend(f"{', '.join(where)}: {problem}" for problem, where in places.items())
        return found

    def batch_plan(self, processes: int | None = None) -> BatchPlan:
        """How the global batch is made. With `global_batch_size` set: the fewest accumulation steps
        whose per-device batch fits in `batch_size`, so 4 GPUs take 4 clips each where 1 GPU takes 16."""
        processes = processes or training_processes()
        if not self.global_batch_size:
            return BatchPlan(self.batch_size, self.gradient_accumulation_steps, processes)
        if self.global_batch_size % processes:
            raise ConfigError(
                f"global_batch_size ({self.global_batch_size}) cannot be shared evenly by {processes} processes: "
                f"start a number of processes that divides it, or set a global_batch_size that {processes} divides"
            )
        per_process = self.global_batch_size // processes
        accumulation = next(
            a for a in range(1, per_process + 1) if per_process % a == 0 and per_process // a <= self.batch_size
        )
        return BatchPlan(per_process // accumulation, accumulation, processes)

    def validate(self, cuda: bool | None = None, processes: int | None = None) -> TrainConfig:
        found = self.problems(cuda, processes)
        if found:
            raise ConfigError("the training config has problems:\n" + "\n".join(f"  - {p}" for p in found))
        return self

    @property
    def use_bf16(self) -> bool:
        import torch

        if self.precision == "bf16":
            return True
        return self.precision == "auto" and torch.cuda.is_available() and torch.cuda.is_bf16_supported()

    @property
    def use_fp16(self) -> bool:
        import torch

        if self.precision == "fp16":
            return True
        return self.precision == "auto" and torch.cuda.is_available() and not self.use_bf16


@dataclass(frozen=True)
class BatchPlan:
    per_device: int
    accumulation: int
    processes: int

    @property
    def global_batch(self) -> int:
        return self.per_device * self.accumulation * self.processes


# The Seq2SeqTrainingArguments the config sets itself, and the setting that does (None: the
# recipe needs it as it is). trainer_args may name any other.
TRAINER_ARGS_FROM_CONFIG = {
    "output_dir": "output_dir",
    "per_device_train_batch_size": "batch_size (or global_batch_size)",
    "per_device_eval_batch_size": "eval_batch_size",
    "gradient_accumulation_steps": "global_batch_size (or gradient_accumulation_steps)",
    "learning_rate": "learning_rate",
    "warmup_steps": "warmup_steps",
    "lr_scheduler_type": "lr_scheduler",
    "max_steps": "max_steps",
    "activation_checkpointing": "gradient_checkpointing",
    "fp16": "precision",
    "bf16": "precision",
    "eval_steps": "eval_steps",
    "save_steps": "save_steps",
    "save_total_limit": "save_total_limit",
    "logging_steps": "logging_steps",
    "report_to": "report_to",
    "seed": "seed",
    "dataloader_num_workers": "dataloader_workers",
    "generation_max_length": "generation_max_tokens",
    "push_to_hub": "push_to_hub",
    "eval_strategy": None,
    "save_strategy": None,
    "load_best_model_at_end": None,
    "metric_for_best_model": None,
    "greater_is_better": None,
    "predict_with_generate": None,
    "generation_num_beams": None,
    "remove_unused_columns": None,
    "label_names": None,
    "dataloader_pin_memory": None,
    "use_cpu": None,
}


def trainer_args_problems(extra: dict) -> list[str]:
    from transformers import Seq2SeqTrainingArguments

    known = [f.name for f in fields(Seq2SeqTrainingArguments)]
    found = []
    for key in extra:
        if key in TRAINER_ARGS_FROM_CONFIG:
            setting = TRAINER_ARGS_FROM_CONFIG[key]
            found.append(
                f"trainer_args: `{key}` is set by the config: use `{setting}`"
                if setting
                else f"trainer_args: `{key}` is fixed by the recipe (choosing checkpoints on the selection clips)"
            )
        elif key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" — did you mean `{close[0]}`?" if close else ""
            found.append(f"trainer_args: `{key}` is not a Seq2SeqTrainingArguments setting{hint}")
    return found


def training_processes() -> int:
    """How many processes train together (torchrun and accelerate set WORLD_SIZE)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def spec_problems(spec: DataSpec) -> list[str]:
    if spec.name not in DATASET_KINDS:
        return [f"unknown dataset {spec.name!r}; use one of {', '.join(DATASET_KINDS)}"]
    if spec.name == "hub" and not spec.path:
        return ["a `hub` dataset needs `path` (the dataset id)"]
    if spec.name in PRESETS:
        preset, path = PRESETS[spec.name], spec.resolved().path
        if not path:
            return [
                f"{spec.name}: no folder set. Download {preset.download}, then set {preset.env}=FOLDER "
                f"(or `path:` in this entry)"
            ]
        looks_local = not preset.hub or path.startswith(("/", "~", "."))
        if looks_local and not Path(path).expanduser().is_dir():
            return [f"{spec.name}: folder {path} does not exist (from {'path:' if spec.path else preset.env})"]
    if spec.name == "local":
        if not spec.path:
            return ["a `local` dataset needs `path` (a folder, .csv or .jsonl manifest)"]
        path = Path(spec.path).expanduser()
        if not path.exists():
            return [f"local dataset {spec.path} does not exist"]
        if path.is_file() and path.suffix not in (".csv", ".jsonl", ".json"):
            return [f"local manifest {spec.path} must be .csv or .jsonl"]
    if spec.max_samples is not None and spec.max_samples < 1:
        return [f"max_samples must be at least 1, not {spec.max_samples}"]
    return []


RENAMED = {"eval_data": "test_data"}


def _check_keys(data: dict, cls, where: str) -> None:
    known = [f.name for f in fields(cls)]
    for key in data:
        if key in RENAMED and cls is TrainConfig:
            raise ConfigError(
                f"{where}: `{key}` is now `{RENAMED[key]}` (evaluated once at the end; checkpoints are "
                "chosen on `selection_size` clips held out of train_data)"
            )
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" — did you mean `{close[0]}`?" if close else ""
            raise ConfigError(f"{where}: unknown setting `{key}`{hint}")


def _coerce(name: str, value: Any, kind: Any, where: str) -> Any:
    if name in ("train_data", "test_data"):
        if not isinstance(value, list):
            raise ConfigError(f"{where}: `{name}` must be a list of datasets")
        specs = []
        for item in value:
            if not isinstance(item, dict):
                raise ConfigError(f"{where}: each entry of `{name}` must be a mapping with at least `name`")
            _check_keys(item, DataSpec, f"{where}: {name}")
            if "name" not in item:
                raise ConfigError(f"{where}: an entry of `{name}` has no `name`")
            specs.append(DataSpec(**{k: (str(v) if k not in ("max_samples",) else v) for k, v in item.items()}))
        return tuple(specs)
    if kind is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: `{name}` must be a mapping, e.g. {{weight_decay: 0.01}}, not {value!r}")
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: `{name}` must be true or false, not {value!r}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: `{name}` must be a whole number, not {value!r}")
        return value
    if kind is float:
        if isinstance(value, str):  # YAML reads 1e-5 (no dot) as text
            with contextlib.suppress(ValueError):
                value = float(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: `{name}` must be a number, not {value!r}")
        return float(value)
    if value is None:
        return ""
    return str(value)


def from_dict(data: dict, where: str = "config", base: TrainConfig | None = None) -> TrainConfig:
    _check_keys(data, TrainConfig, where)
    hints = get_type_hints(TrainConfig)
    values = {name: _coerce(name, value, hints[name], where) for name, value in data.items()}
    return dataclasses.replace(base or TrainConfig(), **values)


def load_config(path: str | Path | None, overrides: dict | None = None) -> TrainConfig:
    config = TrainConfig()
    if path is not None:
        config = from_dict(read_yaml_mapping(Path(path), ConfigError), str(path))
    if overrides:
        config = from_dict(overrides, "command line", base=config)
    return config


def to_dict(config: TrainConfig) -> dict:
    return dataclasses.asdict(config) | {
        key: [dataclasses.asdict(s) for s in getattr(config, key)] for key in ("train_data", "test_data")
    }


def parse_args(argv: list[str] | None, description: str) -> tuple[argparse.Namespace, dict]:
    """`--config FILE`, `--dry-run`, and `--any-field VALUE` for every field (VALUE read as YAML)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--config", help="YAML file (see training/configs/)")
    parser.add_argument("--dry-run", action="store_true", help="validate and print the plan; load nothing")
    for f in fields(TrainConfig):
        parser.add_argument(
            f"--{f.name.replace('_', '-')}", dest=f"set_{f.name}", metavar="VALUE", help=argparse.SUPPRESS
        )
    args = parser.parse_args(argv)
    overrides = {}
    for f in fields(TrainConfig):
        raw = getattr(args, f"set_{f.name}")
        if raw is not None:
            overrides[f.name] = (
                raw if f.name in ("output_dir", "base_model", "resume", "hub_model_id") else yaml.safe_load(raw)
            )
    return args, overrides
