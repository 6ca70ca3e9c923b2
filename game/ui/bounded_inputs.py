"""Every event of the page refuses a text input over its bound (game/client_text.py) before its
handler runs: one place for all of them, the API's and the browser's, those written later too."""

from __future__ import annotations

import functools

import gradio as gr

from game.client_text import bound_for, first_too_long
from game.texts import DEFAULT, LANGUAGES, say


def bound_every_text(blocks: gr.Blocks, lang_pick: gr.Radio) -> None:
    """Wrap each event's handler; the refusal is worded in the page's language when the event takes it."""
    for block_fn in blocks.fns.values():
        if block_fn.fn is None or block_fn.inputs_as_dict:  # a browser-only step, or inputs as one dict
            continue
        bounds = [bound_for(getattr(component, "max_length", None)) for component in block_fn.inputs]
        lang_at = next((i for i, component in enumerate(block_fn.inputs) if component is lang_pick), None)
        block_fn.fn = _bounded(block_fn.fn, bounds, lang_at)


def _bounded(handler, bounds: list[int], lang_at: int | None):
    # functools.wraps keeps the handler's signature visible (inspect follows __wrapped__): Gradio
    # reads it to pass gr.Request and friends, which arrive here after the inputs.
    @functools.wraps(handler)
    def bounded(*args, **kwargs):
        most = first_too_long(args, bounds)
        if most is not None:
            lang = args[lang_at] if lang_at is not None and lang_at < len(args) else DEFAULT
            raise gr.Error(say(lang if lang in LANGUAGES else DEFAULT, "text_too_long", most=most))
        return handler(*args, **kwargs)

    return bounded
