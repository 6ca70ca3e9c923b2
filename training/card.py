"""The model card written beside a trained checkpoint, and publishing the two together.

The card carries the test WER twice: in the table a reader sees, and as `model-index`
metadata, which the hub shows as the model's evaluation results. `Trainer.push_to_hub`
would write its own card over it, so the folder is uploaded as it is instead.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from training.config import TrainConfig, to_dict

# The hub ids that name each corpus in the metadata (the data itself is read from folders).
HUB_NAMES = {"common_voice": "mozilla-foundation/common_voice_13_0", "fleurs": "google/fleurs", "nst": "jzju/nst"}


def _figure(value) -> str:
    return f"{value:.2f}" if value is not None else "n/a"


def card_metadata(config: TrainConfig, metrics: dict) -> str:
    from huggingface_hub import EvalResult, ModelCardData

    test = config.test_data[0].resolved()
    results = [
        EvalResult(
            task_type="automatic-speech-recognition",
            task_name="Speech recognition",
            dataset_type=HUB_NAMES.get(test.name, test.path),
            dataset_name="; ".join(s.describe() for s in config.test_data),
            dataset_split=test.split,
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
        tags=["whisper", "automatic-speech-recognition", "sag-det"],
        metrics=["wer"],
        model_name=Path(config.output_dir).name,
        eval_results=results or None,
    )
    return data.to_yaml()


def write_model_card(config: TrainConfig, stats, metrics: dict, steps: int) -> Path:
    data_lines = "\n".join(f"- {s.line()}" for s in stats)
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
{"; ".join(s.describe() for s in config.test_data)}.

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
