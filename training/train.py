"""Fine-tune Whisper on Swedish with Seq2SeqTrainer.

    python -m training.train --config training/configs/whisper-small-sv.yaml
    python -m training.train --config training/configs/whisper-small-sv.yaml --max-steps 50 --output-dir runs/smoke
    python -m training.train --config ... --dry-run        # validate and print the plan, nothing else
    torchrun --nproc-per-node 4 -m training.train --config ...   # data-parallel on 4 GPUs (or CPU processes)

The output directory is a complete checkpoint (weights, config, tokenizer, feature
extractor, model card): point the game at it with SAGDET_MODEL=<output_dir>.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from training.config import ConfigError, TrainConfig, load_config, parse_args

log = logging.getLogger("training")


def plan(config: TrainConfig) -> str:
    import torch

    gpus = torch.cuda.device_count()
    precision = "bf16" if config.use_bf16 else "fp16" if config.use_fp16 else "fp32"
    masks = f"time p={config.mask_time_prob:g}, frequency p={config.mask_feature_prob:g}"
    waveform = f"pitch ±{config.augment_pitch_semitones:g} st, gain ±{config.augment_gain_db:g} dB"
    batch = config.batch_plan()
    lines = [
        f"base model      {config.base_model}",
        f"output          {config.output_dir}",
        "train data      " + "; ".join(s.describe() for s in config.train_data),
        f"selection       {config.selection_size} clips held out of {config.train_data[0].name} "
        f"(seed {config.selection_seed}): chooses the best checkpoint",
        "test data       " + "; ".join(s.describe() for s in config.test_data) + " (once, at the end)",
        f"steps           {config.max_steps} ({config.warmup_steps} warmup, then {config.lr_scheduler} decay to 0)",
        f"batch           {batch.per_device} per device x {batch.accumulation} accumulation x {batch.processes} "
        f"process(es) = global batch {batch.global_batch}, lr {config.learning_rate:g}",
        f"precision       {precision} on {f'{gpus} GPU(s)' if gpus else 'CPU'}",
        f"spec augment    {masks if config.spec_augment else 'off'}",
        f"waveform aug.   {waveform if config.augment_waveform else 'off'}",
        f"audio window    {config.window_seconds:g} s",
    ]
    if config.streaming:
        lines.append(f"streaming       yes, shuffled through a buffer of {config.shuffle_buffer} clips")
    return "\n".join(lines)


def check_sources(config: TrainConfig) -> list[str]:
    """Open every source as training will; one line each, `ok` or what is wrong."""
    from training.sources import SourceError, check_source

    lines, failed = [], 0
    pool = config.train_data[0].name
    pool_clips: int | None = 0  # what the selection clips are held out of; None when a source does not say
    for where, specs in (("train", config.train_data), ("test", config.test_data)):
        for spec in specs:
            try:
                opened = check_source(spec)
            except SourceError as exc:
                failed += 1
                lines.append(f"  FAIL  {where}: {spec.describe()}: {exc}")
                continue
            lines.append(f"  ok    {where}: {spec.describe()}: {opened.summary}")
            if where == "train" and spec.name == pool:
                pool_clips = None if pool_clips is None or opened.clips is None else pool_clips + opened.clips
    if not failed and pool_clips is not None and config.selection_size >= pool_clips:
        failed += 1
        lines.append(
            f"  FAIL  selection: selection_size ({config.selection_size}) is not smaller than the {pool_clips} "
            f"clips of {pool} it is held out of, which would leave none to train on: set it lower, "
            f"e.g. --selection-size {max(pool_clips // 10, 1)}"
        )
    if failed:
        raise ConfigError(f"{failed} problem(s) with the data:\n" + "\n".join(lines))
    return lines


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


def training_arguments(config: TrainConfig):
    from transformers import Seq2SeqTrainingArguments

    return Seq2SeqTrainingArguments(**training_argument_values(config), **config.trainer_args)


def training_argument_values(config: TrainConfig) -> dict:
    """The Seq2SeqTrainingArguments the config decides (training.config.TRAINER_ARGS_FROM_CONFIG
    names them); `trainer_args` adds any other."""
    import torch

    batch = config.batch_plan()
    return {
        "output_dir": config.output_dir,
        "per_device_train_batch_size": batch.per_device,
        "per_device_eval_batch_size": config.eval_batch_size,
        "gradient_accumulation_steps": batch.accumulation,
        "learning_rate": config.learning_rate,
        "warmup_steps": config.warmup_steps,
        "lr_scheduler_type": config.lr_scheduler,
        "max_steps": config.max_steps,
        "activation_checkpointing": config.gradient_checkpointing,
        "fp16": config.use_fp16,
        "bf16": config.use_bf16,
        "eval_strategy": "steps",
        "eval_steps": config.eval_steps,
        "save_strategy": "steps",
        "save_steps": config.save_steps,
        "save_total_limit": config.save_total_limit,
        "logging_steps": config.logging_steps,
        "report_to": [] if config.report_to in ("", "none") else [config.report_to],
        "load_best_model_at_end": True,
        "metric_for_best_model": "wer",
        "greater_is_better": False,
        "predict_with_generate": True,
        "generation_max_length": config.generation_max_tokens + 4,  # + the 4 prompt tokens
        "generation_num_beams": 1,
        "remove_unused_columns": False,
        "label_names": ["labels"],
        "seed": config.seed,
        "dataloader_num_workers": config.dataloader_workers,
        "dataloader_pin_memory": torch.cuda.is_available(),
        # Without CUDA, several processes (torchrun) are data-parallel only when the Trainer is told
        # it is on the CPU (gloo); otherwise each would train its own copy on all of the data.
        "use_cpu": not torch.cuda.is_available(),
        "push_to_hub": False,  # training.card.push uploads the folder with our card, once, at the end
    }


def build_trainer(config: TrainConfig, model, processor, train_ds, eval_ds, callbacks=(), args=None):
    """`eval_ds` is what checkpoints are chosen on: the selection clips, never the test set."""
    from transformers import Seq2SeqTrainer

    from training.data import SpeechCollator, make_augmenter

    collator = SpeechCollator(
        processor,
        decoder_start_token_id=model.config.decoder_start_token_id,
        augment=make_augmenter(config) if config.augment_waveform else None,
    )
    return Seq2SeqTrainer(
        model=model,
        args=args or training_arguments(config),
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


def run(config: TrainConfig, callbacks=()) -> dict:
    """The whole recipe; returns the final metrics: `test_wer`/`test_wer_ortho` (measured once,
    at the end) and `selection_wer` (the chosen checkpoint's WER on the held-out clips)."""
    from transformers import set_seed

    from training.card import push, write_model_card
    from training.data import prepare_all, prepare_with_selection, prune_feature_cache
    from training.model import load_for_training

    set_seed(config.seed)
    args = training_arguments(config)
    model, processor = load_for_training(config)
    keep_audio = config.augment_waveform
    # The main process prepares (and caches) the features; the others wait, then read the cache.
    with args.main_process_first(local=False, desc="preparing features"):
        train_ds, selection_ds, train_stats = prepare_with_selection(
            config.train_data, processor, config, keep_audio=keep_audio
        )
        test_ds, test_stats = prepare_all(config.test_data, processor, config)
    if args.process_index == 0:  # one process deletes; the others only read this run's entries
        deleted = prune_feature_cache(config, keep={s.cache for s in train_stats + test_stats})
        if deleted:
            log.info("feature cache over %g GB: deleted %d old entries", config.cache_max_gb, len(deleted))
    trainer = build_trainer(config, model, processor, train_ds, selection_ds, callbacks, args=args)
    trainer.train(resume_from_checkpoint=resume_point(config))
    test = trainer.evaluate(eval_dataset=test_ds, metric_key_prefix="test")
    metrics = {
        **test,
        "selection_wer": trainer.state.best_metric,
        "global_batch": args.train_batch_size * args.gradient_accumulation_steps * args.world_size,
        "steps": trainer.state.global_step,
    }
    trainer.save_model(config.output_dir)  # writes on the main process only
    if trainer.is_world_process_zero():
        trainer.save_state()
        write_model_card(config, train_stats + test_stats, metrics, trainer.state.global_step)
        (Path(config.output_dir) / "eval_results.json").write_text(json.dumps(metrics, indent=2))
        if config.push_to_hub:
            log.info("pushed to the hub: %s", push(config))
    log.info(
        "test WER %.2f (orthographic %.2f) after %d steps, chosen on the selection clips; checkpoint in %s",
        metrics["test_wer"],
        metrics["test_wer_ortho"],
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
    if os.environ.get("RANK", "0") == "0":  # one plan, however many processes torchrun starts
        print(plan(config))
    if args.dry_run:
        try:
            print("data:\n" + "\n".join(check_sources(config)))
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print("dry run: the config is valid and every source opens; no model was loaded")
        return 0
    run(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
