"""The model card written beside a trained checkpoint, and publishing the two together.

The card carries the test WER twice: in the table a reader sees, and as `model-index`
metadata, which the hub shows as the model's evaluation results. `Trainer.push_to_hub`
would write its own card over it, so the folder is uploaded as it is instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from training.config import DataSpec, TrainConfig, to_dict

# The hub ids that name a corpus in the metadata (the data itself is read from folders). Common
# Voice's depends on the release, read from the name Mozilla gives its folder (cv-corpus-17.0-…).
HUB_IDS = {"fleurs": "google/fleurs", "nst": "jzju/nst"}
CV_RELEASE = re.compile(r"cv-corpus-(\d+)\.(\d+)")


def public_name(spec: DataSpec) -> tuple[str, str]:
    """(hub id or "", a name for readers) of a source, without the local folder it was read from."""
    spec = spec.resolved()
    split = f" [{spec.split}]"
    if spec.name == "common_voice":
        release = CV_RELEASE.search(spec.path)
        if release is None:
            return "", f"Common Voice sv-SE, release not named by its folder{split}"
        major, minor = release.groups()
        return f"mozilla-foundation/common_voice_{major}_{minor}", f"Common Voice {major}.{minor} sv-SE{split}"
    if spec.name in HUB_IDS:
        return HUB_IDS[spec.name], f"{HUB_IDS[spec.name]}{split}"
    if spec.name == "hub":
        return spec.path, spec.path + (f" ({spec.config})" if spec.config else "") + split
    return "", Path(spec.path).name + (split if Path(spec.path).expanduser().is_dir() else "")


def _figure(value) -> str:
    return f"{value:.2f}" if value is not None else "n/a"


def card_metadata(config: TrainConfig, metrics: dict) -> str:
    from huggingface_hub import EvalResult, ModelCardData

    test_id, test_name = public_name(config.test_data[0])
    results = [
        EvalResult(
            task_type="automatic-speech-recognition",
            task_name="Speech recognition",
            dataset_type=test_id or test_name,
            dataset_name="; ".join(public_name(s)[1] for s in config.test_data),
            dataset_split=config.test_data[0].split,
            metric_type="wer",
            metric_name=f"WER ({kind})",
            metric_value=round(metrics[key], 2),
        )
        for key, kind in (("test_wer", "normalised"), ("test_wer_ortho", "orthographic"))
        if metrics.get(key) is not None
    ]
    data = ModelCardData(
        language=[config.language],
        license="apache-2.0",
        base_model=config.base_model,
        datasets=list(dict.fromkeys(i for i, _ in map(public_name, config.train_data + config.test_data) if i)) or None,
        tags=["whisper", "automatic-speech-recognition", "sag-det"],
        metrics=["wer"],
        model_name=Path(config.output_dir).name,
        eval_results=results or None,
    )
    return data.to_yaml()


def write_model_card(config: TrainConfig, stats, metrics: dict, steps: int) -> Path:
    """`stats`: one per source, in the order of train_data then test_data."""
    specs = config.train_data + config.test_data
    data_lines = "\n".join(
        f"- {public_name(spec)[1]}: {stat.counts()}" for spec, stat in zip(specs, stats, strict=True)
    )
    text = f"""---
{card_metadata(config, metrics)}
---

# {Path(config.output_dir).name}

{config.base_model} fine-tuned for Swedish with the Säg det! `training/` module.

| | |
| --- | --- |
| steps | {steps} of {config.max_steps} ({config.warmup_steps} warmup, {config.lr_scheduler} decay) |
| learning rate | {config.learning_rate:g} |
| batch | {metrics.get("global_batch", config.batch_size)} (global) |
| audio window | {config.window_seconds:g} s |
| WER (normalised) | {_figure(metrics.get("test_wer"))} |
| WER (orthographic) | {_figure(metrics.get("test_wer_ortho"))} |
| WER on the selection clips | {_figure(metrics.get("selection_wer"))} |

## Data
{data_lines}

## Evaluation
The checkpoint was chosen on {config.selection_size} clips held out of the training data
(seed {config.selection_seed}); the test WER above was measured once, after training, on
{"; ".join(public_name(s)[1] for s in config.test_data)}.

## Config
```yaml
{yaml.safe_dump(to_dict(config), allow_unicode=True, sort_keys=False).strip()}
```

Use it in the game: `SAGDET_MODEL={config.output_dir} python app.py`.
"""
    path = Path(config.output_dir) / "README.md"
    path.write_text(text, encoding="utf-8")
    return path


def push(config: TrainConfig) -> str:
    """Upload the finished output folder, card included, to `hub_model_id`; returns the commit URL."""
    from huggingface_hub import HfApi

    api = HfApi()
    api.create_repo(config.hub_model_id, exist_ok=True)
    commit = api.upload_folder(
        repo_id=config.hub_model_id,
        folder_path=config.output_dir,
        ignore_patterns=["checkpoint-*", "checkpoint-*/**", "runs/**", "*.partial"],
        commit_message=f"Säg det! training: {Path(config.output_dir).name}",
    )
    return str(commit)
