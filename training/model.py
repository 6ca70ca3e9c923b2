"""The model to fine-tune: a Whisper checkpoint set up for the recipe.

A short audio window (`window_seconds`) is cut as the game cuts one at load time
(game/speech/window.py) and saved with the checkpoint, so the game reads the window
from the checkpoint itself.
"""

from __future__ import annotations

from transformers import WhisperForConditionalGeneration, WhisperProcessor

from game.speech.window import checkpoint_seconds, cut_window
from training.config import TrainConfig


def load_for_training(config: TrainConfig) -> tuple[WhisperForConditionalGeneration, WhisperProcessor]:
    processor = WhisperProcessor.from_pretrained(config.base_model)
    model = WhisperForConditionalGeneration.from_pretrained(config.base_model)
    processor.tokenizer.set_prefix_tokens(language=config.language, task="transcribe", predict_timestamps=False)
    if config.window_seconds != checkpoint_seconds(model.config):
        cut_window(model, processor.feature_extractor, config.window_seconds)

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
