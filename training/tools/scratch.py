"""Build a randomly initialised Whisper checkpoint offline, of any size.

It has everything a real one has on disk (tokenizer with Whisper's special
tokens, feature extractor, config, generation config, weights), so the game and
the training module load it through exactly the code path of a hub checkpoint.
The tests use tiny ones; the latency benchmark one with whisper-small's exact
dimensions (`WHISPER_SMALL`), vocabulary included.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SPECIAL_BEFORE_LANGUAGES = ["<|endoftext|>", "<|startoftranscript|>"]
SPECIAL_AFTER_LANGUAGES = [
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nocaptions|>",
    "<|notimestamps|>",
]


def special_tokens() -> list[str]:
    from transformers.models.whisper.tokenization_whisper import LANGUAGES

    # The tokenizer finds a language's id as <|startoftranscript|> + 1 + its index in LANGUAGES.
    return SPECIAL_BEFORE_LANGUAGES + [f"<|{code}|>" for code in LANGUAGES] + SPECIAL_AFTER_LANGUAGES


def build_tokenizer(
    out_dir: Path, corpus: Iterable[str], vocab_size: int = 300, text_tokens: int | None = None, timestamps: int = 0
):
    """A byte-level BPE trained on `corpus`, then Whisper's special tokens.

    `text_tokens` pads the text vocabulary with unused entries to that size and
    `timestamps` adds that many <|t.tt|> tokens after the specials: Whisper's own
    layout (50257 text tokens, the specials, then the timestamps).
    """
    import json

    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import WhisperTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False
    )
    tok.train_from_iterator(list(corpus), trainer)
    if text_tokens:
        state = json.loads(tok.to_str())
        vocab = state["model"]["vocab"]
        for filler in range(text_tokens - len(vocab)):
            vocab[f"\u2591{filler}"] = len(vocab)  # never produced: no merge leads to it
        tok = Tokenizer.from_str(json.dumps(state))
    # After the text tokens, as in Whisper: generate() takes every id above
    # <|notimestamps|> for a timestamp.
    tok.add_special_tokens(special_tokens())
    tok.add_special_tokens([f"<|{i * 0.02:.2f}|>" for i in range(timestamps)])
    out_dir.mkdir(parents=True, exist_ok=True)
    tok.save(str(out_dir / "tokenizer.json"))
    return WhisperTokenizerFast(
        tokenizer_file=str(out_dir / "tokenizer.json"),
        unk_token="<|endoftext|>",
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        pad_token="<|endoftext|>",
        language="swedish",
        task="transcribe",
        predict_timestamps=False,
    )


# whisper-small's dimensions, vocabulary included.
WHISPER_SMALL = {
    "d_model": 768,
    "layers": 12,
    "heads": 12,
    "ffn": 3072,
    "max_target_positions": 448,
    "text_tokens": 50257,
    "timestamps": 1500,
}


def build_tiny_whisper(
    out_dir: str | Path,
    corpus: Iterable[str],
    *,
    d_model: int = 64,
    layers: int = 2,
    heads: int = 2,
    ffn: int | None = None,
    max_source_positions: int = 1500,
    max_target_positions: int = 64,
    text_tokens: int | None = None,
    timestamps: int = 0,
    seed: int = 0,
    legacy_generation_config: bool = False,
) -> Path:
    """Save a tiny Whisper to `out_dir` and return the path.

    `legacy_generation_config` leaves out the language/task tables, like checkpoints
    saved before 2023 (many fine-tunes on the hub).
    """
    import torch
    from transformers import (
        GenerationConfig,
        WhisperConfig,
        WhisperFeatureExtractor,
        WhisperForConditionalGeneration,
        WhisperProcessor,
    )
    from transformers.models.whisper.tokenization_whisper import LANGUAGES

    out_dir = Path(out_dir)
    tokenizer = build_tokenizer(out_dir, corpus, text_tokens=text_tokens, timestamps=timestamps)
    ids = tokenizer.convert_tokens_to_ids
    eot, sot = ids("<|endoftext|>"), ids("<|startoftranscript|>")
    config = WhisperConfig(
        vocab_size=len(tokenizer),
        num_mel_bins=80,
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn or d_model * 2,
        decoder_ffn_dim=ffn or d_model * 2,
        max_source_positions=max_source_positions,
        max_target_positions=max_target_positions,
        pad_token_id=eot,
        bos_token_id=eot,
        eos_token_id=eot,
        decoder_start_token_id=sot,
        suppress_tokens=None,
        begin_suppress_tokens=None,
    )
    torch.manual_seed(seed)
    model = WhisperForConditionalGeneration(config)
    generation = GenerationConfig(
        decoder_start_token_id=sot,
        eos_token_id=eot,
        pad_token_id=eot,
        bos_token_id=eot,
        max_length=max_target_positions,
        # As in Whisper's own configs: no special token inside the text, no end before the first word.
        suppress_tokens=list(range(eot + 1, len(tokenizer))),
        begin_suppress_tokens=[eot],
    )
    if not legacy_generation_config:
        generation.lang_to_id = {f"<|{code}|>": ids(f"<|{code}|>") for code in LANGUAGES}
        generation.task_to_id = {"transcribe": ids("<|transcribe|>"), "translate": ids("<|translate|>")}
        generation.no_timestamps_token_id = ids("<|notimestamps|>")
        generation.is_multilingual = True
    model.generation_config = generation
    chunk_length = max_source_positions * 2 // 100  # two mel frames per encoder position, 100 frames a second
    features = WhisperFeatureExtractor(feature_size=80, chunk_length=chunk_length)
    WhisperProcessor(feature_extractor=features, tokenizer=tokenizer).save_pretrained(out_dir)
    model.save_pretrained(out_dir)
    return out_dir
