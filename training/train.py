"""Fine-tune Whisper on Swedish with Seq2SeqTrainer.

    python -m training.train --config training/configs/whisper-small-sv.yaml
    python -m training.train --config training/configs/whisper-small-sv.yaml --max-steps 50 --output-dir runs/smoke
    python -m training.train --config ... --dry-run        # validate and print the plan, nothing else
    torchrun --nproc-per-node 4 -m training.train --config ...   # data-parallel on 4 GPUs

The output directory is a complete checkpoint (weights, config, tokenizer, feature
extractor, model card): point the game at it with SAGDET_MODEL=<output_dir>.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import yaml

from training.config import ConfigError, TrainConfig, load_config, parse_args, to_dict

log = logging.getLogger("training")


def plan(config: TrainConfig) -> str:
    import torch

    gpus = torch.cuda.device_count()
    precision = "bf16" if config.use_bf16 else "fp16" if config.use_fp16 else "fp32"
    masks = f"time p={config.mask_time_prob:g}, frequency p={config.mask_feature_prob:g}"
    waveform = f"pitch ±{config.augment_pitch_semitones:g} st, gain ±{config.augment_gain_db:g} dB"
    lines = [
        f"base model      {config.base_model}",
        f"output          {config.output_dir}",
        "train data      " + "; ".join(s.describe() for s in config.train_data),
        "eval data       " + "; ".join(s.describe() for s in config.eval_data),
        f"steps           {config.max_steps} ({config.warmup_steps} warmup, then {config.lr_scheduler} decay to 0)",
        f"batch           {config.batch_size} x {config.gradient_accumulation_steps} accumulation"
        f" x {max(gpus, 1)} device(s), lr {config.learning_rate:g}",
        f"precision       {precision} on {f'{gpus} GPU(s)' if gpus else 'CPU'}",
        f"spec augment    {masks if config.spec_augment else 'off'}",
        f"waveform aug.   {waveform if config.augment_waveform else 'off'}",
        f"audio window    {config.window_seconds:g} s",
    ]
    return "\n".join(lines)


def compute_metrics_fn(processor):
    from training.metrics import wer_scores

    tokenizer = processor.tokenizer

    def compute(pred):
        predictions, labels = pred.predictions, pred.label_ids
        predictions[predictions == -100] = tokenizer.pad_token_id
        labels[labels == -100] = tokenizer.pad_token_id
        return wer_scores(
            tokenizer.batch_decode(labels, skip_special_tokens=True),
            tokenizer.batch_decode(predictions, skip_special_tokens=True),
        )

    return compute


def build_trainer(config: TrainConfig, model, processor, train_ds, eval_ds, callbacks=()):
    import torch
    from transformers import Seq2SeqTrainer, Seq2SeqTrainingArguments

    from training.data import SpeechCollator, make_augmenter

    args = Seq2SeqTrainingArguments(
        output_dir=config.output_dir,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.eval_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        learning_rate=config.learning_rate,
        warmup_steps=config.warmup_steps,
        lr_scheduler_type=config.lr_scheduler,
        max_steps=config.max_steps,
        gradient_checkpointing=config.gradient_checkpointing,
        fp16=config.use_fp16,
        bf16=config.use_bf16,
        eval_strategy="steps",
        eval_steps=config.eval_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        logging_steps=config.logging_steps,
        report_to=[] if config.report_to in ("", "none") else [config.report_to],
        load_best_model_at_end=True,
        metric_for_best_model="wer",
        greater_is_better=False,
        predict_with_generate=True,
        generation_max_length=config.generation_max_tokens + 4,  # + the 4 prompt tokens
        generation_num_beams=1,
        remove_unused_columns=False,
        label_names=["labels"],
        seed=config.seed,
        dataloader_num_workers=config.dataloader_workers,
        dataloader_pin_memory=torch.cuda.is_available(),
        push_to_hub=config.push_to_hub,
        hub_model_id=config.hub_model_id or None,
    )
    collator = SpeechCollator(
        processor,
        decoder_start_token_id=model.config.decoder_start_token_id,
        augment=make_augmenter(config) if config.augment_waveform else None,
    )
    return Seq2SeqTrainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=eval_ds,
        data_collator=collator,
        processing_class=processor,  # saves tokenizer + feature extractor with every checkpoint
        compute_metrics=compute_metrics_fn(processor),
        callbacks=list(callbacks),
    )


def resume_point(config: TrainConfig) -> str | bool | None:
    if config.resume == "latest":
        checkpoints = sorted(Path(config.output_dir).glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
        if not checkpoints:
            log.info("no checkpoint in %s: starting from the beginning", config.output_dir)
            return None
        return str(checkpoints[-1])
    return config.resume or None


def write_model_card(config: TrainConfig, stats, metrics: dict, steps: int) -> Path:
    data_lines = "\n".join(f"- {s.line()}" for s in stats)
    card = {
        "language": [config.language],
        "license": "apache-2.0",
        "base_model": config.base_model,
        "tags": ["whisper", "automatic-speech-recognition", "sag-det"],
        "metrics": ["wer"],
    }
    wer = metrics.get("eval_wer")
    text = f"""---
{yaml.safe_dump(card, allow_unicode=True, sort_keys=False).strip()}
---

