"""How many seconds of audio a Whisper checkpoint hears at once, and running it on a shorter window.

Whisper's encoder reads a fixed window (30 s in every published checkpoint) however short the
clip: a one-word answer is padded with 29 s of silence, and the encoder's work grows with the
window. A shorter window is the encoder's positional table cut to it and the feature extractor
padding to it: the same weights do a fraction of the work. Checkpoints trained on a short window
(training/, `window_seconds`) carry it in their config; a stock checkpoint can be cut at load time
(SAGDET_WINDOW), which benchmarks/window.py measures before it is trusted.
"""

from __future__ import annotations

POSITIONS_PER_SECOND = 50  # 100 mel frames a second, halved by the encoder's strided convolution
# The longest answer a deck allows (40 characters) said slowly: espeak-ng -v sv at 80 words a
# minute takes 6.1 s for "ett kylskåp med frysfack och isbitsmaskin" (42 characters).
MIN_SECONDS = 6
# A stock 30 s checkpoint runs on this window unless SAGDET_WINDOW says otherwise: every clip the
# game hears fits (game.speech.audio keeps at most 10 s of speech), and on real whisper-base it kept
# the verdicts of the 30 s window at a quarter of the time (benchmarks/README.md, "Audio window").
STOCK_SECONDS = 10
STOCK_WINDOW = 30


class WindowError(ValueError):
    """A window the checkpoint cannot run on, in words for whoever runs the game."""


def checkpoint_seconds(config) -> float:
    """The window a checkpoint was trained on, from its config."""
    return config.max_source_positions / POSITIONS_PER_SECOND


def chosen_seconds(wanted: int | str, own: float) -> float:
    """The window to run on a checkpoint whose own is `own` seconds: `wanted` seconds, "own", or
    "auto" (the game's default: STOCK_SECONDS for a stock 30 s checkpoint, else its own).

    The settings refuse a window shorter than MIN_SECONDS (game.config); benchmarks may go below."""
    if wanted == "own":
        return own
    if wanted == "auto":
        return STOCK_SECONDS if own == STOCK_WINDOW else own
    if wanted > own:
        raise WindowError(
            f"the audio window (SAGDET_WINDOW) is {wanted} s, longer than this checkpoint's own {own:g} s; "
            f"a window can only be made shorter"
        )
    return wanted


def cut_window(model, feature_extractor, seconds: float) -> None:
    """Make `model` and `feature_extractor` hear `seconds` of audio (at most the checkpoint's own)."""
    import torch

    positions = round(seconds * POSITIONS_PER_SECOND)
    encoder = model.model.encoder
    current = encoder.embed_positions.weight.shape[0]
    if positions > current:
        raise WindowError(
            f"the checkpoint's window is {current / POSITIONS_PER_SECOND:g} s; it cannot grow to {seconds:g} s"
        )
    if positions < current:
        old = encoder.embed_positions.weight
        table = torch.nn.Embedding(positions, old.shape[1], dtype=old.dtype)
        table.weight.data.copy_(old.data[:positions])
        table.weight.requires_grad_(False)  # Whisper's positions are fixed sinusoids
        encoder.embed_positions = table
        model.config.max_source_positions = positions
        encoder.config.max_source_positions = positions
        encoder.max_source_positions = positions
    feature_extractor.chunk_length = seconds
    feature_extractor.n_samples = round(seconds * feature_extractor.sampling_rate)
    feature_extractor.nb_max_frames = feature_extractor.n_samples // feature_extractor.hop_length
