"""The start screen: pick a deck and a round, see your progress, start over if you like."""

from __future__ import annotations

import random
from datetime import date
from html import escape
from typing import TYPE_CHECKING

import gradio as gr
import pandas as pd

from game.decks import my_decks
from game.decks.deck import Deck
from game.decks.store import StoreError
from game.results import answers
from game.round import progress, rounds
from game.texts import DEFAULT, language, say
from game.ui.context import learner_today
from game.ui.screen import PageParts, Screen, unchanged
from game.ui.style import with_today_at

if TYPE_CHECKING:
    from game.ui.round_view import RoundView


def deck_choices(decks: list[Deck], lang: str = DEFAULT, mine=()) -> list[tuple[str, str]]:
    """The built-in decks, then the published ones this browser has opened (by class code)."""
    built_in = [
        (f"{d.title}{f' · {d.level}' if d.level else ''} ({say(lang, 'deck_words', count=len(d.cards))})", d.id)
        for d in decks
    ]
    shared = [(f"{m['title']} · {say(lang, 'class_code_tag', code=m['code'])}", m["code"]) for m in my_decks.load(mine)]
    return built_in + shared


def progress_markdown(learner: progress.Progress, today: date, lang: str = DEFAULT) -> str:
    streak = progress.current_streak(learner, today)
    words = sum(1 for w in learner.words.values() if w.right)
    days = say(lang, "day" if streak == 1 else "days")
    return say(lang, "progress_line", streak=streak, days=days, xp=learner.xp, words=words)


