"""The Teacher tab's "Klassens resultat": how the class did on a shared deck, read with the code and
edit key already in the share box's fields (ShareBox.code / ShareBox.key).

A chart of the words by how often the class said them right at the first try, a table per
learner, what was heard instead of each hard word, a date filter, a CSV download, and deleting
every result (asked twice). The figures come from game/results/figures.py.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Collection
from datetime import UTC, date, datetime, tzinfo
from html import escape
from pathlib import Path

import gradio as gr
import pandas as pd

from game.decks.store import StoreError, normalise_code
from game.results import figures
from game.results.answers import Answer
from game.temporary import age
from game.texts import DEFAULT, language, number, say
from game.ui.board_view import BoardButton
from game.ui.screen import PageParts, Screen
from game.ui.share_box import ShareBox

CSV_FOLDER = Path(tempfile.gettempdir()) / "sagdet-class-results"
CSV_KEPT_S = 3600  # long enough for the browser to fetch it
# The teacher's time zone as the browser knows it, added to the show button's inputs.
WITH_ZONE_JS = "(...values) => [...values.slice(0, -1), Intl.DateTimeFormat().resolvedOptions().timeZone]"
BANDS = (("band_hard", 50, "#d9534f"), ("band_middle", 80, "#f0ad4e"), ("band_easy", 101, "#5cb85c"))


def band(percent: int, lang: str) -> str:
    """Which of three colours a word's bar gets: below 50 %, below 80 %, the rest."""
    return next(say(lang, key) for key, below, _ in BANDS if percent < below)


def chart_table(answers: list[Answer], lang: str) -> pd.DataFrame:
    rows = [
        {
            "word": r.word,
            "percent": r.first_try_percent,
            "band": band(r.first_try_percent, lang),
            "tries": r.first_tries,
        }
        for r in figures.by_word(answers)
        if r.first_try_percent is not None
    ]
    return pd.DataFrame(rows, columns=["word", "percent", "band", "tries"])


def learner_name(learner: str, named: bool, lang: str) -> str:
    return learner if named else say(lang, "results_anonymous", id=learner[:6])


def learner_table(
    answers: list[Answer], lang: str, zone: tzinfo = UTC, words: Collection[str] | None = None
) -> pd.DataFrame:
    """One row a learner; `words`: the deck's cards now, against which their words right are counted."""
    right = say(lang, "results_col_right_of", cards=len(words)) if words else say(lang, "results_col_right")
    columns = [say(lang, "results_col_learner"), right, say(lang, "results_col_rounds")]
    columns += [say(lang, key) for key in ("results_col_answers", "results_col_last")]
    rows = [
        [
            learner_name(r.learner, r.named, lang),
            r.words_right,
            r.rounds,
            r.answers,
            f"{r.last_played.astimezone(zone):%Y-%m-%d %H:%M}",
        ]
        for r in figures.by_learner(answers, words)
    ]
    return pd.DataFrame(rows, columns=columns)


def instead_text(instead: figures.Instead, lang: str) -> str:
    """'*hönd* 7 times', or '*hnud* typed once'."""
    key = "results_heard_typed" if instead.typed else "results_heard"
    key += "_once" if instead.times == 1 else "_times"
    return say(lang, key, heard=escape(instead.text), times=instead.times)


def heard_markdown(answers: list[Answer], lang: str) -> str:
    """'**hund** (33 % first try): *hönd* 7 times, *hand* typed once', the hardest words first."""
    heard = figures.heard_instead(answers)
    lines = []
    for word in figures.by_word(answers):
        if word.word not in heard:
            continue
        found = ", ".join(instead_text(instead, lang) for instead in heard[word.word])
        lines.append(f"- **{escape(word.word)}** ({word.first_try_percent} %): {found}")
    if not lines:
        return ""
    return f"#### {say(lang, 'results_heard_title')}\n" + "\n".join(lines)


def gone_markdown(answers: list[Answer], words: Collection[str] | None, lang: str) -> str:
    """What became of answers to words the deck no longer has (a card renamed or removed since)."""
    gone = figures.gone_words(answers, words)
    if not gone:
        return ""
    listed = ", ".join(f"*{escape(word)}*" for word in gone)
    return say(lang, "results_gone", answers=number(lang, sum(gone.values())), words=listed)


