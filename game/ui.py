"""The Gradio page: layout and event wiring only. The game itself lives in plain modules."""

from __future__ import annotations

import atexit
import functools
import random
from datetime import date
from pathlib import Path

import gradio as gr
import pandas as pd

from game import hints, play, progress, session, teacher
from game.config import Settings
from game.deck import Deck, load_decks
from game.deck_upload import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES
from game.feedback import progress_text, summary_html
from game.picture_files import PictureFiles
from game.pronounce import Pronouncer
from game.session import Round
from game.speech import (
    BackgroundModel,
    Listener,
    ModelUnavailable,
    NothingHeard,
    Transcriber,
    read_audio_file,
    use_threads,
)
from game.texts import DEFAULT, LANGUAGES, language, say

# Recordings heard in one model call when several learners answer at once. One call at a
# time: the model already uses every core, and a batch costs less than its parts.
SPEECH_BATCH = 8
EVERYTHING = "everything"  # `show(before=EVERYTHING)`: the page shows nothing of the round yet
CSS = """
#picture img { object-fit: contain; }
.verdict { border-radius: 12px; padding: 0.8em 1.1em; margin-top: 0.5em; font-size: 1.1em; }
.verdict .headline { font-size: 1.6em; font-weight: 700; margin: 0 0 0.2em 0; }
.verdict.right { background: #e3f6e8; color: #14532d; }
.verdict.almost { background: #fff4d6; color: #713f12; }
.verdict.wrong, .verdict.skipped { background: #fde8e8; color: #7f1d1d; }
.verdict.notice { background: #e8eefc; color: #1e3a8a; }
.verdict mark { background: #fbbf24; color: #000; border-radius: 3px; padding: 0 1px; }
.verdict .diff { font-family: ui-monospace, monospace; font-size: 1.2em; letter-spacing: 0.05em; }
.summary table { width: 100%; border-collapse: collapse; }
.summary td, .summary th { padding: 0.3em 0.6em; border-bottom: 1px solid #ddd; text-align: left; }
.summary .headline { font-size: 1.5em; font-weight: 700; }
.summary tr.missed td:first-child { color: #b91c1c; }
#progress { font-size: 1.1em; }
.verdict .slip, .verdict .parts { margin: 0.2em 0; }
.hints { font-size: 1.15em; }
.hints .shape { font-family: ui-monospace, monospace; font-size: 1.4em; letter-spacing: 0.1em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
#mic button.record-button, #mic button.stop-button { min-height: 3.5em; min-width: 10em; font-size: 1.25em; }
#upload-report pre { white-space: pre-wrap; }
#shortcuts { font-size: 0.85em; opacity: 0.8; }
#language { max-width: 22em; }
/* A phone: one column, buttons big enough for a thumb, the record button full width. */
@media (max-width: 640px) {
  #picture img { max-height: 200px; }
  #mic .controls, #mic .controls .wrapper { flex-direction: column; align-items: stretch; width: 100%; }
  #mic button.record-button, #mic button.stop-button { width: 100%; min-height: 4em; margin: 0; }
  #mic label[data-testid="block-label"] { white-space: normal; margin-right: 2.5em; }
  #play button { min-height: 2.8em; }
  #shortcuts { display: none; }
}
"""
# Swedish locale dates are ISO dates: the learner's local day as YYYY-MM-DD. Replaces the last
# input of the event (the learner's day) before the server sees it.
WITH_TODAY_JS = "(...inputs) => [...inputs.slice(0, -1), new Date().toLocaleDateString('sv-SE')]"
# Keyboard play: Alt + a letter (a single letter would fire while typing the answer, and
# screen readers use bare letters to move around the page). event.code, not event.key:
# on a Mac, Alt+R types "®".
SHORTCUTS_JS = """
<script>
document.addEventListener("keydown", (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const targets = {
    KeyR: ["#mic button.record-button", "#mic button.stop-button"],
    KeyS: ["#skip-btn"], KeyN: ["#next-btn", "#again-btn", "#start-btn"], KeyA: ["#try-again-btn"],
    KeyH: ["#hint-hear"],
  }[event.code];
  if (!targets) return;
  for (const selector of targets) {
    const button = document.querySelector(selector);
    if (button && button.offsetParent !== null && !button.disabled) {
      event.preventDefault();
      button.click();
      return;
    }
  }
});
</script>
"""
DECK_GUIDES = {  # the teachers' guide to the deck format, in the page's language
    lang: Path(__file__).resolve().parent.parent / "assets" / "decks" / name
    for lang, name in (("sv", "README.sv.md"), ("en", "README.md"))
}


