"""The model to fine-tune: a Whisper checkpoint set up for the recipe.

`set_window` is how a checkpoint gets a short audio window: the encoder's positional
table is cut to the window and the feature extractor pads to it, and both are saved
with the checkpoint, so the game reads the window from the checkpoint itself.
"""

from __future__ import annotations

import torch
from transformers import WhisperForConditionalGeneration, WhisperProcessor

from training.config import TrainConfig

POSITIONS_PER_SECOND = 50  # 100 mel frames a second, halved by the encoder's strided convolution


def set_window(model: WhisperForConditionalGeneration, processor: WhisperProcessor, seconds: int) -> None:
    positions = seconds * POSITIONS_PER_SECOND
    encoder = model.model.encoder
    current = encoder.embed_positions.weight.shape[0]
    if positions > current:
        raise ValueError(
            f"the checkpoint's window is {current / POSITIONS_PER_SECOND} s; it cannot grow to {seconds} s"
        )
    if positions < current:
        table = torch.nn.Embedding(positions, encoder.embed_positions.embedding_dim)
        table.weight.data.copy_(encoder.embed_positions.weight.data[:positions])
        table.weight.requires_grad_(False)  # Whisper's positions are fixed sinusoids
        encoder.embed_positions = table
        model.config.max_source_positions = positions
        encoder.config.max_source_positions = positions
        encoder.max_source_positions = positions
    extractor = processor.feature_extractor
    extractor.chunk_length = seconds
    extractor.n_samples = seconds * extractor.sampling_rate
    extractor.nb_max_frames = extractor.n_samples // extractor.hop_length


def window_seconds(model) -> float:
    return model.config.max_source_positions / POSITIONS_PER_SECOND


def load_for_training(config: TrainConfig) -> tuple[WhisperForConditionalGeneration, WhisperProcessor]:
    processor = WhisperProcessor.from_pretrained(config.base_model)
    model = WhisperForConditionalGeneration.from_pretrained(config.base_model)
    processor.tokenizer.set_prefix_tokens(language=config.language, task="transcribe", predict_timestamps=False)
    if config.window_seconds != window_seconds(model):
        set_window(model, processor, config.window_seconds)

    model.config.apply_spec_augment = config.spec_augment
    model.config.mask_time_prob = config.mask_time_prob
    model.config.mask_time_length = config.mask_time_length
    model.config.mask_feature_prob = config.mask_feature_prob
    model.config.mask_feature_length = config.mask_feature_length
    # Short windows have fewer frames than the default minimum number of masks needs.
    model.config.mask_time_min_masks = min(model.config.mask_time_min_masks, 1)

    generation = model.generation_config
    generation.language = config.language
    generation.task = "transcribe"
    generation.forced_decoder_ids = None
    model.config.forced_decoder_ids = None
    model.config.use_cache = False  # with gradient checkpointing; generation turns it back on
    if config.freeze_encoder:
        model.freeze_encoder()
    return model, processor
