"""Every event of the page holds its inputs to their bounds before its handler runs: one place for
all of them, the API's and the browser's, those written later too.

- a text over its bound (game/client_text.py) is refused;
- a structured value over its shape's bound (game/client_values.py) is refused, except what a
  browser keeps for the page (gr.BrowserState: the learner's progress, their decks): that was
  written by the server in a shape far inside the bound, so one past it was made by hand, and the
  event goes on with the value's default, as for a new visitor;
- a handler that finds a finer bound passed raises `Refused`.

Each refusal is worded in the page's language when the event takes it, and nothing is changed.
"""

from __future__ import annotations

import copy
import functools
import logging
from collections.abc import Iterator

import gradio as gr

from game.client_text import bound_for, first_too_long
from game.client_values import Refused, oversized
from game.texts import DEFAULT, LANGUAGES, say

log = logging.getLogger(__name__)


def python_handlers(blocks: gr.Blocks) -> Iterator:
    """Each event whose handler runs here and takes its inputs one by one: the ones a wrapper around
    `block_fn.fn` sees every input of (a browser-only step has none; inputs as one dict are not wrapped)."""
    return (block_fn for block_fn in blocks.fns.values() if block_fn.fn is not None and not block_fn.inputs_as_dict)


def bound_every_text(blocks: gr.Blocks, lang_pick: gr.Radio) -> None:
    """Wrap each event's handler; the refusal is worded in the page's language when the event takes it."""
    for block_fn in python_handlers(blocks):
        inputs = block_fn.inputs
        bounds = [bound_for(getattr(component, "max_length", None)) for component in inputs]
        kept = {i: c.default_value for i, c in enumerate(inputs) if isinstance(c, gr.BrowserState)}
        sent = [i for i, c in enumerate(inputs) if not isinstance(c, gr.State)]  # gr.State is the server's own
        lang_at = next((i for i, component in enumerate(inputs) if component is lang_pick), None)
        block_fn.fn = _bounded(block_fn.fn, bounds, sent, kept, lang_at)


def _bounded(handler, bounds: list[int], sent: list[int], kept: dict[int, object], lang_at: int | None):
    # functools.wraps keeps the handler's signature visible (inspect follows __wrapped__): Gradio
    # reads it to pass gr.Request and friends, which arrive here after the inputs.
    @functools.wraps(handler)
    def bounded(*args, **kwargs):
        lang = args[lang_at] if lang_at is not None and lang_at < len(args) else DEFAULT
        lang = lang if lang in LANGUAGES else DEFAULT
        most = first_too_long(args, bounds)
        if most is not None:
            raise gr.Error(say(lang, "text_too_long", most=most))
        args = list(args)
        for i in (i for i in sent if i < len(args) and isinstance(args[i], (list, dict)) and oversized(args[i])):
            if i not in kept:
                raise gr.Error(say(lang, "value_too_big"))
            log.warning("%s: a browser's stored value past the bound on values' shape, read as none", handler.__name__)
            args[i] = copy.deepcopy(kept[i])
        try:
            return handler(*args, **kwargs)
        except Refused as refused:
            raise gr.Error(say(lang, refused.key, **refused.values)) from None

    return bounded
