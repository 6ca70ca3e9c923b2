"""The Gradio page, one module per screen; the game itself lives in plain modules beside it."""

from game.ui.context import SPEECH_BATCH
from game.ui.page import build_app, launch_options

__all__ = ["SPEECH_BATCH", "build_app", "launch_options"]
