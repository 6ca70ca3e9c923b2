"""The contract every part of the page keeps, after Gradio's own ChatInterface.

- `__init__(page, ...)` gets everything the screen needs: the page's parts (`PageParts`: what the
  server shares, this session's values, the language toggle) and the screens it shows things on.
  It renders the screen's components; no attribute is made later.
- `labels(lang)` gives the screen's texts in `lang` (with the session's values it words them by,
  as keywords, where its texts depend on them); the page sets them on arrival and at the language
  toggle. What a screen shows from its own state (the editor's table, the class's results) is
  worded again by `reword(lang, *values)`, from the values of its `reword_inputs`, into its
  `reword_outputs`: the page's one language event calls it, so that no two events change one
  component at once.
- `setup_events()` wires the screen's own events. The page calls it on every screen once all of
  them are rendered: a round event changes all three Play screens, so none of them can be wired
  before the last one is drawn.

A screen changes only its own components. What another screen shows is asked of that screen,
through its methods (`TeacherTab.show_upload`, `ShareBox.upload_changed`, `RoundView.show`).
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from game.ui.context import Session, Shared


@dataclass(frozen=True)
class PageParts:
    """What every screen may need, made before any screen is rendered."""

    shared: Shared  # the server's decks, model, stores: the same for every visitor
    session: Session  # this visitor's values (round, progress, upload, …)
    lang_pick: gr.Radio  # the page's language toggle

    @property
    def visit(self) -> list:
        """The learner's language and date: the last inputs of every round event."""
        return [self.lang_pick, self.session.day]


def unchanged() -> dict:
    """What an event returns when it changes nothing (a warning said why). Gradio reads an empty
    dict as no outputs at all and fails the event, and its inputs then show "Error" until a reload."""
    return gr.skip()


class Screen:
    """A part of the page; see this module's docstring for the contract."""

    def labels(self, lang: str) -> dict:
        return {}

    @property
    def reword_inputs(self) -> list:
        return []

    @property
    def reword_outputs(self) -> list:
        return []

    def reword(self, lang: str, *values) -> dict:
        return {}

    def setup_events(self) -> None:
        pass
