"""The summary screen: how the round went, and another one."""

from __future__ import annotations

import gradio as gr

from game.round import rounds
from game.round.feedback import summary_html
from game.round.rounds import Round
from game.texts import DEFAULT, say


class SummaryScreen:
    def __init__(self):
        with gr.Column(visible=False, elem_id="summary") as self.column:
            self.html = gr.HTML()
            self.again_btn = gr.Button(say(DEFAULT, "play_again"), variant="primary", elem_id="again-btn")

    @staticmethod
    def view(game: Round | None, lang: str) -> str:
        return summary_html(rounds.summary(game), lang) if game is not None and game.over else ""

    def labels(self, lang: str) -> dict:
        return {self.again_btn: gr.update(value=say(lang, "play_again"))}

    def wire(self, view, state, stored, visit: list) -> None:
        self.again_btn.click(view.leave, [state, stored, *visit], view.outputs, api_visibility="private")
