"""A Whisper checkpoint that writes down Swedish speech: loaded at a precision, greedy, bounded length."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import numpy as np

from game.config import PRECISIONS
from game.speech.audio import SAMPLE_RATE
from game.speech.source import ModelLoadError, model_source
from game.speech.window import WindowError, checkpoint_seconds, chosen_seconds, cut_window

LANGUAGE = "sv"


def native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 natively (AVX512-BF16 or AMX): then bf16 halves the time."""
    import torch

    try:
        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except AttributeError:  # an older or newer torch without these probes: stay with float32
        return False


def resolve_precision(precision: str) -> str:
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "auto":
        return "bf16" if native_bf16() else "fp32"
    return precision


def set_precision(model, precision: str):
    """bf16: weights and activations in bfloat16 (about twice as fast on a CPU with native bf16; it
    changed 27 of 240 whisper-base transcripts, its right verdicts not fewer: benchmarks/README.md).
    int8: dynamic int8 linear layers (faster still, but it changed most transcripts)."""
    import warnings

    import torch

    precision = resolve_precision(precision)
    if precision == "bf16":
        return model.to(torch.bfloat16)
    if precision == "int8":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch announces a move of this API to torchao
            return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return model


def use_threads(count: int) -> None:
    """CPU threads for the model's arithmetic; 0 leaves torch's choice (one per core)."""
    if count:
        import torch  # only then: importing torch would hold up serving the page

        torch.set_num_threads(count)


class _WhisperOwnNotice(logging.Filter):
    """Drops the one notice transformers logs about its own code, which no argument avoids.

    Whisper's `generate` hands the generic one its generation config together with
    `suppress_tokens` and `begin_suppress_tokens` (a workaround of theirs); the generic one then
    calls that deprecated. Any other "generation_config together with ..." notice still shows.
    """

    NOTICE = "Passing `generation_config` together with generation-related arguments=("
    WHISPERS_OWN = frozenset({"suppress_tokens", "begin_suppress_tokens"})

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.NOTICE not in message:
            return True
        named = set(re.findall(r"'(\w+)'", message.split(self.NOTICE, 1)[1].split(")", 1)[0]))
        return not (named and named <= self.WHISPERS_OWN)


_WHISPER_OWN_NOTICE = _WhisperOwnNotice()


class Transcriber:
    """A Whisper checkpoint that writes down Swedish speech: greedy, bounded length."""

    def __init__(self, model, processor, name: str = ""):
        self.model = model.eval()
        self.processor = processor
        self.name = name
        _complete_generation_config(model.generation_config, processor.tokenizer)
        logging.getLogger("transformers.generation.utils").addFilter(_WHISPER_OWN_NOTICE)  # added once

    @classmethod
    def load(cls, name_or_path: str, precision: str = "auto", window: int | str = "own") -> Transcriber:
        """`precision`: auto (bf16 on a CPU that has it natively, else fp32), fp32, bf16 or int8.
        `window`: seconds of audio heard at once, "own" (the checkpoint's) or "auto" (the game's
        default for the checkpoint: see game.speech.window).

        A hub id is first asked about once (see `model_source`): a model that cannot be had fails
        within seconds with a ModelLoadError, and one this machine already has loads offline."""
        local_only = model_source(name_or_path) != "hub"  # before importing transformers, which takes seconds
        from transformers import WhisperConfig, WhisperForConditionalGeneration, WhisperProcessor

        config = WhisperConfig.from_pretrained(name_or_path, local_files_only=local_only)
        try:  # before the weights are read: a window that cannot run is said at once
            seconds = chosen_seconds(window, checkpoint_seconds(config))
        except WindowError as exc:
            raise ModelLoadError("bad_window", name_or_path, str(exc)) from exc
        processor = WhisperProcessor.from_pretrained(name_or_path, local_files_only=local_only)
        model = WhisperForConditionalGeneration.from_pretrained(
            name_or_path, config=config, local_files_only=local_only
        )
        cut_window(model, processor.feature_extractor, seconds)
        return cls(set_precision(model, precision), processor, name=name_or_path)

    @property
    def window(self) -> float:
        """Seconds of audio the model hears at once; the rest of a longer clip is cut."""
        return checkpoint_seconds(self.model.config)

    def token_budget(self, answers: Iterable[str], slack: int = 4) -> int:
        """New tokens enough for the longest answer (said with its article), plus slack.

        An unsure model can otherwise loop for hundreds of tokens on a one-word answer.
        """
        tokenizer = self.processor.tokenizer
        longest = max(
            (len(tokenizer(" " + a, add_special_tokens=False).input_ids) for a in answers),
            default=8,
        )
        return longest + slack

    def transcribe(self, samples: np.ndarray, max_new_tokens: int) -> str:
        return self.transcribe_batch([samples], max_new_tokens)[0]

    def transcribe_batch(self, clips: list[np.ndarray], max_new_tokens: int) -> list[str]:
        import torch

        # The prompt (<|startoftranscript|><|sv|><|transcribe|><|notimestamps|>) takes 4 positions.
        max_new_tokens = max(1, min(max_new_tokens, self.model.config.max_target_positions - 4))
        inputs = self.processor.feature_extractor(
            clips, sampling_rate=SAMPLE_RATE, return_tensors="pt", return_attention_mask=True
        )
        with torch.inference_mode():
            ids = self.model.generate(
                inputs.input_features.to(self.model.dtype),
                # As the transformers pipeline passes it; without it a batch earns a warning.
                attention_mask=inputs.attention_mask,
                language=LANGUAGE,
                task="transcribe",
                num_beams=1,
                do_sample=False,
                # Whisper counts `max_length` from after the prompt, so this bounds the new tokens.
                # `max_new_tokens` would do the same, with a warning each call: Whisper's generate
                # fills in the default max_length (20) and hands both on to the generic one.
                max_length=max_new_tokens,
            )
        return [text.strip() for text in self.processor.batch_decode(ids, skip_special_tokens=True)]


def _complete_generation_config(config, tokenizer) -> None:
    """Fill in the language/task tables that checkpoints saved before 2023 lack.

    `generate(language=...)` needs them; the tokenizer knows every id.
    """
    from transformers.models.whisper.tokenization_whisper import LANGUAGES

    def token_id(token: str) -> int | None:
        tid = tokenizer.convert_tokens_to_ids(token)
        return None if tid is None or tid == tokenizer.unk_token_id else tid

    if not getattr(config, "lang_to_id", None):
        config.lang_to_id = {f"<|{code}|>": tid for code in LANGUAGES if (tid := token_id(f"<|{code}|>")) is not None}
    if not getattr(config, "task_to_id", None):
        config.task_to_id = {
            task: tid for task in ("transcribe", "translate") if (tid := token_id(f"<|{task}|>")) is not None
        }
    if getattr(config, "no_timestamps_token_id", None) is None:
        config.no_timestamps_token_id = token_id("<|notimestamps|>")
    if getattr(config, "is_multilingual", None) is None:
        config.is_multilingual = bool(config.lang_to_id)
    # The language is forced per call; a stored prompt would override it.
    config.forced_decoder_ids = None
    # Each call bounds its new tokens (`max_length`, see transcribe_batch); a stored
    # `max_new_tokens` would take precedence over that bound.
    config.max_new_tokens = None
