"""The Gradio page: layout and event wiring only. The game itself lives in plain modules."""

from __future__ import annotations

import atexit
import functools
import random
import shutil
import tempfile
from datetime import date
from pathlib import Path

import gradio as gr
import pandas as pd

from game import hints, play, progress, session, teacher
from game.config import Settings
from game.deck import Deck, load_decks
from game.deck_upload import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES
from game.feedback import progress_text, summary_html
from game.media import display_picture
from game.pronounce import Pronouncer
from game.session import Round
from game.speech import BackgroundModel, Listener, ModelUnavailable, Transcriber, read_audio_file
from game.texts import DEFAULT, LANGUAGES, language, say

# Recordings heard in one model call when several learners answer at once. One call at a
# time: the model already uses every core, and a batch costs less than its parts.
SPEECH_BATCH = 8
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


def picture_of(game: Round):
    """The card's picture as pixels, upright and square: served under a random name, because a
    file called hund.png would give the answer away."""
    try:
        return display_picture(game.current.image)
    except OSError:  # an uploaded deck replaced mid-round: the round goes on without the picture
        return None


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
    """The learner's date as their browser gave it; the server's when there is none (API callers)."""
    try:
        return date.fromisoformat(str(day))
    except ValueError:
        return date.today()


def hint_label(game: Round | None, kind: str, lang: str) -> str:
    cost = play.hint_cost(game, kind) if game is not None else hints.COST[kind]
    return say(lang, f"hint_{kind}") + (f" ({say(lang, 'costs', xp=cost)})" if cost else "")


