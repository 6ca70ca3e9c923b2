"""The class on the board: a page of its own (`/tavla`) for the classroom's projector, opened from
the Teacher tab with the deck's code and edit key. The class code in large type, a QR code of the
class link, how many learners have joined, and, refreshed every few seconds while the board is
open, the words the class finds hardest and what it answered instead; nicknames only when the
teacher ticks the box. Also `/class_live`, the same figures for programs.

The code and key come in the address's fragment (`/tavla#deck=CODE&edit=KEY`), which browsers never
send to a server, so the key stays out of access logs; the page then takes it out of the address
bar (the room sees that bar) and keeps it in the tab's sessionStorage, so a reload still works.
The figures come from game/results/live.py.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html import escape
from urllib.parse import parse_qs, urlsplit

import gradio as gr
import segno

from game.decks.store import StoreError, normalise_code
from game.results import figures, live
from game.texts import DEFAULT, language, number, say
from game.ui.context import Shared
from game.ui.screen import Screen
from game.ui.share_box import as_gradio_error, links, spaced
from game.ui.style import TODAY_JS

BOARD_PATH = "tavla"
REFRESH_S = 3  # a class sees its answers arrive; a board asks the database this often, only while open
# What only the browser knows: the fragment (taken out of the address bar at once), the page's own
# address (behind a proxy, the one learners can open), and the teacher's day and time zone.
ARRIVE_JS = f"""(...inputs) => {{
  const saved = "sagdet-board";
  let fragment = window.location.hash.slice(1);
  if (fragment.includes("edit=")) {{
    sessionStorage.setItem(saved, fragment);
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }} else {{
    fragment = sessionStorage.getItem(saved) || "";
  }}
  const base = window.location.origin + window.location.pathname.replace(/{BOARD_PATH}\\/?$/, "");
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [...inputs.slice(0, -1), JSON.stringify({{fragment, base, zone, today: {TODAY_JS}}})];
}}"""
# The Teacher tab's button: the board in a new tab, the code and key in its fragment. A click opens
# it at once (a browser lets only a click open a tab), and the server only says whether it did.
OPEN_JS = f"""(code, key, lang) => {{
  if (code.trim() && key.trim()) {{
    const base = window.location.origin + window.location.pathname.replace(/\\/?$/, "/");
    const fragment = new URLSearchParams({{deck: code.trim(), edit: key.trim()}});
    window.open(`${{base}}{BOARD_PATH}#${{fragment}}`, "_blank");
  }}
  return [code, key, lang];
}}"""
BOARD_CSS = """
/* No page menu ("Home") on any page, which gradio 6.31 shows once an app has a second page even with a
   hidden gr.Navbar on each: the board is opened from the Teacher tab, and the room sees the board only. */
.nav-holder { display: none; }
gradio-app:has(#board) footer { display: none; }
#board { padding: 0.5rem 2rem; gap: 2rem; }
#board .prose, #board p, #board li { line-height: 1.2; }
#board-join .join-line { font-size: 2rem; margin: 0 0 0.5rem 0; }
#board-join .code-label { font-size: 2rem; margin: 0; opacity: 0.8; }
#board-join .code { font-size: 9rem; font-weight: 800; letter-spacing: 0.08em; line-height: 1; margin: 0 0 1rem 0;
  font-family: ui-monospace, monospace; white-space: nowrap; }
#board-join .qr svg { width: 20rem; height: 20rem; display: block; }
#board-join .link { font-size: 1.6rem; margin-top: 0.6rem; word-break: break-all; font-family: ui-monospace, monospace; }
#board-live .joined { font-size: 2.6rem; margin: 0 0 1rem 0; }
#board-live .joined .count { font-size: 6rem; font-weight: 800; margin-right: 0.3em; }
#board-live h2 { font-size: 3rem; margin: 0.5rem 0; }
#board-live ol { margin: 0; padding-left: 1.2em; }
#board-live li { font-size: 2.2rem; margin: 0 0 0.5rem 0; }
#board-live .word { font-size: 3.4rem; font-weight: 800; margin-right: 0.4em; }
#board-live .percent { white-space: nowrap; }
#board-live .instead { font-size: 2.2rem; }
#board-names-shown .names { font-size: 1.4rem; line-height: 1.25; margin: 0; }  /* a class of 30 fits */
#board-names-shown .name { white-space: nowrap; }
#board-live .message { font-size: 2.6rem; }
#board-live .refresh { font-size: 1.2rem; opacity: 0.7; margin-top: 1rem; }
#board-names label, #board-names span { font-size: 1.4rem; }
"""


def qr_svg(link: str) -> str:
    """The link as an inline SVG QR code, sized by CSS; a medium error level still scans off a
    projector's washed-out picture."""
    return segno.make(link, error="m").svg_inline(omitsize=True, dark="#000", light="#fff", border=2)