def csv_file(code: str, answers: list[Answer]) -> str:
    """The answers as a CSV file to download (with a BOM, so a spreadsheet reads å, ä and ö right)."""
    CSV_FOLDER.mkdir(parents=True, exist_ok=True)
    for old in CSV_FOLDER.iterdir():  # each download's own folder, made below
        if age(old) > CSV_KEPT_S:
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(dir=CSV_FOLDER))
    path = folder / f"klassresultat-{code}-{datetime.now(UTC):%Y%m%d}.csv"
    path.write_text(figures.to_csv(answers), encoding="utf-8-sig")
    return str(path)


class ClassResultsView(Screen):
    """`share`: the share box, whose class code and edit key it reads."""

    def __init__(self, page: PageParts, share: ShareBox):
        self.page, self.shared, self.share, sv = page, page.shared, share, DEFAULT
        self.board = BoardButton(share.code, share.key, page.lang_pick)  # in view after sharing, not folded away
        with gr.Accordion(say(sv, "results_title"), open=False, elem_id="class-results") as self.box:
            self.help = gr.Markdown(say(sv, "results_help"))
            since, until = figures.example_days(date.today())
            with gr.Row(equal_height=True):
                self.since = gr.Textbox(label=say(sv, "results_since"), placeholder=since, max_lines=1)
                self.until = gr.Textbox(label=say(sv, "results_until"), placeholder=until, max_lines=1)
                self.show_btn = gr.Button(say(sv, "results_show"), variant="primary", elem_id="results-btn")
            self.report = gr.Markdown(elem_id="results-report")
            self.chart = gr.BarPlot(
                x="word",
                y="percent",
                color="band",
                color_title=say(sv, "results_band"),
                color_map={say(lang, key): colour for lang in ("sv", "en") for key, _, colour in BANDS},
                y_lim=[0, 100],
                sort="y",
                title=say(sv, "results_chart"),
                x_title=say(sv, "results_chart_x"),
                y_title=say(sv, "results_chart_y"),
                x_label_angle=-30,
                height=260,
                visible=False,
                elem_id="results-chart",
            )
            self.learners = gr.Dataframe(interactive=False, visible=False, elem_id="results-learners")
            self.heard = gr.Markdown(elem_id="results-heard")
            with gr.Row():
                self.csv_btn = gr.DownloadButton(say(sv, "results_csv"), visible=False, elem_id="results-csv")
                self.delete_btn = gr.Button(say(sv, "results_delete"), variant="stop", visible=False)
                self.confirm_btn = gr.Button(say(sv, "results_delete_yes"), variant="stop", visible=False)
                self.cancel_btn = gr.Button(say(sv, "reset_no"), visible=False)
            self.zone = gr.Textbox(visible=False)
            # What is on screen (code, key, since, until, zone): a switch of language words it again.
            self.query = gr.State(None)
        self.shown = [self.report, self.chart, self.learners, self.heard, self.csv_btn, self.delete_btn]

    def labels(self, lang: str) -> dict:
        def t(key):
            return say(lang, key)

        since, until = figures.example_days(date.today())  # a page (re)load: this month's, not the server start's
        return self.board.labels(lang) | {
            self.box: gr.update(label=t("results_title")),
            self.help: t("results_help"),
            self.since: gr.update(label=t("results_since"), placeholder=since),
            self.until: gr.update(label=t("results_until"), placeholder=until),
            self.show_btn: gr.update(value=t("results_show")),
            self.chart: gr.update(
                title=t("results_chart"),
                x_title=t("results_chart_x"),
                y_title=t("results_chart_y"),
                color_title=t("results_band"),
            ),
            self.csv_btn: gr.update(label=t("results_csv")),  # a DownloadButton's value is its file
            self.delete_btn: gr.update(value=t("results_delete")),
            self.confirm_btn: gr.update(value=t("results_delete_yes")),
            self.cancel_btn: gr.update(value=t("reset_no")),
        }

    def nothing(self, message: str) -> dict:
        """Only a message: a wrong key, a bad date, a database that does not answer."""
        hidden = gr.update(visible=False)
        return {self.report: message, self.chart: hidden, self.learners: hidden, self.heard: ""} | {
            self.csv_btn: hidden,
            self.delete_btn: hidden,
        }

    def show(
        self, code: str, edit_key: str, since: str, until: str, lang: str, zone_name: str = "", buttons: bool = True
    ) -> dict:
        """The results, with dates and times in the teacher's time zone (`zone_name`, from the browser);
        `buttons`: also the CSV download (a file written) and the delete button."""
        lang, zone = language(lang), figures.time_zone(zone_name)
        try:
            first, last = figures.parse_day(since), figures.parse_day(until)
        except ValueError:
            return self.nothing(say(lang, "results_bad_date"))
        try:
            results = self.shared.results()
            kept, words = results.answers(edit_key, code), results.words(edit_key, code)
        except StoreError as exc:
            return self.nothing(say(lang, "results_wrong_key") if exc.key == "wrong_key" else escape(exc.text(lang)))
        answers = figures.within(kept, first, last, zone)
        code = normalise_code(code) or code
        if not answers:
            return self.nothing(say(lang, "results_none", code=code)) | {self.delete_btn: gr.update(visible=bool(kept))}
        learners = len({(a.learner, a.named) for a in answers})
        report = say(lang, "results_report", code=code, answers=number(lang, len(answers)), learners=learners)
        report += " " + say(lang, "results_zone", zone=escape(str(zone)))
        current = figures.in_deck(answers, words)  # the chart and what was said: the deck's words now
        updates = {
            self.report: "\n\n".join(filter(None, (report, gone_markdown(answers, words, lang)))),
            self.chart: gr.update(value=chart_table(current, lang), visible=True),
            self.learners: gr.update(value=learner_table(answers, lang, zone, words), visible=True),
            self.heard: heard_markdown(current, lang) or say(lang, "results_heard_none"),
        }
        if not buttons:
            return updates
        return updates | {
            self.csv_btn: gr.update(value=csv_file(code, answers), visible=True),
            self.delete_btn: gr.update(visible=True),
        }

    def delete(self, code: str, edit_key: str, lang: str) -> dict:
        lang = language(lang)
        try:
            gone = self.shared.results().delete(edit_key, code)
        except StoreError as exc:
            return self.nothing(escape(exc.text(lang)))
        return self.nothing(say(lang, "results_deleted", count=number(lang, gone))) | {self.query: None}

    @property
    def reword_inputs(self) -> list:
        return [self.query]

    @property
    def reword_outputs(self) -> list:
        return self.shown

    def reword(self, lang: str, query: tuple | None) -> dict:
        """The results on screen, again in the page's new language (nothing when none are shown).
        The buttons are left as they are (the CSV does not change with the language; the delete
        button may be asking "delete all?"), except that a CSV goes when its results have gone."""
        if not query:
            return {}
        code, edit_key, since, until, zone = query
        updates = self.show(code, edit_key, since, until, lang, zone, buttons=False)
        updates.pop(self.delete_btn, None)
        return updates

    def setup_events(self) -> None:
        lang_pick = self.page.lang_pick
        self.board.setup_events()

        def on_show(code: str, edit_key: str, since: str = "", until: str = "", lang: str = DEFAULT, zone: str = ""):
            return self.show(code, edit_key, since, until, lang, zone) | {
                self.query: (code, edit_key, since, until, zone)
            }

        def asking(ask: bool):
            """The delete button, or in its place the question: yes / no."""
            return lambda: {
                self.delete_btn: gr.update(visible=not ask),
                self.confirm_btn: gr.update(visible=ask),
                self.cancel_btn: gr.update(visible=ask),
            }

        key = [self.share.code, self.share.key]
        confirm = [self.delete_btn, self.confirm_btn, self.cancel_btn]
        self.show_btn.click(
            on_show,
            [*key, self.since, self.until, lang_pick, self.zone],
            [*self.shown, self.query],
            js=WITH_ZONE_JS,
            api_visibility="private",
        )
        self.delete_btn.click(asking(True), None, confirm, api_visibility="private")
        self.cancel_btn.click(asking(False), None, confirm, api_visibility="private")
        self.confirm_btn.click(
            self.delete, [*key, lang_pick], [*self.shown, self.query], api_visibility="private"
        ).then(
            lambda: {self.confirm_btn: gr.update(visible=False), self.cancel_btn: gr.update(visible=False)},
            None,
            [self.confirm_btn, self.cancel_btn],
            api_visibility="private",
        )