def deck_choices(decks: list[Deck], lang: str = DEFAULT) -> list[tuple[str, str]]:
    return [
        (f"{d.title}{f' · {d.level}' if d.level else ''} ({say(lang, 'deck_words', count=len(d.cards))})", d.id)
        for d in decks
    ]


def merge_updates(*parts: dict) -> dict:
    """Several {component: update} dicts in one; two updates of one component are combined."""

    def as_update(value):
        return value if isinstance(value, dict) and value.get("__type__") == "update" else gr.update(value=value)

    merged: dict = {}
    for part in parts:
        for component, value in part.items():
            merged[component] = {**as_update(merged[component]), **as_update(value)} if component in merged else value
    return merged


def screen_of(game: Round | None) -> str:
    return "start" if game is None else "summary" if game.over else "play"


def progress_markdown(learner: progress.Progress, today: date, lang: str = DEFAULT) -> str:
    streak = progress.current_streak(learner, today)
    words = sum(1 for w in learner.words.values() if w.right)
    days = say(lang, "day" if streak == 1 else "days")
    return say(lang, "progress_line", streak=streak, days=days, xp=learner.xp, words=words)


def problems_markdown(problems, lang: str = DEFAULT) -> str:
    if not problems:
        return ""
    lines = "\n".join(f"- `{p.text(lang)}`" for p in problems)
    return f"{say(lang, 'broken_decks')}\n{lines}"


def learner_today(day: str | None) -> date:
    """The learner's date as their browser gave it, when believable; the server's otherwise (API callers)."""
    return progress.learner_day(day, date.today())


def hint_label(game: Round | None, kind: str, lang: str) -> str:
    cost = play.hint_cost(game, kind) if game is not None else hints.COST[kind]
    return say(lang, f"hint_{kind}") + (f" ({say(lang, 'costs', xp=cost)})" if cost else "")