def opened_board(link: str) -> tuple[str, str, str, date | None, str] | None:
    """What ARRIVE_JS found: (code, key, page address, the teacher's day, time zone); None without a code and key."""
    try:
        found = json.loads(link or "{}")
    except ValueError:
        return None
    fragment = parse_qs(str(found.get("fragment") or ""))
    code, key = (fragment.get("deck") or [""])[0], (fragment.get("edit") or [""])[0]
    if not code or not key:
        return None
    base = str(found.get("base") or "")
    if urlsplit(base).scheme not in ("http", "https"):
        base = ""
    try:
        today = figures.parse_day(str(found.get("today") or ""))
    except ValueError:
        today = None
    return code, key, base, today, str(found.get("zone") or "")


def join_html(code: str, base: str, lang: str) -> str:
    class_link, _ = links(base, code) if base else ("", "")
    qr = f'<div class="qr">{qr_svg(class_link)}</div><div class="link">{escape(class_link)}</div>' if base else ""
    return (
        f'<p class="join-line">{say(lang, "board_join")}</p>'
        f'<p class="code-label">{say(lang, "board_code")}</p><p class="code">{spaced(code)}</p>{qr}'
    )


def instead_html(instead: tuple[figures.Instead, ...], lang: str) -> str:
    said = [i for i in instead if not i.typed]
    typed = [i for i in instead if i.typed]
    parts = [
        f"{say(lang, key)}: " + ", ".join(f"<em>{escape(i.text)}</em> ×{i.times}" for i in found)
        for key, found in (("board_said", said), ("board_typed", typed))
        if found
    ]
    return f'<div class="instead">{" · ".join(parts)}</div>' if parts else ""


def live_html(now: live.ClassNow, lang: str) -> str:
    """The board's live half: learners joined, the hardest words and what was answered instead."""
    if not now.learners:
        return f'<p class="message">{say(lang, "board_waiting")}</p>' + refresh_line(lang)
    joined = say(lang, "board_joined_one" if now.learners == 1 else "board_joined")
    html = f'<p class="joined"><span class="count">{number(lang, now.learners)}</span>{joined}</p>'
    html += f"<h2>{say(lang, 'board_hardest')}</h2>"
    if now.hardest:
        items = "".join(
            f'<li><span class="word">{escape(w.word)}</span>'
            f'<span class="percent">{say(lang, "board_percent", percent=w.first_try_percent)}</span>'
            f"{instead_html(w.instead, lang)}</li>"
            for w in now.hardest
        )
        html += f"<ol>{items}</ol>"
    else:
        html += f'<p class="message">{say(lang, "board_none_missed")}</p>'
    return html + refresh_line(lang)


def names_html(now: live.ClassNow, shown: bool, lang: str) -> str:
    """The nicknames of the learners who joined, when the teacher shows them; the others counted."""
    if not shown or not now.learners:
        return ""
    anonymous = now.learners - len(now.nicknames)
    names = [escape(n) for n in now.nicknames] + ([say(lang, "board_anonymous", count=anonymous)] if anonymous else [])
    return '<p class="names">' + " · ".join(f'<span class="name">{name}</span>' for name in names) + "</p>"


def trouble_html(exc: StoreError, lang: str) -> str:
    """Why the board shows nothing of the class: a wrong key or code (or a deck deleted), or the store's own reason."""
    message = say(lang, "board_wrong_key") if exc.key == "wrong_key" else escape(exc.text(lang))
    return f'<p class="message">{message}</p>'


def refresh_line(lang: str) -> str:
    return f'<p class="refresh">{say(lang, "board_refresh", seconds=REFRESH_S)}</p>'


def class_now(shared: Shared, code: str, edit_key: str, today: date | None, zone: str = "") -> live.ClassNow:
    """The class's figures today (in the teacher's time zone) on the deck as it is now; StoreError
    for a wrong key or code, or a database that does not answer."""
    results = shared.results()
    answers = results.answers(edit_key, code)
    return live.class_now(figures.within(answers, today, zone=figures.time_zone(zone)), results.words(edit_key, code))


