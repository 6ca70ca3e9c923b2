"""The Play tab: its three screens (start, play, summary), which one shows the round, and what a
move changes on each of them."""

from __future__ import annotations

from datetime import date

import gradio as gr

from game.api import ROUND_OUTPUTS
from game.round import progress
from game.round.move import Move
from game.round.rounds import Round
from game.texts import DEFAULT, language
from game.ui.context import learner_today
from game.ui.play_screen import PlayScreen
from game.ui.screen import PageParts, Screen
from game.ui.start_screen import StartScreen
from game.ui.summary_screen import SummaryScreen

EVERYTHING = "everything"  # `show(before=EVERYTHING)`: the page shows nothing of the round yet


def screen_of(game: Round | None) -> str:
    return "start" if game is None else "summary" if game.over else "play"


class RoundView(Screen):
    """The start, play and summary screens seen as one: they are rendered here, in this order, and
    every round event's outputs are theirs."""

    def __init__(self, page: PageParts):
        self.session = session = page.session
        self.start = start = StartScreen(page, self)
        self.play = play = PlayScreen(page, self)
        self.summary = summary = SummaryScreen(page, self)
        api = {  # what an API caller receives, in game/api.py's order
            "progress": play.round_line,
            "picture": play.picture,
            "feedback": play.verdict,
            "typed": play.typed,
            "mic": play.mic,
            "summary": summary.html,
            "progress_summary": start.progress_summary,
            "mastery": start.mastery_plot,
            "stored": session.stored,
            "hints": play.hint_box,
            "hint_sound": play.hear_audio,
            "prompt": play.prompt,
        }
        assert tuple(api) == ROUND_OUTPUTS, "game/api.py names the API's outputs in order"
        # Then what the API leaves out (session state, layout, buttons): their place changes nothing for callers.
        layout = [session.game, start.column, play.column, summary.column]
        buttons = [play.skip_btn, play.next_btn, play.answer_btn, play.try_again_btn, *play.hint_btns.values()]
        self.outputs = [*api.values(), *layout, *buttons]

    def labels(self, lang: str, mine=()) -> dict:
        """`mine`: the shared decks this browser has opened (the start screen's deck list)."""
        return self.start.labels(lang, mine) | self.play.labels(lang) | self.summary.labels(lang)

    def setup_events(self) -> None:
        for screen in (self.start, self.play, self.summary):
            screen.setup_events()

    def show(
        self,
        game: Round | None,
        message: str,
        learner: progress.Progress,
        lang: str,
        today: date,
        sound=None,
        before: Round | str | None = EVERYTHING,
        stored_before: progress.Progress | None = None,
    ) -> dict:
        """What the page must change to show this round and learner, coming from the round
        `before` (EVERYTHING: a page that shows nothing yet). Cheap texts and buttons are always
        sent; the picture only when the card changes, the start screen's progress, chart and the
        summary only when their screen appears, the stored progress only when it changed."""
        everything = isinstance(before, str)
        changes = {self.session.game: game, **self.play.view(game, message, learner, lang, sound)}
        if everything or screen_of(before) != screen_of(game):
            changes |= {
                self.start.column: gr.update(visible=game is None),
                self.play.column: gr.update(visible=screen_of(game) == "play"),
                self.summary.column: gr.update(visible=screen_of(game) == "summary"),
                # Cheap, and they keep an API client's view of the page true to the screen shown.
                self.summary.html: self.summary.view(game, lang),
                self.play.picture: None,
            }
            if game is None:
                changes |= self.start.view(learner, today, lang)
        if screen_of(game) == "play" and (everything or screen_of(before) != "play" or before.current != game.current):
            changes[self.play.picture] = self.play.picture_of(game.current)
        if everything or learner != stored_before:
            changes[self.session.stored] = progress.dump(learner)  # so a reload finds it as it was
        return changes

    def leave(self, game: Round | None, data, lang: str = DEFAULT, day: str = "") -> dict:
        """Back to the start screen: "Avsluta" during a round, "Spela igen" after it."""
        learner = progress.load(data)
        return self.show(None, "", learner, language(lang), learner_today(day), before=game, stored_before=learner)

    def show_move(self, done: Move, lang: str, today: date) -> dict:
        """Show what a move decided (game.round.move): the round after it, its message, the progress."""
        return self.show(
            done.after,
            done.message,
            done.learner,
            lang,
            today,
            done.sound,
            before=done.before,
            stored_before=done.learner_before,
        )
