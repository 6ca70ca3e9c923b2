"""The summary screen: how the round went, and another one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import gradio as gr

from game.round import rounds
from game.round.feedback import summary_html
from game.round.rounds import Round
from game.texts import DEFAULT, say
from game.ui.screen import PageParts, Screen

if TYPE_CHECKING:
    from game.ui.round_view import RoundView


class SummaryScreen(Screen):
    def __init__(self, page: PageParts, rounds: RoundView):
        self.page, self.rounds = page, rounds
        with gr.Column(visible=False, elem_id="summary") as self.column:
            self.html = gr.HTML()
            self.again_btn = gr.Button(say(DEFAULT, "play_again"), variant="primary", elem_id="again-btn")

    @staticmethod
    def view(game: Round | None, lang: str) -> str:
        return summary_html(rounds.summary(game), lang) if game is not None and game.over else ""

    def labels(self, lang: str) -> dict:
        return {self.again_btn: gr.update(value=say(lang, "play_again"))}

    def setup_events(self) -> None:
        session, view = self.page.session, self.rounds
        self.again_btn.click(
            view.leave, [session.game, session.stored, *self.page.visit], view.outputs, api_visibility="private"
        )