# {Path(config.output_dir).name}

{config.base_model} fine-tuned for Swedish with the Säg det! `training/` module.

| | |
| --- | --- |
| steps | {steps} of {config.max_steps} ({config.warmup_steps} warmup, {config.lr_scheduler} decay) |
| learning rate | {config.learning_rate:g} |
| batch | {config.batch_size} × {config.gradient_accumulation_steps} |
| audio window | {config.window_seconds:g} s |
| WER (normalised) | {f"{wer:.2f}" if wer is not None else "n/a"} |
| WER (orthographic) | {f"{metrics['eval_wer_ortho']:.2f}" if "eval_wer_ortho" in metrics else "n/a"} |

## Data
{data_lines}

## Evaluation
{"; ".join(s.describe() for s in config.eval_data)}

## Config
```yaml
{yaml.safe_dump(to_dict(config), allow_unicode=True, sort_keys=False).strip()}
```

Use it in the game: `SAGDET_MODEL={config.output_dir} python app.py`.
"""
    path = Path(config.output_dir) / "README.md"
    path.write_text(text, encoding="utf-8")
    return path


def run(config: TrainConfig, callbacks=()) -> dict:
    """The whole recipe; returns the final evaluation metrics."""
    from transformers import set_seed

    from training.data import prepare_all
    from training.model import load_for_training

    set_seed(config.seed)
    model, processor = load_for_training(config)
    keep_audio = config.augment_waveform
    train_ds, train_stats = prepare_all(config.train_data, processor, config, keep_audio=keep_audio)
    eval_ds, eval_stats = prepare_all(config.eval_data, processor, config)
    trainer = build_trainer(config, model, processor, train_ds, eval_ds, callbacks)
    trainer.train(resume_from_checkpoint=resume_point(config))
    metrics = trainer.evaluate()
    trainer.save_model(config.output_dir)
    trainer.save_state()
    write_model_card(config, train_stats + eval_stats, metrics, trainer.state.global_step)
    (Path(config.output_dir) / "eval_results.json").write_text(json.dumps(metrics, indent=2))
    if config.push_to_hub:
        trainer.push_to_hub()
    log.info(
        "final WER %.2f (orthographic %.2f) after %d steps; checkpoint in %s",
        metrics["eval_wer"],
        metrics["eval_wer_ortho"],
        trainer.state.global_step,
        config.output_dir,
    )
    return metrics


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    args, overrides = parse_args(argv, __doc__.split("\n\n")[0])
    try:
        config = load_config(args.config, overrides).validate()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(plan(config))
    if args.dry_run:
        print("dry run: the config is valid; nothing was loaded")
        return 0
    run(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