class StartScreen(Screen):
    def __init__(self, page: PageParts, rounds: RoundView):
        self.page, self.shared, self.session, self.rounds = page, page.shared, page.session, rounds
        sv, settings, decks = DEFAULT, page.shared.settings, page.shared.decks
        with gr.Column(visible=True, elem_id="start") as self.column:
            self.deck_pick = gr.Dropdown(
                deck_choices(decks),
                value=decks[0].id if decks else None,
                label=say(sv, "deck"),
                elem_id="deck",
                allow_custom_value=True,  # an API caller may name a published deck by its class code
            )
            with gr.Row(equal_height=True):
                self.code_box = gr.Textbox(
                    label=say(sv, "class_code"),
                    placeholder=say(sv, "class_code_placeholder"),
                    max_lines=1,
                    scale=3,
                    elem_id="class-code",
                )
                self.code_btn = gr.Button(say(sv, "open_code"), scale=1, min_width=100, elem_id="open-code-btn")
            # Shown when a shared deck is picked: its answers go to the class's results.
            with gr.Group(visible=False) as self.nickname_box:
                self.nickname = gr.Textbox(
                    "",  # a value, so the API's callers may leave it out
                    label=say(sv, "nickname"),
                    placeholder=say(sv, "nickname_placeholder"),
                    max_lines=1,
                    max_length=answers.NICKNAME_CHARS,
                    elem_id="nickname",
                )
                self.nickname_note = gr.Markdown(self.note(sv), elem_id="nickname-note")
            self.length_pick = gr.Slider(
                3,
                max(30, settings.round_length),
                value=settings.round_length,
                step=1,
                label=say(sv, "cards"),
                elem_id="length",
            )
            self.articles_pick = gr.Checkbox(False, label=say(sv, "articles_mode"), elem_id="articles")
            with gr.Row():
                # Enabled once the page has loaded the learner's progress: a round started
                # before that would be replaced by the start screen when the load returns.
                self.start_btn = gr.Button(say(sv, "start"), variant="primary", elem_id="start-btn", interactive=False)
                self.review_btn = gr.Button(say(sv, "review"), elem_id="review-btn", interactive=False)
            self.progress_summary = gr.Markdown(elem_id="progress-summary")
            self.mastery_plot = gr.BarPlot(
                x="deck",
                y="mastery",
                y_lim=[0, 100],
                title=say(sv, "chart_title"),
                x_title=say(sv, "chart_x"),
                y_title=say(sv, "chart_y"),
                elem_id="mastery",
                height=220,
                x_label_angle=-30,
            )
            with gr.Row():
                self.reset_btn = gr.Button(say(sv, "reset"), size="sm", variant="secondary", elem_id="reset-btn")
                self.confirm_reset_btn = gr.Button(
                    say(sv, "reset_yes"), size="sm", variant="stop", visible=False, elem_id="confirm-reset-btn"
                )
                self.cancel_reset_btn = gr.Button(
                    say(sv, "reset_no"), size="sm", visible=False, elem_id="cancel-reset-btn"
                )

    def view(self, learner: progress.Progress, today: date, lang: str) -> dict:
        """The learner's progress, as the screen shows it when it appears."""
        return {
            self.progress_summary: progress_markdown(learner, today, lang),
            self.mastery_plot: pd.DataFrame(progress.mastery_table(learner, self.shared.decks)),
        }

    def picked(self, learner: progress.Progress, mine=()) -> dict:
        """A returning learner's deck list opens on the deck they played last, if it is still in it."""
        ids = {deck.id for deck in self.shared.decks} | {m["code"] for m in my_decks.load(mine)}
        return {self.deck_pick: gr.update(value=learner.last_deck)} if learner.last_deck in ids else {}

    def labels(self, lang: str, mine=()) -> dict:
        t, playable = (lambda key: say(lang, key)), bool(self.shared.decks) or bool(my_decks.load(mine))
        return {
            self.deck_pick: gr.update(choices=deck_choices(self.shared.decks, lang, mine), label=t("deck")),
            self.code_box: gr.update(label=t("class_code"), placeholder=t("class_code_placeholder")),
            self.code_btn: gr.update(value=t("open_code")),
            self.nickname: gr.update(label=t("nickname"), placeholder=t("nickname_placeholder")),
            self.nickname_note: self.note(lang),
            self.length_pick: gr.update(label=t("cards")),
            self.articles_pick: gr.update(label=t("articles_mode")),
            self.start_btn: gr.update(value=t("start"), interactive=playable),
            self.review_btn: gr.update(value=t("review"), interactive=playable),
            self.mastery_plot: gr.update(title=t("chart_title"), x_title=t("chart_x"), y_title=t("chart_y")),
            self.reset_btn: gr.update(value=t("reset")),
            self.confirm_reset_btn: gr.update(value=t("reset_yes")),
            self.cancel_reset_btn: gr.update(value=t("reset_no")),
        }

    def open_code(self, code: str, mine, lang: str, request: gr.Request | None) -> dict:
        """A class code typed in, or a `?deck=CODE` link: the deck joins this browser's list, picked."""
        lang = language(lang)
        try:
            info = self.shared.published().info(code, caller=self.shared.caller(request))
        except StoreError as exc:
            gr.Warning(exc.text(lang))
            return {}
        mine = my_decks.remember(mine, info.code, info.title)
        gr.Info(say(lang, "code_opened", title=escape(info.title), cards=info.cards))  # a toast renders HTML
        return {
            self.session.my_decks: mine,
            self.deck_pick: gr.update(choices=deck_choices(self.shared.decks, lang, mine), value=info.code),
            self.code_box: "",
            self.start_btn: gr.update(interactive=True),
            self.review_btn: gr.update(interactive=True),
        }

    def note(self, lang: str) -> str:
        return say(lang, "nickname_note", days=self.shared.settings.results_days)

    def shared_deck(self, deck_id) -> bool:
        return bool(deck_id) and str(deck_id) not in self.shared.by_id

    def who_plays(self, deck: Deck, nickname, browser_id) -> dict:
        """Who plays a round of a shared deck, for its results; the nickname and id this browser keeps."""
        browser_id = answers.anonymous_id(browser_id)
        name = answers.clean_nickname(nickname)
        who = answers.player(deck.id, name, browser_id) if self.shared_deck(deck.id) else None
        return {self.session.player: who, self.session.nickname: name, self.session.learner_id: browser_id}

    def nickname_view(self, deck_id, remembered, typed: str) -> dict:
        """The nickname field, shown with what is kept when a shared deck is picked; the browser's nickname in it."""
        return {
            self.nickname_box: gr.update(visible=self.shared_deck(deck_id) and self.shared.writer is not None),
            self.nickname: typed or answers.clean_nickname(remembered),
        }

    def begin(self, deck_id, length, articles, data, lang, day, weakest: bool, identity=("", ""), request=None):
        """Start a round; `identity`: the nickname typed and the browser's anonymous id (for a shared deck)."""
        lang, today = language(lang), learner_today(day)
        if not deck_id:
            raise gr.Error(say(lang, "pick_deck"))
        try:
            deck = self.shared.deck(str(deck_id), self.shared.caller(request))
        except StoreError as exc:
            raise gr.Error(exc.text(lang)) from exc
        learner = progress.load(data)
        if weakest:
            order = progress.weakest(learner, deck, int(length), bool(articles))
        else:
            order = progress.plan_round(learner, deck, int(length), today, random.Random(), bool(articles))
        game = rounds.start_round(deck, order=order, articles=bool(articles)) if order else None
        if game is None:
            gr.Info(say(lang, "no_articles" if not deck.playable(bool(articles)) else "not_practised"))
        return self.rounds.show(game, "", learner, lang, today, before=None, stored_before=learner) | self.who_plays(
            deck, *identity
        )

    @property
    def round_inputs(self) -> list:
        """What starting a round takes besides the deck: stored progress, article mode, language and day."""
        return [self.session.stored, self.articles_pick, *self.page.visit]

    def setup_events(self) -> None:
        view, visit, mine = self.rounds, self.page.visit, self.session.my_decks  # mine: the shared decks opened here

        def starter(weakest: bool):
            def on_start(
                deck_id: str,
                length: float,
                data,
                articles=False,
                lang=DEFAULT,
                day="",
                nickname="",
                learner_id=None,  # None: the client may leave it out (Gradio reads this default)
                request: gr.Request = None,
            ):
                identity = (nickname, learner_id)
                return self.begin(deck_id, length, articles, data, lang, day, weakest, identity, request)

            return on_start

        def on_code(code: str, mine_now, lang: str = DEFAULT, request: gr.Request = None):
            return self.open_code(code, mine_now, lang, request) or unchanged()  # a wrong code changes nothing

        def on_reset(lang: str, day: str):
            return view.show(None, "", progress.Progress(), language(lang), learner_today(day))

        def asking(ask: bool):
            """The reset button, or in its place the question: yes / no."""
            return lambda: {
                self.reset_btn: gr.update(visible=not ask),
                self.confirm_reset_btn: gr.update(visible=ask),
                self.cancel_reset_btn: gr.update(visible=ask),
            }

        opened = [mine, self.deck_pick, self.code_box, self.start_btn, self.review_btn]
        code_inputs = [self.code_box, mine, visit[0]]
        self.code_btn.click(on_code, code_inputs, opened, api_visibility="private")
        self.code_box.submit(on_code, code_inputs, opened, api_visibility="private")
        # The nickname and the browser's id come last, so a program's calls without them keep their places.
        picked = [
            self.deck_pick,
            self.length_pick,
            *self.round_inputs,
            self.nickname,
            self.session.learner_id,
        ]
        today_js = with_today_at(picked.index(visit[-1]))
        playing = [*view.outputs, self.session.player, self.session.nickname, self.session.learner_id]
        self.start_btn.click(starter(False), picked, playing, api_name="start_round", js=today_js)
        self.review_btn.click(starter(True), picked, playing, api_name="review_weak_words", js=today_js)
        self.deck_pick.change(
            self.nickname_view,
            [self.deck_pick, self.session.nickname, self.nickname],
            [self.nickname_box, self.nickname],
            api_visibility="private",
            show_progress="hidden",
        )
        confirm = [self.reset_btn, self.confirm_reset_btn, self.cancel_reset_btn]
        self.reset_btn.click(asking(True), None, confirm, api_visibility="private")
        self.cancel_reset_btn.click(asking(False), None, confirm, api_visibility="private")
        self.confirm_reset_btn.click(on_reset, visit, view.outputs, api_visibility="private").then(
            asking(False), None, confirm, api_visibility="private"
        )
