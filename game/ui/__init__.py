"""The Gradio page, one module per screen; the game itself lives in plain modules beside it."""

from game.ui.gradio_import import skip_gradio_stubs

skip_gradio_stubs()  # before the screens import gradio

from game.ui.page import build_app, launch_options  # noqa: E402

__all__ = ["build_app", "launch_options"]