def build_app(
    settings: Settings, model: BackgroundModel | None = None, pronouncer: Pronouncer | None = None
) -> gr.Blocks:
    decks, problems = load_decks(settings.decks)
    by_id = {d.id: d for d in decks}
    use_threads(settings.threads)
    model = model or BackgroundModel(settings.model, loader=lambda name: Transcriber.load(name, settings.precision))
    pronouncer = pronouncer or Pronouncer()
    listener = Listener(model, (answer for d in decks for c in d.cards for answer in c.answers), max_batch=SPEECH_BATCH)
    pictures = PictureFiles()
    atexit.register(pictures.close)
    accepted = {c.word: c.also_accepted for d in decks for c in d.cards}
    guides = {lang: path.read_text(encoding="utf-8") for lang, path in DECK_GUIDES.items()}  # read once, shown often
    uploads = teacher.uploads_root()
    sv = DEFAULT

    with gr.Blocks(title="Säg det!", delete_cache=(3600, 3600)) as demo:
        state = gr.State(None)
        stored = gr.BrowserState(None, storage_key="sagdet-progress")  # XP, streak, mastery: this browser's
        stored_language = gr.BrowserState(DEFAULT, storage_key="sagdet-language")
        upload_state = gr.State(None, delete_callback=teacher.discard)
        # The learner's own date (their time zone decides when a day of the streak ends), set by
        # the browser when the page loads and at the start of each round.
        learner_day = gr.Textbox("", visible=False)
        with gr.Row(equal_height=True):
            title = gr.Markdown(say(sv, "title"))
            lang_pick = gr.Radio(
                [(name, code) for code, name in LANGUAGES.items()],
                value=DEFAULT,
                label=say(sv, "language"),
                elem_id="language",
                scale=0,
            )
        model_status = gr.Markdown(model.status().message, elem_id="model-status")
        timer = gr.Timer(1.0, active=model.status().state == "loading")  # polls the status while loading
        deck_problems = gr.Markdown(problems_markdown(problems), visible=bool(problems), elem_id="deck-problems")

        with gr.Tabs(selected="play") as tabs:
            with gr.Tab(say(sv, "tab_play"), id="play") as play_tab:
                with gr.Column(visible=True, elem_id="start") as start_screen:
                    deck_pick = gr.Dropdown(
                        deck_choices(decks),
                        value=decks[0].id if decks else None,
                        label=say(sv, "deck"),
                        elem_id="deck",
                    )
                    length_pick = gr.Slider(
                        3,
                        max(30, settings.round_length),
                        value=settings.round_length,
                        step=1,
                        label=say(sv, "cards"),
                        elem_id="length",
                    )
                    articles_pick = gr.Checkbox(False, label=say(sv, "articles_mode"), elem_id="articles")
                    with gr.Row():
                        # Enabled once the page has loaded the learner's progress: a round started
                        # before that would be replaced by the start screen when the load returns.
                        start_btn = gr.Button(
                            say(sv, "start"), variant="primary", elem_id="start-btn", interactive=False
                        )
                        review_btn = gr.Button(say(sv, "review"), elem_id="review-btn", interactive=False)
                    progress_summary = gr.Markdown(elem_id="progress-summary")
                    mastery_plot = gr.BarPlot(
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
                        reset_btn = gr.Button(say(sv, "reset"), size="sm", variant="secondary", elem_id="reset-btn")
                        confirm_reset_btn = gr.Button(
                            say(sv, "reset_yes"), size="sm", variant="stop", visible=False, elem_id="confirm-reset-btn"
                        )
                        cancel_reset_btn = gr.Button(
                            say(sv, "reset_no"), size="sm", visible=False, elem_id="cancel-reset-btn"
                        )

                with gr.Column(visible=False, elem_id="play") as play_screen:
                    round_line = gr.Markdown(elem_id="progress")
                    picture = gr.Image(
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
                    prompt = gr.Markdown(say(sv, "prompt"))
                    mic = gr.Audio(sources=["microphone"], type="filepath", label=say(sv, "mic"), elem_id="mic")
                    with gr.Row(equal_height=True):
                        typed = gr.Textbox(
                            label=say(sv, "typed_label"),
                            placeholder=say(sv, "typed_placeholder"),
                            scale=4,
                            elem_id="typed",
                            submit_btn=False,
                        )
                        answer_btn = gr.Button(say(sv, "answer"), scale=1, min_width=100, elem_id="answer-btn")
                    verdict = gr.HTML(elem_id="feedback")
                    with gr.Row():
                        try_again_btn = gr.Button(
                            say(sv, "try_again"), variant="primary", visible=False, elem_id="try-again-btn"
                        )
                        skip_btn = gr.Button(say(sv, "skip"), elem_id="skip-btn")
                        next_btn = gr.Button(say(sv, "next"), variant="primary", visible=False, elem_id="next-btn")
                        quit_btn = gr.Button(say(sv, "quit"), variant="secondary", size="sm", elem_id="quit-btn")
                    help_heading = gr.Markdown(f"#### {say(sv, 'help_heading')}")
                    with gr.Row():
                        hint_btns = {
                            kind: gr.Button(
                                hint_label(None, kind, sv), size="sm", elem_id=f"hint-{kind.replace('_', '-')}"
                            )
                            for kind in (*hints.TEXT_HINTS, hints.HEAR)
                        }
                    hint_box = gr.HTML(elem_id="hints")
                    hear_audio = gr.Audio(
                        type="numpy",
                        autoplay=True,
                        interactive=False,
                        visible=False,
                        label=say(sv, "hear_label"),
                        elem_id="hear-audio",
                    )
                    shortcuts = gr.Markdown(say(sv, "shortcuts"), elem_id="shortcuts")

                with gr.Column(visible=False, elem_id="summary") as summary_screen:
                    summary = gr.HTML()
                    again_btn = gr.Button(say(sv, "play_again"), variant="primary", elem_id="again-btn")

            with gr.Tab(say(sv, "tab_teacher"), id="teacher") as teacher_tab:
                teacher_help = gr.Markdown(say(sv, "teacher_help"))
                with gr.Accordion(say(sv, "deck_format"), open=False) as format_box:
                    format_doc = gr.Markdown(guides[sv], elem_id="deck-format")
                upload = gr.File(
                    file_count="multiple",
                    file_types=sorted(ALLOWED_SUFFIXES | {".zip"}),
                    label=say(sv, "upload"),
                    elem_id="upload",
                )
                upload_report = gr.Markdown(elem_id="upload-report")
                with gr.Row():
                    play_upload_btn = gr.Button(
                        say(sv, "play_upload"), variant="primary", visible=False, elem_id="play-upload-btn"
                    )
                    download_btn = gr.DownloadButton(say(sv, "download"), visible=False, elem_id="download-btn")
                upload_preview = gr.Gallery(
                    label=say(sv, "all_cards"),
                    columns=4,
                    object_fit="contain",
                    height="auto",
                    visible=False,
                    elem_id="upload-preview",
                )

        with gr.Row(visible=False):  # the stateless API endpoint's own inputs and output
            api_audio = gr.Audio(type="filepath", sources=["upload"])
            api_word = gr.Textbox()
            api_result = gr.JSON()
            api_btn = gr.Button()

        # Values first (they are the API's outputs, in this order), layout after.
        screen = [
            state,
            start_screen,
            play_screen,
            summary_screen,
            round_line,
            picture,
            verdict,
            skip_btn,
            next_btn,
            typed,
            answer_btn,
            mic,
            summary,
            progress_summary,
            mastery_plot,
            stored,
            hint_box,
            hear_audio,
            try_again_btn,
            prompt,
            *hint_btns.values(),
        ]

        def picture_of(card) -> str | None:
            try:
                return pictures(card.image)
            except OSError:  # an uploaded deck replaced mid-round: the round goes on without the picture
                return None

        def show(
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
            playing = game is not None and not game.over
            finished = game is not None and game.over
            answered = playing and game.answered
            card = game.current if playing else None
            everything = isinstance(before, str)

            def hint_button(kind: str):
                # Shown while it can help (a bought hint stays, greyed out); enabled when it can be bought.
                shown = (
                    pronouncer.can_say(card)
                    if kind == hints.HEAR
                    else (card is not None and hints.offered(card, kind) and not answered)
                )
                can_buy = playing and play.hint_open(game, kind) and learner.xp >= play.hint_cost(game, kind)
                return gr.update(value=hint_label(game, kind, lang), visible=bool(shown), interactive=bool(can_buy))

            changes = {
                state: game,
                round_line: progress_text(game, lang) if playing else "",
                verdict: message,
                skip_btn: gr.update(visible=playing and not answered),
                next_btn: gr.update(visible=answered),
                typed: gr.update(value="", interactive=playing and not answered),
                answer_btn: gr.update(interactive=playing and not answered),
                mic: gr.update(value=None, interactive=playing and not answered),
                hint_box: hints.hint_html(card, game.hints, lang) if playing else "",
                hear_audio: gr.update(value=sound, visible=sound is not None),
                try_again_btn: gr.update(visible=playing and game.can_try_again),
                prompt: say(lang, "prompt_articles" if playing and game.articles else "prompt"),
                **{button: hint_button(kind) for kind, button in hint_btns.items()},
            }
            if everything or screen_of(before) != screen_of(game):
                changes |= {
                    start_screen: gr.update(visible=game is None),
                    play_screen: gr.update(visible=playing),
                    summary_screen: gr.update(visible=finished),
                }
                if game is None:
                    changes |= {
                        progress_summary: progress_markdown(learner, today, lang),
                        mastery_plot: pd.DataFrame(progress.mastery_table(learner, decks)),
                    }
                # Cheap, and they keep an API client's view of the page true to the screen shown.
                changes |= {summary: summary_html(session.summary(game), lang) if finished else "", picture: None}
            if playing and (everything or screen_of(before) != "play" or before.current != card):
                changes[picture] = picture_of(card)
            if everything or learner != stored_before:
                changes[stored] = progress.dump(learner)  # so a reload finds it as it was
            return changes

        def moved(before: Round | None, after: Round | None, message: str, data, lang: str, today: date):
            """Show a move, with the learner's progress brought up to date by it."""
            learner = progress.load(data)
            updated = progress.after_move(learner, before, after, today)
            return show(after, message, updated, lang, today, before=before, stored_before=learner)

        def begin(deck_id: str, length: float, articles: bool, data, lang: str, day: str, weakest: bool):
            lang, today = language(lang), learner_today(day)
            deck = by_id.get(deck_id)
            if deck is None:
                raise gr.Error(say(lang, "pick_deck"))
            learner = progress.load(data)
            if weakest:
                order = progress.weakest(learner, deck, int(length), bool(articles))
            else:
                order = progress.plan_round(learner, deck, int(length), today, random.Random(), bool(articles))
            game = session.start_round(deck, order=order, articles=bool(articles)) if order else None
            if game is None:
                gr.Info(say(lang, "no_articles" if not deck.playable(bool(articles)) else "not_practised"))
            return show(game, "", learner, lang, today, before=None, stored_before=learner)

        def on_start(deck_id: str, length: float, data, articles: bool = False, lang: str = DEFAULT, day: str = ""):
            return begin(deck_id, length, articles, data, lang, day, weakest=False)

        def on_review(deck_id: str, length: float, data, articles: bool = False, lang: str = DEFAULT, day: str = ""):
            return begin(deck_id, length, articles, data, lang, day, weakest=True)

        def move(answer):
            """An event handler for a move on the card on screen: `answer(game, value, lang)` gives
            the round after it and what to tell the learner."""

            def on_move(game: Round | None, value, data, lang: str = DEFAULT, day: str = ""):
                lang, today = language(lang), learner_today(day)
                if game is None:  # the round was left (or never started) in this session
                    return show(None, "", progress.load(data), lang, today, before=None, stored_before=None)
                return moved(game, *answer(game, value, lang), data, lang, today)

            return on_move

        on_typed = move(lambda game, text, lang: play.answer_text(game, text, lang=lang))

        def hear_file(game: Round, path: str | None, lang: str):
            try:
                recording = read_audio_file(path) if path else None
            except NothingHeard:  # an empty or broken file: this learner is asked to say it again
                recording = None
            return play.answer_recording(game, recording, listener, lang)

        on_recording = move(hear_file)

        skip_move = move(lambda game, _, lang: play.skip_card(game, lang))

        def on_skip(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            return skip_move(game, None, data, lang, day)

        def on_next(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            return moved(game, session.next_card(game) if game else None, "", data, language(lang), learner_today(day))

        def on_try_again(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            learner = progress.load(data)
            again = session.try_again(game) if game else None
            return show(again, "", learner, language(lang), learner_today(day), before=game, stored_before=learner)

        def hint_handler(kind: str):
            def on_hint(game: Round | None, data, message: str, lang: str = DEFAULT, day: str = ""):
                lang, today = language(lang), learner_today(day)
                learner = progress.load(data)
                sound, notice, after, paid = None, "", game, learner
                if game is not None and kind == hints.HEAR:
                    after, paid, sound, notice = play.hear_word(game, learner, pronouncer, lang)
                elif game is not None:
                    after, paid, notice = play.take_hint(game, learner, kind, lang)
                return show(after, notice or message, paid, lang, today, sound, before=game, stored_before=learner)

            return on_hint

        def on_leave(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            learner = progress.load(data)
            return show(None, "", learner, language(lang), learner_today(day), before=game, stored_before=learner)

        def on_reset(lang: str, day: str):
            return show(None, "", progress.Progress(), language(lang), learner_today(day))

        def on_upload(files, previous: teacher.Upload | None, lang: str = DEFAULT):
            lang = language(lang)
            received = teacher.receive(files, uploads, previous)
            ready = received is not None and received.deck is not None
            return (
                received,
                teacher.report(received, lang),
                preview_gallery(received, lang),
                gr.Button(visible=ready),
                gr.DownloadButton(value=str(received.archive) if ready else None, visible=ready),
            )

        def on_play_upload(
            upload: teacher.Upload | None,
            length: float,
            data,
            articles: bool = False,
            lang: str = DEFAULT,
            day: str = "",
        ):
            lang, today = language(lang), learner_today(day)
            if upload is None or upload.deck is None:
                raise gr.Error(say(lang, "upload_first"))
            use_articles = bool(articles) and bool(upload.deck.playable(articles=True))
            game = session.start_round(upload.deck, int(length), random.Random(), articles=use_articles)
            return show(game, "", progress.load(data), lang, today) | {tabs: gr.Tabs(selected="play")}

        def on_check(audio_path: str | None, word: str) -> dict:
            """The stateless check, for one caller: whatever is wrong with their file or word is
            their own message, never anyone else's."""
            try:
                word = play.asked_word(word)
                recording = read_audio_file(audio_path) if audio_path else None
            except play.BadWord as exc:
                raise gr.Error(str(exc)) from exc
            except NothingHeard as exc:  # an empty file, or not a sound file at all
                return play.nothing_heard(word, exc)
            try:
                return play.check_answer(recording, word, listener, accepted)
            except ModelUnavailable as exc:
                raise gr.Error(str(exc)) from exc

        def on_status(lang: str = DEFAULT):
            status = model.status(language(lang))
            return status.message, gr.Timer(active=status.state == "loading")

        def preview_gallery(upload: teacher.Upload | None, lang: str) -> gr.Gallery:
            items = teacher.preview(upload, lang)
            return gr.Gallery(label=say(lang, "all_cards"), value=items, visible=bool(items))

        def relabel(lang: str, received: teacher.Upload | None = None) -> dict:
            """The page's own texts in `lang`; a teacher's upload is reported in it too."""
            t = functools.partial(say, lang)
            return {
                title: t("title"),
                lang_pick: gr.update(label=t("language")),
                play_tab: gr.update(label=t("tab_play")),
                teacher_tab: gr.update(label=t("tab_teacher")),
                deck_pick: gr.update(choices=deck_choices(decks, lang), label=t("deck")),
                length_pick: gr.update(label=t("cards")),
                articles_pick: gr.update(label=t("articles_mode")),
                start_btn: gr.update(value=t("start"), interactive=bool(decks)),
                review_btn: gr.update(value=t("review"), interactive=bool(decks)),
                mastery_plot: gr.update(title=t("chart_title"), x_title=t("chart_x"), y_title=t("chart_y")),
                reset_btn: gr.update(value=t("reset")),
                confirm_reset_btn: gr.update(value=t("reset_yes")),
                cancel_reset_btn: gr.update(value=t("reset_no")),
                picture: gr.update(alt_text=t("picture_alt")),
                mic: gr.update(label=t("mic")),
                typed: gr.update(label=t("typed_label"), placeholder=t("typed_placeholder")),
                answer_btn: gr.update(value=t("answer")),
                skip_btn: gr.update(value=t("skip")),
                next_btn: gr.update(value=t("next")),
                try_again_btn: gr.update(value=t("try_again")),
                quit_btn: gr.update(value=t("quit")),
                help_heading: f"#### {t('help_heading')}",
                shortcuts: t("shortcuts"),
                hear_audio: gr.update(label=t("hear_label")),
                again_btn: gr.update(value=t("play_again")),
                teacher_help: t("teacher_help"),
                format_box: gr.update(label=t("deck_format")),
                format_doc: guides[lang],
                upload: gr.update(label=t("upload")),
                play_upload_btn: gr.update(value=t("play_upload")),
                download_btn: gr.update(value=t("download")),
                upload_preview: preview_gallery(received, lang),
                upload_report: teacher.report(received, lang),
                deck_problems: problems_markdown(problems, lang),
            }

        def whole_page(lang: str, game: Round | None, data, day: str, received: teacher.Upload | None = None) -> dict:
            """Every text and the round's view in `lang`: for a page load and the language toggle."""
            status, timer_update = on_status(lang)
            view = show(game, "", progress.load(data), lang, learner_today(day))
            return merge_updates(relabel(lang, received), view) | {model_status: status, timer: timer_update}

        def on_language(lang: str, game: Round | None, data, day: str, received: teacher.Upload | None):
            """Switch the page's language, keeping the round (and the verdict on screen) as they are."""
            lang = language(lang)
            page = whole_page(lang, game, data, day, received)
            del page[verdict]
            return page | {stored_language: lang}

        def on_arrive(game: Round | None, data, lang, day: str):
            """A page (re)load: the stored language and progress, the start screen."""
            lang = language(lang)
            return whole_page(lang, None, data, day) | {lang_pick: lang, learner_day: day}

        page_outputs = list(dict.fromkeys([*relabel(DEFAULT), *screen, model_status, timer]))
        visit = [lang_pick, learner_day]  # the learner's language and date, last in every round event
        round_inputs = [stored, articles_pick, *visit]
        start_btn.click(
            on_start, [deck_pick, length_pick, *round_inputs], screen, api_name="start_round", js=WITH_TODAY_JS
        )
        review_btn.click(
            on_review, [deck_pick, length_pick, *round_inputs], screen, api_name="review_weak_words", js=WITH_TODAY_JS
        )
        typed.submit(on_typed, [state, typed, stored, *visit], screen, api_visibility="private")
        answer_btn.click(on_typed, [state, typed, stored, *visit], screen, api_name="answer_typed")
        # Not a Gradio batch (that would read every learner's round from the first one's session):
        # each learner's event is their own, and the Listener hears clips that arrive together in one
        # model call. Twice a batch may be in here at once, so the next batch gathers while one is
        # heard; beyond that a learner waits in Gradio's queue and sees their place in it.
        speech_events = {"concurrency_id": "speech", "concurrency_limit": 2 * SPEECH_BATCH}
        mic.stop_recording(
            on_recording, [state, mic, stored, *visit], screen, api_name="answer_spoken", **speech_events
        )
        skip_btn.click(on_skip, [state, stored, *visit], screen, api_name="skip")
        next_btn.click(on_next, [state, stored, *visit], screen, api_name="next_card")
        try_again_btn.click(on_try_again, [state, stored, *visit], screen, api_name="try_again")
        for kind, button in hint_btns.items():
            button.click(hint_handler(kind), [state, stored, verdict, *visit], screen, api_name=f"hint_{kind}")
        quit_btn.click(on_leave, [state, stored, *visit], screen, api_visibility="private")
        again_btn.click(on_leave, [state, stored, *visit], screen, api_visibility="private")
        confirm_buttons = [reset_btn, confirm_reset_btn, cancel_reset_btn]

        def asking(ask: bool):
            """The reset button, or in its place the question: yes / no."""
            return lambda: (gr.Button(visible=not ask), gr.Button(visible=ask), gr.Button(visible=ask))

        reset_btn.click(asking(True), None, confirm_buttons, api_visibility="private")
        cancel_reset_btn.click(asking(False), None, confirm_buttons, api_visibility="private")
        confirm_reset_btn.click(on_reset, visit, screen, api_visibility="private").then(
            asking(False),
            None,
            confirm_buttons,
            api_visibility="private",
        )
        lang_pick.input(
            on_language,
            [lang_pick, state, stored, learner_day, upload_state],
            [stored_language, *page_outputs],
            api_visibility="private",
        )
        upload.change(
            on_upload,
            [upload, upload_state, lang_pick],
            [upload_state, upload_report, upload_preview, play_upload_btn, download_btn],
            api_name="upload_deck",
        )
        play_upload_btn.click(
            on_play_upload, [upload_state, length_pick, *round_inputs], [*screen, tabs], api_name="play_uploaded_deck"
        )
        api_btn.click(on_check, [api_audio, api_word], api_result, api_name="check_answer", **speech_events)

        timer.tick(on_status, [lang_pick], [model_status, timer], api_visibility="private", show_progress="hidden")
        demo.load(
            on_arrive,
            [state, stored, stored_language, learner_day],
            [lang_pick, learner_day, *page_outputs],
            api_visibility="private",
            js=WITH_TODAY_JS,
        )

    demo.queue(default_concurrency_limit=8)
    return demo


def launch_options() -> dict:
    """Arguments for demo.launch(): the look of the page."""
    return {
        "css": CSS,
        "head": SHORTCUTS_JS,
        "theme": gr.themes.Soft(primary_hue="blue", secondary_hue="amber"),
        "max_file_size": MAX_UPLOAD_BYTES,  # refused before it reaches the unpacker
    }
