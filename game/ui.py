"""The Gradio page: layout and event wiring only. The game itself lives in plain modules."""

from __future__ import annotations

import atexit
import random
import shutil
import tempfile
from datetime import date
from pathlib import Path

import gradio as gr
import pandas as pd

from game import play, progress, session, teacher
from game.config import Settings
from game.deck import Deck, load_decks
from game.deck_upload import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES
from game.feedback import progress_text, summary_html
from game.media import display_picture
from game.session import Round
from game.speech import BackgroundModel, Listener, ModelUnavailable, Transcriber, read_audio_file

PROMPT = "### Vad heter det på svenska?"
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
#mic button { min-height: 3em; font-size: 1.1em; }
#upload-report pre { white-space: pre-wrap; }
"""
TEACHER_HELP = """\
### Prova en egen kortlek
Ladda upp kortleken som en **.zip** (YAML-filen och bilderna), eller välj YAML-filen och bilderna
tillsammans. Du ser direkt vad som är fel — fil, rad och vad — eller alla kort. Kortleken finns bara
här, i din webbläsarflik.
"""
DECK_FORMAT = Path(__file__).resolve().parent.parent / "assets" / "decks" / "README.md"


def deck_choices(decks: list[Deck]) -> list[tuple[str, str]]:
    return [(f"{d.title}{f' · {d.level}' if d.level else ''} ({len(d.cards)} ord)", d.id) for d in decks]


def picture_of(game: Round):
    """The card's picture as pixels, upright and square: served under a random name, because a
    file called hund.png would give the answer away."""
    try:
        return display_picture(game.current.image)
    except OSError:  # an uploaded deck replaced mid-round: the round goes on without the picture
        return None


def progress_markdown(learner: progress.Progress, today: date) -> str:
    streak = progress.current_streak(learner, today)
    days = "dag" if streak == 1 else "dagar"
    words = sum(1 for w in learner.words.values() if w.right)
    return f"🔥 **{streak}** {days} i rad · ⭐ **{learner.xp}** XP · 📚 **{words}** ord sagda rätt"


def problems_markdown(problems) -> str:
    if not problems:
        return ""
    lines = "\n".join(f"- `{p}`" for p in problems)
    return f"**Några kortlekar kunde inte laddas och hoppas över:**\n{lines}"


def build_app(settings: Settings, model: BackgroundModel | None = None) -> gr.Blocks:
    decks, problems = load_decks(settings.decks)
    by_id = {d.id: d for d in decks}
    model = model or BackgroundModel(settings.model, loader=lambda name: Transcriber.load(name, settings.precision))
    listener = Listener(model, (answer for d in decks for c in d.cards for answer in c.answers))
    accepted = {c.word: c.also_accepted for d in decks for c in d.cards}
    uploads = Path(tempfile.mkdtemp(prefix="sagdet-uploads-"))
    atexit.register(shutil.rmtree, uploads, ignore_errors=True)

    with gr.Blocks(title="Säg det!", delete_cache=(3600, 3600)) as demo:
        state = gr.State(None)
        stored = gr.BrowserState(None, storage_key="sagdet-progress")  # XP, streak, mastery: this browser's
        upload_state = gr.State(None, delete_callback=teacher.discard)
        gr.Markdown("# Säg det! 🇸🇪\nSe bilden, säg ordet på svenska.")
        model_status = gr.Markdown(model.status().message, elem_id="model-status")
        gr.Markdown(problems_markdown(problems), visible=bool(problems), elem_id="deck-problems")

        with gr.Tabs(selected="play") as tabs:
            with gr.Tab("Spela", id="play"):
                with gr.Column(visible=True, elem_id="start") as start_screen:
                    deck_pick = gr.Dropdown(
                        deck_choices(decks), value=decks[0].id if decks else None, label="Kortlek", elem_id="deck"
                    )
                    length_pick = gr.Slider(
                        3, max(30, settings.round_length), value=settings.round_length, step=1,
                        label="Antal kort", elem_id="length",
                    )
                    with gr.Row():
                        start_btn = gr.Button("Starta", variant="primary", elem_id="start-btn",
                                              interactive=bool(decks))
                        review_btn = gr.Button("Öva på svåra ord", elem_id="review-btn", interactive=bool(decks))
                    progress_summary = gr.Markdown(elem_id="progress-summary")
                    mastery_plot = gr.BarPlot(
                        x="deck", y="mastery", y_lim=[0, 100], title="Hur väl du kan varje kortlek (%)",
                        x_title="Kortlek", y_title="Behärskning %", elem_id="mastery", height=220,
                    )
                    with gr.Row():
                        reset_btn = gr.Button("Nollställ mina framsteg…", size="sm", variant="secondary",
                                              elem_id="reset-btn")
                        confirm_reset_btn = gr.Button("Ja, radera allt", size="sm", variant="stop", visible=False,
                                                      elem_id="confirm-reset-btn")
                        cancel_reset_btn = gr.Button("Avbryt", size="sm", visible=False, elem_id="cancel-reset-btn")

                with gr.Column(visible=False, elem_id="play") as play_screen:
                    round_line = gr.Markdown(elem_id="progress")
                    picture = gr.Image(
                        type="pil", format="png", image_mode="RGBA", interactive=False, show_label=False,
                        height=280, buttons=[], elem_id="picture", alt_text="Bilden du ska säga ordet för",
                    )
                    gr.Markdown(PROMPT)
                    mic = gr.Audio(
                        sources=["microphone"], type="numpy", label="Säg ordet: tryck Record, säg det, tryck Stop",
                        elem_id="mic",
                    )
                    with gr.Row(equal_height=True):
                        typed = gr.Textbox(
                            label="… eller skriv svaret", placeholder="Skriv ordet här", scale=4, elem_id="typed",
                            submit_btn=False,
                        )
                        answer_btn = gr.Button("Svara", scale=1, elem_id="answer-btn")
                    verdict = gr.HTML(elem_id="feedback")
                    with gr.Row():
                        skip_btn = gr.Button("Hoppa över", elem_id="skip-btn")
                        next_btn = gr.Button("Nästa ›", variant="primary", visible=False, elem_id="next-btn")
                        quit_btn = gr.Button("Avsluta rundan", variant="secondary", size="sm", elem_id="quit-btn")

                with gr.Column(visible=False, elem_id="summary") as summary_screen:
                    summary = gr.HTML()
                    again_btn = gr.Button("Spela igen", variant="primary", elem_id="again-btn")

            with gr.Tab("För lärare", id="teacher"):
                gr.Markdown(TEACHER_HELP)
                with gr.Accordion("Så skriver du en kortlek (in English)", open=False):
                    gr.Markdown(DECK_FORMAT.read_text(encoding="utf-8"))
                upload = gr.File(
                    file_count="multiple", file_types=sorted(ALLOWED_SUFFIXES | {".zip"}),
                    label="Kortlek (.zip, eller .yaml + bilder)", elem_id="upload",
                )
                upload_report = gr.Markdown(elem_id="upload-report")
                with gr.Row():
                    play_upload_btn = gr.Button("Spela den här kortleken", variant="primary", visible=False,
                                                elem_id="play-upload-btn")
                    download_btn = gr.DownloadButton("Ladda ner som zip", visible=False, elem_id="download-btn")
                upload_preview = gr.Gallery(
                    label="Alla kort", columns=4, object_fit="contain", height="auto", visible=False,
                    elem_id="upload-preview",
                )

        with gr.Row(visible=False):  # the stateless API endpoint's own inputs and output
            api_audio = gr.Audio(type="filepath", sources=["upload"])
            api_word = gr.Textbox()
            api_result = gr.JSON()
            api_btn = gr.Button()

        screen = [state, start_screen, play_screen, summary_screen, round_line, picture, verdict,
                  skip_btn, next_btn, typed, answer_btn, mic, summary, progress_summary, mastery_plot, stored]

        def show(game: Round | None, message: str, learner: progress.Progress):
            """Every output of the page for this round and learner; the learner's progress is
            written back to the browser each time, so a reload finds it as it was."""
            playing = game is not None and not game.over
            finished = game is not None and game.over
            answered = playing and game.answered
            return (
                game,
                gr.Column(visible=game is None),
                gr.Column(visible=playing),
                gr.Column(visible=finished),
                progress_text(game) if playing else "",
                picture_of(game) if playing else None,
                message,
                gr.Button(visible=playing and not answered),
                gr.Button(visible=answered),
                gr.Textbox(value="", interactive=playing and not answered),
                gr.Button(interactive=playing and not answered),
                gr.Audio(value=None, interactive=playing and not answered),
                summary_html(session.summary(game)) if finished else "",
                progress_markdown(learner, date.today()),
                pd.DataFrame(progress.mastery_table(learner, decks)),
                progress.dump(learner),
            )

        def moved(before: Round | None, after: Round | None, message: str, data):
            """Show a move, with the learner's progress brought up to date by it."""
            learner = progress.after_move(progress.load(data), before, after, date.today())
            return show(after, message, learner)

        def on_start(deck_id: str, length: float, data):
            deck = by_id.get(deck_id)
            if deck is None:
                raise gr.Error("Välj en kortlek först.")
            learner = progress.load(data)
            order = progress.plan_round(learner, deck, int(length), date.today(), random.Random())
            return show(session.start_round(deck, order=order), "", learner)

        def on_review(deck_id: str, length: float, data):
            deck = by_id.get(deck_id)
            if deck is None:
                raise gr.Error("Välj en kortlek först.")
            learner = progress.load(data)
            order = progress.weakest(learner, deck, int(length))
            if not order:
                gr.Info("Du har inte övat på den här kortleken än — tryck Starta.")
                return show(None, "", learner)
            return show(session.start_round(deck, order=order), "", learner)

        def on_typed(game: Round | None, text: str, data):
            if game is None:
                return show(None, "", progress.load(data))
            return moved(game, *play.answer_text(game, text), data)

        def on_recordings(games: list[Round | None], recordings: list, datas: list):
            """Gradio batches the recordings of learners who stop at the same moment: one model call."""
            playing = [i for i, game in enumerate(games) if game is not None]
            answered = play.answer_recordings([games[i] for i in playing], [recordings[i] for i in playing], listener)
            screens = [show(None, "", progress.load(data)) for data in datas]
            for i, result in zip(playing, answered):
                screens[i] = moved(games[i], *result, datas[i])
            return [list(column) for column in zip(*screens)]

        def on_skip(game: Round | None, data):
            if game is None:
                return show(None, "", progress.load(data))
            return moved(game, *play.skip_card(game), data)

        def on_next(game: Round | None, data):
            return moved(game, session.next_card(game) if game else None, "", data)

        def on_leave(game: Round | None, data):
            return show(None, "", progress.load(data))

        def on_reset():
            return show(None, "", progress.Progress())

        def on_upload(files, previous: teacher.Upload | None):
            received = teacher.receive(files, uploads, previous)
            ready = received is not None and received.deck is not None
            items = teacher.preview(received)
            return (
                received,
                received.report if received else "",
                gr.Button(visible=ready),
                gr.DownloadButton(value=str(received.archive) if ready else None, visible=ready),
                gr.Gallery(value=items, visible=bool(items)),
            )

        def on_play_upload(upload: teacher.Upload | None, length: float, data):
            if upload is None or upload.deck is None:
                raise gr.Error("Ladda upp en kortlek utan fel först.")
            game = session.start_round(upload.deck, int(length), random.Random())
            return (*show(game, "", progress.load(data)), gr.Tabs(selected="play"))

        def on_checks(audio_paths: list[str | None], words: list[str]) -> list[list[dict]]:
            if not all(word and word.strip() for word in words):
                raise gr.Error("Ange målordet (word).")
            words = [word.strip() for word in words]
            recordings = [read_audio_file(path) if path else None for path in audio_paths]
            alternatives = [accepted.get(word, ()) for word in words]
            try:
                return [play.check_answers(recordings, words, listener, alternatives)]
            except ModelUnavailable as exc:
                raise gr.Error(str(exc)) from exc

        def on_status():
            status = model.status()
            return status.message, gr.Timer(active=status.state == "loading")

        start_btn.click(on_start, [deck_pick, length_pick, stored], screen, api_name="start_round")
        review_btn.click(on_review, [deck_pick, length_pick, stored], screen, api_name="review_weak_words")
        typed.submit(on_typed, [state, typed, stored], screen, api_visibility="private")
        answer_btn.click(on_typed, [state, typed, stored], screen, api_name="answer_typed")
        mic.stop_recording(
            on_recordings, [state, mic, stored], screen, api_name="answer_spoken",
            batch=True, max_batch_size=SPEECH_BATCH, concurrency_id="speech", concurrency_limit=1,
        )
        skip_btn.click(on_skip, [state, stored], screen, api_name="skip")
        next_btn.click(on_next, [state, stored], screen, api_name="next_card")
        quit_btn.click(on_leave, [state, stored], screen, api_visibility="private")
        again_btn.click(on_leave, [state, stored], screen, api_visibility="private")
        confirm_buttons = [reset_btn, confirm_reset_btn, cancel_reset_btn]
        reset_btn.click(lambda: (gr.Button(visible=False), gr.Button(visible=True), gr.Button(visible=True)),
                        None, confirm_buttons, api_visibility="private")
        cancel_reset_btn.click(lambda: (gr.Button(visible=True), gr.Button(visible=False), gr.Button(visible=False)),
                               None, confirm_buttons, api_visibility="private")
        confirm_reset_btn.click(on_reset, None, screen, api_visibility="private").then(
            lambda: (gr.Button(visible=True), gr.Button(visible=False), gr.Button(visible=False)),
            None, confirm_buttons, api_visibility="private",
        )
        upload.change(
            on_upload, [upload, upload_state],
            [upload_state, upload_report, play_upload_btn, download_btn, upload_preview], api_name="upload_deck",
        )
        play_upload_btn.click(
            on_play_upload, [upload_state, length_pick, stored], [*screen, tabs], api_name="play_uploaded_deck"
        )
        api_btn.click(
            on_checks, [api_audio, api_word], api_result, api_name="check_answer",
            batch=True, max_batch_size=SPEECH_BATCH, concurrency_id="speech", concurrency_limit=1,
        )

        timer = gr.Timer(1.0, active=model.status().state == "loading")
        timer.tick(on_status, None, [model_status, timer], api_visibility="private", show_progress="hidden")
        demo.load(on_status, None, [model_status, timer], api_visibility="private")
        demo.load(on_leave, [state, stored], screen, api_visibility="private")

    demo.queue(default_concurrency_limit=8)
    return demo


def launch_options() -> dict:
    """Arguments for demo.launch(): the look of the page."""
    return {
        "css": CSS,
        "theme": gr.themes.Soft(primary_hue="blue", secondary_hue="amber"),
        "max_file_size": MAX_UPLOAD_BYTES,  # refused before it reaches the unpacker
    }
