"""The play screen: a card's picture, the microphone and the answer box, the verdict, hints."""

from __future__ import annotations

from typing import TYPE_CHECKING

import gradio as gr

from game.round import hints, move, progress
from game.round.feedback import progress_text
from game.round.rounds import Round
from game.speech.audio import NothingHeard, read_audio_file
from game.texts import DEFAULT, language, say
from game.ui.context import SPEECH_EVENTS, learner_today
from game.ui.screen import PageParts, Screen

if TYPE_CHECKING:
    from game.ui.round_view import RoundView


def hint_label(game: Round | None, kind: str, xp: int, lang: str) -> str:
    """The button's text says what the hint costs now, or why it cannot be taken."""
    name = say(lang, f"hint_{kind}")
    if game is None or game.over:
        return name
    if kind != hints.HEAR and kind in game.hints:
        return f"{name} {say(lang, 'taken')}"
    cost = move.hint_cost(game, kind)
    if cost == 0:
        return f"{name} ({say(lang, 'free')})"
    if xp < cost:
        return f"{name} ({say(lang, 'too_dear', cost=cost, xp=xp)})"
    return f"{name} ({say(lang, 'costs', xp=cost)})"


class PlayScreen(Screen):
    def __init__(self, page: PageParts, rounds: RoundView):
        self.page, self.shared, self.rounds = page, page.shared, rounds
        sv = DEFAULT
        with gr.Column(visible=False, elem_id="play") as self.column:
            self.round_line = gr.Markdown(elem_id="progress")
            self.picture = gr.Image(
                type="pil",
                format="png",
                image_mode="RGBA",
                interactive=False,
                show_label=False,
                height=280,
                buttons=[],
                elem_id="picture",
                alt_text=say(sv, "picture_alt"),
            )
            self.prompt = gr.Markdown(say(sv, "prompt"))
            self.mic = gr.Audio(sources=["microphone"], type="filepath", label=say(sv, "mic"), elem_id="mic")
            self.mic_hint = gr.Markdown(say(sv, "mic_hint"), elem_id="mic-hint")
            with gr.Row(equal_height=True):
                self.typed = gr.Textbox(
                    label=say(sv, "typed_label"),
                    placeholder=say(sv, "typed_placeholder"),
                    scale=4,
                    elem_id="typed",
                    submit_btn=False,
                    max_length=move.MAX_TYPED_CHARS,
                )
                self.answer_btn = gr.Button(say(sv, "answer"), scale=1, min_width=100, elem_id="answer-btn")
            self.verdict = gr.HTML(elem_id="feedback")
            with gr.Row():
                self.try_again_btn = gr.Button(
                    say(sv, "try_again"), variant="primary", visible=False, elem_id="try-again-btn"
                )
                self.skip_btn = gr.Button(say(sv, "skip"), elem_id="skip-btn")
                self.next_btn = gr.Button(say(sv, "next"), variant="primary", visible=False, elem_id="next-btn")
                self.quit_btn = gr.Button(say(sv, "quit"), variant="secondary", size="sm", elem_id="quit-btn")
            self.help_heading = gr.Markdown(f"#### {say(sv, 'help_heading')}")
            with gr.Row():
                self.hint_btns = {
                    kind: gr.Button(hint_label(None, kind, 0, sv), size="sm", elem_id=f"hint-{kind.replace('_', '-')}")
                    for kind in (*hints.TEXT_HINTS, hints.HEAR)
                }
            self.hint_box = gr.HTML(elem_id="hints")
            self.hear_audio = gr.Audio(
                type="numpy",
                autoplay=True,
                interactive=False,
                visible=False,
                label=say(sv, "hear_label"),
                elem_id="hear-audio",
            )
            self.shortcuts = gr.Markdown(say(sv, "shortcuts"), elem_id="shortcuts")

    def picture_of(self, card) -> str | None:
        return self.shared.picture(card)

    def view(self, game: Round | None, message: str, learner: progress.Progress, lang: str, sound=None) -> dict:
        """The screen's cheap parts for this round: texts and buttons, sent with every move."""
        playing = game is not None and not game.over
        answered = playing and game.answered
        card = game.current if playing else None

        def hint_button(kind: str):
            # Shown while it can help (a bought hint stays, greyed out); enabled when it can be bought.
            if kind == hints.HEAR:
                shown = self.shared.pronouncer.can_say(card)
            else:
                shown = card is not None and hints.offered(card, kind) and not answered
            can_buy = playing and move.hint_open(game, kind) and learner.xp >= move.hint_cost(game, kind)
            return gr.update(
                value=hint_label(game, kind, learner.xp, lang), visible=bool(shown), interactive=bool(can_buy)
            )

        return {
            self.round_line: progress_text(game, lang) if playing else "",
            self.verdict: message,
            self.skip_btn: gr.update(visible=playing and not answered),
            self.next_btn: gr.update(visible=answered),
            self.typed: gr.update(value="", interactive=playing and not answered),
            self.answer_btn: gr.update(interactive=playing and not answered),
            self.mic: gr.update(value=None, interactive=playing and not answered),
            self.hint_box: hints.hint_html(card, game.hints, lang) if playing else "",
            self.hear_audio: gr.update(value=sound, visible=sound is not None),
            self.try_again_btn: gr.update(visible=playing and game.can_try_again),
            self.prompt: say(lang, "prompt_articles" if playing and game.articles else "prompt"),
            **{button: hint_button(kind) for kind, button in self.hint_btns.items()},
        }

    def labels(self, lang: str) -> dict:
        def t(key):
            return say(lang, key)

        return {
            self.picture: gr.update(alt_text=t("picture_alt")),
            self.mic: gr.update(label=t("mic")),
            self.mic_hint: t("mic_hint"),
            self.typed: gr.update(label=t("typed_label"), placeholder=t("typed_placeholder")),
            self.answer_btn: gr.update(value=t("answer")),
            self.skip_btn: gr.update(value=t("skip")),
            self.next_btn: gr.update(value=t("next")),
            self.try_again_btn: gr.update(value=t("try_again")),
            self.quit_btn: gr.update(value=t("quit")),
            self.help_heading: f"#### {t('help_heading')}",
            self.shortcuts: t("shortcuts"),
            self.hear_audio: gr.update(label=t("hear_label")),
        }

    def setup_events(self) -> None:
        view, session, visit = self.rounds, self.page.session, self.page.visit
        state, stored = session.game, session.stored
        listener, pronouncer = self.shared.listener, self.shared.pronouncer

        who_plays = session.player  # set when a round of a shared deck starts

        def no_round(learner, lang: str, today, message: str = "") -> dict:
            """A move in a session whose round this server does not have (the replica that had it
            stopped, or the server restarted): the start screen, with the learner's progress, and
            why, in a toast the start screen shows."""
            gr.Warning(say(lang, "round_lost"))
            return view.show(None, message, learner, lang, today, stored_before=learner)

        def a_move(play):
            """An event handler for a move on the card on screen: `play(game, value, learner, today,
            lang, who)` decides it (game.round.move); the page shows it and the class's results keep
            its answers."""

            def on_move(
                game: Round | None, who, value, data, lang: str = DEFAULT, day: str = "", request: gr.Request = None
            ):
                lang, today, learner = language(lang), learner_today(day), progress.load(data)
                self.shared.may_write(request, lang)  # an answer is a write: the class's results keep it
                if game is None:
                    return no_round(learner, lang, today)
                done = play(game, value, learner, today, lang, who)
                self.shared.keep(who, done.answers)
                return view.show_move(done, lang, today)

            return on_move

        def hear_file(game: Round, path: str | None, learner, today, lang: str, who):
            try:
                recording = read_audio_file(path) if path else None
            except NothingHeard:  # an empty or broken file: this learner is asked to say it again
                recording = None
            return move.play_spoken(game, recording, listener, learner, today, lang, who)

        on_typed = a_move(move.play_typed)
        on_recording = a_move(hear_file)
        skip_move = a_move(lambda game, _, learner, today, lang, who: move.play_skip(game, learner, today, lang, who))

        def on_skip(game: Round | None, who, data, lang: str = DEFAULT, day: str = "", request: gr.Request = None):
            return skip_move(game, who, None, data, lang, day, request)

        def on_next(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            lang, today, learner = language(lang), learner_today(day), progress.load(data)
            if game is None:
                return no_round(learner, lang, today)
            return view.show_move(move.play_next(game, learner, today), lang, today)

        def on_try_again(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            lang, today, learner = language(lang), learner_today(day), progress.load(data)
            if game is None:
                return no_round(learner, lang, today)
            return view.show_move(move.play_try_again(game, learner), lang, today)

        def hint_handler(kind: str):
            def on_hint(game: Round | None, data, message: str, lang: str = DEFAULT, day: str = ""):
                lang, today, learner = language(lang), learner_today(day), progress.load(data)
                if game is None:
                    return no_round(learner, lang, today, message)
                return view.show_move(move.play_hint(game, kind, learner, pronouncer, message, lang), lang, today)

            return on_hint

        out = view.outputs
        typed = [state, who_plays, self.typed, stored, *visit]
        self.typed.submit(on_typed, typed, out, api_visibility="private")
        self.answer_btn.click(on_typed, typed, out, api_name="answer_typed")
        spoken = [state, who_plays, self.mic, stored, *visit]
        self.mic.stop_recording(on_recording, spoken, out, api_name="answer_spoken", **SPEECH_EVENTS)
        self.skip_btn.click(on_skip, [state, who_plays, stored, *visit], out, api_name="skip")
        self.next_btn.click(on_next, [state, stored, *visit], out, api_name="next_card")
        self.try_again_btn.click(on_try_again, [state, stored, *visit], out, api_name="try_again")
        for kind, button in self.hint_btns.items():
            button.click(hint_handler(kind), [state, stored, self.verdict, *visit], out, api_name=f"hint_{kind}")
        self.quit_btn.click(view.leave, [state, stored, *visit], out, api_visibility="private")