def build_app(settings: Settings, model: BackgroundModel | None = None, pronouncer: Pronouncer | None = None) -> gr.Blocks:
    decks, problems = load_decks(settings.decks)
    by_id = {d.id: d for d in decks}
    model = model or BackgroundModel(settings.model, loader=lambda name: Transcriber.load(name, settings.precision))
    pronouncer = pronouncer or Pronouncer()
    listener = Listener(model, (answer for d in decks for c in d.cards for answer in c.answers))
    accepted = {c.word: c.also_accepted for d in decks for c in d.cards}
    guides = {lang: path.read_text(encoding="utf-8") for lang, path in DECK_GUIDES.items()}  # read once, shown often
    uploads = Path(tempfile.mkdtemp(prefix="sagdet-uploads-"))
    atexit.register(shutil.rmtree, uploads, ignore_errors=True)
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
                [(name, code) for code, name in LANGUAGES.items()], value=DEFAULT, label=say(sv, "language"),
                elem_id="language", scale=0,
            )
        model_status = gr.Markdown(model.status().message, elem_id="model-status")
        timer = gr.Timer(1.0, active=model.status().state == "loading")  # polls the status while loading
        deck_problems = gr.Markdown(problems_markdown(problems), visible=bool(problems), elem_id="deck-problems")

        with gr.Tabs(selected="play") as tabs:
            with gr.Tab(say(sv, "tab_play"), id="play") as play_tab:
                with gr.Column(visible=True, elem_id="start") as start_screen:
                    deck_pick = gr.Dropdown(
                        deck_choices(decks), value=decks[0].id if decks else None, label=say(sv, "deck"),
                        elem_id="deck",
                    )
                    length_pick = gr.Slider(
                        3, max(30, settings.round_length), value=settings.round_length, step=1,
                        label=say(sv, "cards"), elem_id="length",
                    )
                    articles_pick = gr.Checkbox(False, label=say(sv, "articles_mode"), elem_id="articles")
                    with gr.Row():
                        # Enabled once the page has loaded the learner's progress: a round started
                        # before that would be replaced by the start screen when the load returns.
                        start_btn = gr.Button(say(sv, "start"), variant="primary", elem_id="start-btn",
                                              interactive=False)
                        review_btn = gr.Button(say(sv, "review"), elem_id="review-btn", interactive=False)
                    progress_summary = gr.Markdown(elem_id="progress-summary")
                    mastery_plot = gr.BarPlot(
                        x="deck", y="mastery", y_lim=[0, 100], title=say(sv, "chart_title"),
                        x_title=say(sv, "chart_x"), y_title=say(sv, "chart_y"), elem_id="mastery", height=220,
                        x_label_angle=-30,
                    )
                    with gr.Row():
                        reset_btn = gr.Button(say(sv, "reset"), size="sm", variant="secondary", elem_id="reset-btn")
                        confirm_reset_btn = gr.Button(say(sv, "reset_yes"), size="sm", variant="stop", visible=False,
                                                      elem_id="confirm-reset-btn")
                        cancel_reset_btn = gr.Button(say(sv, "reset_no"), size="sm", visible=False,
                                                     elem_id="cancel-reset-btn")

                with gr.Column(visible=False, elem_id="play") as play_screen:
                    round_line = gr.Markdown(elem_id="progress")
                    picture = gr.Image(
                        type="pil", format="png", image_mode="RGBA", interactive=False, show_label=False,
                        height=280, buttons=[], elem_id="picture", alt_text=say(sv, "picture_alt"),
                    )
                    prompt = gr.Markdown(say(sv, "prompt"))
                    mic = gr.Audio(sources=["microphone"], type="numpy", label=say(sv, "mic"), elem_id="mic")
                    with gr.Row(equal_height=True):
                        typed = gr.Textbox(
                            label=say(sv, "typed_label"), placeholder=say(sv, "typed_placeholder"), scale=4,
                            elem_id="typed", submit_btn=False,
                        )
                        answer_btn = gr.Button(say(sv, "answer"), scale=1, min_width=100, elem_id="answer-btn")
                    verdict = gr.HTML(elem_id="feedback")
                    with gr.Row():
                        try_again_btn = gr.Button(say(sv, "try_again"), variant="primary", visible=False,
                                                  elem_id="try-again-btn")
                        skip_btn = gr.Button(say(sv, "skip"), elem_id="skip-btn")
                        next_btn = gr.Button(say(sv, "next"), variant="primary", visible=False, elem_id="next-btn")
                        quit_btn = gr.Button(say(sv, "quit"), variant="secondary", size="sm", elem_id="quit-btn")
                    help_heading = gr.Markdown(f"#### {say(sv, 'help_heading')}")
                    with gr.Row():
                        hint_btns = {
                            kind: gr.Button(hint_label(None, kind, sv), size="sm", elem_id=f"hint-{kind.replace('_', '-')}")
                            for kind in (*hints.TEXT_HINTS, hints.HEAR)
                        }
                    hint_box = gr.HTML(elem_id="hints")
                    hear_audio = gr.Audio(
                        type="numpy", autoplay=True, interactive=False, visible=False, label=say(sv, "hear_label"),
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
                    file_count="multiple", file_types=sorted(ALLOWED_SUFFIXES | {".zip"}),
                    label=say(sv, "upload"), elem_id="upload",
                )
                upload_report = gr.Markdown(elem_id="upload-report")
                with gr.Row():
                    play_upload_btn = gr.Button(say(sv, "play_upload"), variant="primary", visible=False,
                                                elem_id="play-upload-btn")
                    download_btn = gr.DownloadButton(say(sv, "download"), visible=False, elem_id="download-btn")
                upload_preview = gr.Gallery(
                    label=say(sv, "all_cards"), columns=4, object_fit="contain", height="auto", visible=False,
                    elem_id="upload-preview",
                )

        with gr.Row(visible=False):  # the stateless API endpoint's own inputs and output
            api_audio = gr.Audio(type="filepath", sources=["upload"])
            api_word = gr.Textbox()
            api_result = gr.JSON()
            api_btn = gr.Button()

        # Values first (they are the API's outputs, in this order), layout after.
        screen = [state, start_screen, play_screen, summary_screen, round_line, picture, verdict,
                  skip_btn, next_btn, typed, answer_btn, mic, summary, progress_summary, mastery_plot, stored,
                  hint_box, hear_audio, try_again_btn, prompt, *hint_btns.values()]

        def show(game: Round | None, message: str, learner: progress.Progress, lang: str, today: date, sound=None):
            """Every output of the page for this round and learner; the learner's progress is
            written back to the browser each time, so a reload finds it as it was."""
            playing = game is not None and not game.over
            finished = game is not None and game.over
            answered = playing and game.answered
            card = game.current if playing else None

            def hint_button(kind: str):
                # Shown while it can help (a bought hint stays, greyed out); enabled when it can be bought.
                shown = pronouncer.can_say(card) if kind == hints.HEAR else (
                    card is not None and hints.offered(card, kind) and not answered)
                can_buy = playing and play.hint_open(game, kind) and learner.xp >= play.hint_cost(game, kind)
                return gr.Button(value=hint_label(game, kind, lang), visible=bool(shown), interactive=bool(can_buy))

            return (
                game,
                gr.Column(visible=game is None),
                gr.Column(visible=playing),
                gr.Column(visible=finished),
                progress_text(game, lang) if playing else "",
                picture_of(game) if playing else None,
                message,
                gr.Button(visible=playing and not answered),
                gr.Button(visible=answered),
                gr.Textbox(value="", interactive=playing and not answered),
                gr.Button(interactive=playing and not answered),
                gr.Audio(value=None, interactive=playing and not answered),
                summary_html(session.summary(game), lang) if finished else "",
                progress_markdown(learner, today, lang),
                pd.DataFrame(progress.mastery_table(learner, decks)),
                progress.dump(learner),
                hints.hint_html(card, game.hints, lang) if playing else "",
                gr.Audio(value=sound, visible=sound is not None),
                gr.Button(visible=playing and game.can_try_again),
                say(lang, "prompt_articles" if playing and game.articles else "prompt"),
                *(hint_button(kind) for kind in hint_btns),
            )

        def moved(before: Round | None, after: Round | None, message: str, data, lang: str, today: date):
            """Show a move, with the learner's progress brought up to date by it."""
            learner = progress.after_move(progress.load(data), before, after, today)
            return show(after, message, learner, lang, today)

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
            if not order:
                gr.Info(say(lang, "no_articles" if not deck.playable(bool(articles)) else "not_practised"))
                return show(None, "", learner, lang, today)
            return show(session.start_round(deck, order=order, articles=bool(articles)), "", learner, lang, today)

        def on_start(deck_id: str, length: float, data, articles: bool = False, lang: str = DEFAULT, day: str = ""):
            return begin(deck_id, length, articles, data, lang, day, weakest=False)

        def on_review(deck_id: str, length: float, data, articles: bool = False, lang: str = DEFAULT, day: str = ""):
            return begin(deck_id, length, articles, data, lang, day, weakest=True)

        def on_typed(game: Round | None, text: str, data, lang: str = DEFAULT, day: str = ""):
            lang, today = language(lang), learner_today(day)
            if game is None:
                return show(None, "", progress.load(data), lang, today)
            return moved(game, *play.answer_text(game, text, lang=lang), data, lang, today)

        def on_recordings(games: list[Round | None], recordings: list, datas: list, langs: list, days: list):
            """Gradio batches the recordings of learners who stop at the same moment: one model call."""
            langs = [language(lang) for lang in langs]
            todays = [learner_today(day) for day in days]
            playing = [i for i, game in enumerate(games) if game is not None]
            answered = play.answer_recordings(
                [games[i] for i in playing], [recordings[i] for i in playing], listener, [langs[i] for i in playing]
            )
            screens = [show(None, "", progress.load(d), lang, today) for d, lang, today in zip(datas, langs, todays)]
            for i, result in zip(playing, answered):
                screens[i] = moved(games[i], *result, datas[i], langs[i], todays[i])
            return [list(column) for column in zip(*screens)]

        def on_skip(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            lang, today = language(lang), learner_today(day)
            if game is None:
                return show(None, "", progress.load(data), lang, today)
            return moved(game, *play.skip_card(game, lang), data, lang, today)

        def on_next(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            return moved(game, session.next_card(game) if game else None, "", data, language(lang), learner_today(day))

        def on_try_again(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            again = session.try_again(game) if game else None
            return show(again, "", progress.load(data), language(lang), learner_today(day))

        def hint_handler(kind: str):
            def on_hint(game: Round | None, data, message: str, lang: str = DEFAULT, day: str = ""):
                lang, today = language(lang), learner_today(day)
                learner = progress.load(data)
                if game is None:
                    return show(None, "", learner, lang, today)
                if kind == hints.HEAR:
                    after, learner, sound, notice = play.hear_word(game, learner, pronouncer, lang)
                    return show(after, notice or message, learner, lang, today, sound)
                after, learner, notice = play.take_hint(game, learner, kind, lang)
                return show(after, notice or message, learner, lang, today)
            return on_hint

        def on_leave(game: Round | None, data, lang: str = DEFAULT, day: str = ""):
            return show(None, "", progress.load(data), language(lang), learner_today(day))

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

        def on_play_upload(upload: teacher.Upload | None, length: float, data, articles: bool = False,
                           lang: str = DEFAULT, day: str = ""):
            lang, today = language(lang), learner_today(day)
            if upload is None or upload.deck is None:
                raise gr.Error(say(lang, "upload_first"))
            use_articles = bool(articles) and bool(upload.deck.playable(articles=True))
            game = session.start_round(upload.deck, int(length), random.Random(), articles=use_articles)
            return (*show(game, "", progress.load(data), lang, today), gr.Tabs(selected="play"))

        def on_checks(audio_paths: list[str | None], words: list[str]) -> list[list[dict]]:
            if not all(word and word.strip() for word in words):
                raise gr.Error("Ange målordet (word).")
            words = [word.strip() for word in words]
            recordings = [read_audio_file(path) if path else None for path in audio_paths]
            try:
                return [play.check_answers(recordings, words, listener, accepted)]
            except ModelUnavailable as exc:
                raise gr.Error(str(exc)) from exc

        def on_status(lang: str = DEFAULT):
            status = model.status(language(lang))
            return status.message, gr.Timer(active=status.state == "loading")

        # The page's own texts, and the report on a teacher's upload, for the language toggle.
        labelled = [title, lang_pick, play_tab, teacher_tab, deck_pick, length_pick, articles_pick, start_btn,
                    review_btn, mastery_plot, reset_btn, confirm_reset_btn, cancel_reset_btn, picture, mic, typed,
                    answer_btn, skip_btn, next_btn, try_again_btn, quit_btn, help_heading, shortcuts, hear_audio,
                    again_btn, teacher_help, format_box, format_doc, upload, play_upload_btn, download_btn,
                    upload_preview, upload_report, deck_problems]

        def preview_gallery(upload: teacher.Upload | None, lang: str) -> gr.Gallery:
            items = teacher.preview(upload, lang)
            return gr.Gallery(label=say(lang, "all_cards"), value=items, visible=bool(items))

        def relabel(lang: str, upload: teacher.Upload | None = None) -> list:
            """The page's own texts in `lang`; a teacher's upload is reported in it too."""
            lang = language(lang)
            t = functools.partial(say, lang)
            return [
                t("title"), gr.Radio(label=t("language")), gr.Tab(label=t("tab_play")), gr.Tab(label=t("tab_teacher")),
                gr.Dropdown(choices=deck_choices(decks, lang), label=t("deck")), gr.Slider(label=t("cards")),
                gr.Checkbox(label=t("articles_mode")), gr.Button(t("start"), interactive=bool(decks)),
                gr.Button(t("review"), interactive=bool(decks)),
                gr.BarPlot(title=t("chart_title"), x_title=t("chart_x"), y_title=t("chart_y")),
                gr.Button(t("reset")), gr.Button(t("reset_yes")), gr.Button(t("reset_no")),
                gr.Image(alt_text=t("picture_alt")), gr.Audio(label=t("mic")),
                gr.Textbox(label=t("typed_label"), placeholder=t("typed_placeholder")), gr.Button(t("answer")),
                gr.Button(t("skip")), gr.Button(t("next")), gr.Button(t("try_again")), gr.Button(t("quit")),
                f"#### {t('help_heading')}", t("shortcuts"), gr.Audio(label=t("hear_label")), gr.Button(t("play_again")),
                t("teacher_help"), gr.Accordion(label=t("deck_format")), guides[lang], gr.File(label=t("upload")),
                gr.Button(t("play_upload")), gr.DownloadButton(t("download")), preview_gallery(upload, lang),
                teacher.report(upload, lang), problems_markdown(problems, lang),
            ]

        def on_language(lang: str, game: Round | None, data, day: str, upload: teacher.Upload | None):
            """Switch the page's language, keeping the round (and the verdict on screen) as they are."""
            lang = language(lang)
            screen_now = show(game, "", progress.load(data), lang, learner_today(day))
            kept = [value for component, value in zip(screen, screen_now) if component is not verdict]
            return [lang, *relabel(lang, upload), *kept, *on_status(lang)]

        def on_arrive(game: Round | None, data, lang, day: str):
            """A page (re)load: the stored language and progress, the start screen."""
            lang, today = language(lang), learner_today(day)
            return [lang, day, *relabel(lang), *show(None, "", progress.load(data), lang, today), *on_status(lang)]

        visit = [lang_pick, learner_day]  # the learner's language and date, last in every round event
        round_inputs = [stored, articles_pick, *visit]
        start_btn.click(on_start, [deck_pick, length_pick, *round_inputs], screen, api_name="start_round",
                        js=WITH_TODAY_JS)
        review_btn.click(on_review, [deck_pick, length_pick, *round_inputs], screen, api_name="review_weak_words",
                         js=WITH_TODAY_JS)
        typed.submit(on_typed, [state, typed, stored, *visit], screen, api_visibility="private")
        answer_btn.click(on_typed, [state, typed, stored, *visit], screen, api_name="answer_typed")
        mic.stop_recording(
            on_recordings, [state, mic, stored, *visit], screen, api_name="answer_spoken",
            batch=True, max_batch_size=SPEECH_BATCH, concurrency_id="speech", concurrency_limit=1,
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
            asking(False), None, confirm_buttons, api_visibility="private",
        )
        lang_pick.input(
            on_language, [lang_pick, state, stored, learner_day, upload_state],
            [stored_language, *labelled, *[c for c in screen if c is not verdict], model_status, timer],
            api_visibility="private",
        )
        upload.change(
            on_upload, [upload, upload_state, lang_pick],
            [upload_state, upload_report, upload_preview, play_upload_btn, download_btn], api_name="upload_deck",
        )
        play_upload_btn.click(
            on_play_upload, [upload_state, length_pick, *round_inputs], [*screen, tabs], api_name="play_uploaded_deck"
        )
        api_btn.click(
            on_checks, [api_audio, api_word], api_result, api_name="check_answer",
            batch=True, max_batch_size=SPEECH_BATCH, concurrency_id="speech", concurrency_limit=1,
        )

        timer.tick(on_status, [lang_pick], [model_status, timer], api_visibility="private", show_progress="hidden")
        demo.load(on_arrive, [state, stored, stored_language, learner_day],
                  [lang_pick, learner_day, *labelled, *screen, model_status, timer], api_visibility="private",
                  js=WITH_TODAY_JS)

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