class BoardView(Screen):
    """The board's page; rendered inside `blocks.route(...)`, whose `load` opens it."""

    def __init__(self, blocks: gr.Blocks, shared: Shared):
        self.blocks, self.shared, sv = blocks, shared, DEFAULT
        # The teacher's language, as the game's page stored it in this browser (the same key and secret).
        self.language = gr.BrowserState(DEFAULT, storage_key="sagdet-language", secret=shared.browser_secret)
        self.arrival = gr.Textbox(visible=False)  # filled in by ARRIVE_JS
        self.board = gr.State(None)  # (code, key, page address, day, zone) once the key was right
        with gr.Row(elem_id="board"):
            with gr.Column(scale=4, min_width=600):
                self.join = gr.HTML(elem_id="board-join")
                # Under the QR code, where there is room: the live half may fill the window's height.
                self.names = gr.Checkbox(False, label=say(sv, "board_names"), elem_id="board-names", visible=False)
                self.names_shown = gr.HTML(elem_id="board-names-shown")
            with gr.Column(scale=5, min_width=600):
                self.live = gr.HTML(elem_id="board-live")
        self.timer = gr.Timer(REFRESH_S, active=False)

    def open(self, lang: str, arrival: str) -> dict:
        lang = language(lang)
        found = opened_board(arrival)
        closed = {self.board: None, self.timer: gr.Timer(active=False), self.names: gr.update(visible=False)}
        closed |= {self.names_shown: ""}
        if found is None:
            return closed | {self.join: "", self.live: trouble_html(StoreError("wrong_key"), lang)}
        code, key, base, today, zone = found
        try:
            now = class_now(self.shared, code, key, today, zone)
        except StoreError as exc:
            return closed | {self.join: "", self.live: trouble_html(exc, lang)}
        code = normalise_code(code) or code
        return {
            self.board: (code, key, base, today, zone),
            self.join: join_html(code, base, lang),
            self.live: live_html(now, lang),
            self.names_shown: "",
            self.names: gr.update(label=say(lang, "board_names"), visible=True),
            self.timer: gr.Timer(active=True),
        }

    def refresh(self, board: tuple | None, names: bool, lang: str) -> dict:
        """The live half again; a deck deleted (or a database away) meanwhile says so, and the timer stops."""
        lang = language(lang)
        if board is None:
            return {self.timer: gr.Timer(active=False)}
        code, key, _, today, zone = board
        try:
            now = class_now(self.shared, code, key, today, zone)
        except StoreError as exc:
            return {self.live: trouble_html(exc, lang), self.names_shown: "", self.timer: gr.Timer(active=False)}
        return {self.live: live_html(now, lang), self.names_shown: names_html(now, bool(names), lang)}

    def setup_events(self) -> None:
        quiet = {"api_visibility": "private", "show_progress": "hidden"}
        self.blocks.load(
            self.open,
            [self.language, self.arrival],
            [self.board, self.join, self.live, self.names, self.names_shown, self.timer],
            js=ARRIVE_JS,
            **quiet,
        )
        refreshed = [self.live, self.names_shown, self.timer]
        self.timer.tick(self.refresh, [self.board, self.names, self.language], refreshed, **quiet)
        self.names.change(self.refresh, [self.board, self.names, self.language], refreshed, **quiet)


class BoardButton(Screen):
    """ "Show on the board" beside the class's results: opens the board with the share box's code and key."""

    def __init__(self, code: gr.Textbox, key: gr.Textbox, lang_pick: gr.Radio):
        self.code, self.key, self.lang_pick, sv = code, key, lang_pick, DEFAULT
        with gr.Row(equal_height=True):
            self.button = gr.Button(say(sv, "board_open"), elem_id="board-btn", scale=0, min_width=220)
            self.note = gr.Markdown(say(sv, "board_open_note"), elem_id="board-note")

    def labels(self, lang: str) -> dict:
        return {self.button: gr.update(value=say(lang, "board_open")), self.note: say(lang, "board_open_note")}

    def opened(self, code: str, key: str, lang: str) -> dict:
        lang = language(lang)
        ready = bool((code or "").strip() and (key or "").strip())
        return {self.note: say(lang, "board_opened" if ready else "board_needs_key")}

    def setup_events(self) -> None:
        self.button.click(
            self.opened, [self.code, self.key, self.lang_pick], [self.note], js=OPEN_JS, api_visibility="private"
        )


class LiveApi(Screen):
    """`/class_live`: the board's figures for programs; a wrong key or code is an error and nothing else."""

    def __init__(self, shared: Shared):
        self.shared = shared
        with gr.Row(visible=False):
            self.code, self.key, self.since = gr.Textbox(), gr.Textbox(), gr.Textbox("")
            self.names = gr.Checkbox(False)
            self.result = gr.JSON()
            self.button = gr.Button()

    def figures(self, edit_key: str, code: str, names: bool = False, since: str = "") -> dict:
        """From the start of `since` (YYYY-MM-DD, UTC; empty: today); nicknames only when `names`."""
        try:
            day = figures.parse_day(since) or datetime.now(UTC).date()
        except ValueError:
            raise gr.Error(say(DEFAULT, "results_bad_date")) from None
        with as_gradio_error():
            now = class_now(self.shared, code, edit_key, day)
        return {"code": normalise_code(code), "since": day.isoformat(), **live.as_json(now, bool(names))}

    def setup_events(self) -> None:
        self.button.click(
            self.figures, [self.key, self.code, self.names, self.since], self.result, api_name="class_live"
        )
