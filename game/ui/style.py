"""The page's look and its small scripts: CSS, keyboard shortcuts, the learner's date, the
microphone that stops by itself, the verdict kept in view."""

import json
from pathlib import Path

from game.decks.archive import MAX_UPLOAD_BYTES
from game.decks.media import MB
from game.texts import LANGUAGES, say

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
#mic-hint { font-size: 0.9em; opacity: 0.8; margin-top: -0.5em; }
/* One word has nothing to pause, and a paused recording would still stop by itself when quiet. */
#mic button.pause-button { display: none; }
#language { max-width: 22em; }
#too-big-file { position: fixed; top: 1em; right: 1em; z-index: 1000; max-width: 26em; padding: 0.9em 1.1em;
  border-radius: 10px; background: #fde8e8; color: #7f1d1d; box-shadow: 0 4px 16px rgba(0, 0, 0, 0.2); }
/* A phone: one column, buttons big enough for a thumb, the record button full width. */
@media (max-width: 640px) {
  #header { flex-wrap: nowrap; }  /* the language toggle stays beside the title, not under it */
  /* A smaller picture leaves room for the verdict below it on one screen. */
  #picture { height: 180px !important; }
  #picture img { max-height: 170px; }
  #mic .controls, #mic .controls .wrapper { flex-direction: column; align-items: stretch; width: 100%; }
  #mic button.record-button, #mic button.stop-button { width: 100%; min-height: 4em; margin: 0; }
  #mic label[data-testid="block-label"] { white-space: normal; margin-right: 2.5em; }
  #play button { min-height: 2.8em; }
  #shortcuts { display: none; }
}
"""


def toast_titles_css() -> str:
    """Gradio heads a pop-up with its kind in English ("Warning", "Error") whatever the page's
    language (its toast shows the kind, not the title given it). The page's `lang` follows the
    language toggle, so each other language's words are put in its place."""
    rules = []
    for lang in LANGUAGES:
        if lang == "en":
            continue
        for kind in ("warning", "error"):
            selector = f'html[lang="{lang}"] .toast-title.{kind}'
            rules.append(f"{selector} {{ font-size: 0; }}")
            rules.append(f'{selector}::before {{ content: "{say(lang, f"toast_{kind}")}"; font-size: 1rem; }}')
    return "\n".join(rules) + "\n"


CSS += toast_titles_css()
# Swedish locale dates are ISO dates: the learner's local day as YYYY-MM-DD.
TODAY_JS = "new Date().toLocaleDateString('sv-SE')"


def with_today_at(index: int) -> str:
    """An event's js: the learner's day in place of its input at `index` before the server sees it."""
    return f"(...inputs) => {{ inputs[{index}] = {TODAY_JS}; return inputs; }}"


# On arrival, also the link's fragment (a teacher's `#deck=CODE&edit=KEY`), which only the browser
# knows; then the key is taken out of the address bar, so it is not left in view or in a bookmark.
ARRIVE_JS = f"""(...inputs) => {{
  const fragment = window.location.hash.slice(1);
  if (fragment.includes("edit=")) history.replaceState(null, "", window.location.pathname + window.location.search);
  return [...inputs.slice(0, -2), {TODAY_JS}, fragment];
}}"""
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
# A verdict appears below the microphone and the answer box: on a phone that is below the fold
# after Record. Scroll as little as shows it; with the card's picture above it and the button for
# the next move below when they fit, else with the picture, else alone. Only a new verdict
# scrolls: the same one sent again (after a hint) leaves the page where the learner put it.
# The page keeps moving for a moment after the verdict arrives (the microphone resets, the
# buttons change), so it is placed again while the layout settles, unless the learner scrolls.
VERDICT_IN_VIEW_JS = """
<script>
(() => {
  const SETTLE_MS = 1500;
  const shown = (element) => element !== null && element.offsetParent !== null;
  const top = (element) => element.getBoundingClientRect().top;
  const bottom = (element) => element.getBoundingClientRect().bottom;
  function scrollToShow(from, to) {
    if (to - from > window.innerHeight) return false;
    if (from < 0) window.scrollBy(0, from);
    else if (to > window.innerHeight) window.scrollBy(0, to - window.innerHeight);
    return true;
  }
  function placeVerdict(verdict) {
    const block = verdict.closest("#feedback");
    const picture = document.querySelector("#picture");
    const from = top(shown(picture) ? picture : block);
    const move = [...document.querySelectorAll("#try-again-btn, #next-btn")].find(shown);
    if (move && scrollToShow(from, Math.max(bottom(move), bottom(block)))) return;
    if (!scrollToShow(from, bottom(block))) block.scrollIntoView({ block: "nearest" });
  }
  let lastVerdict = "";
  let settleUntil = 0;
  function showVerdict() {
    const verdict = document.querySelector("#feedback .verdict");
    const text = verdict ? verdict.textContent : "";
    if (text !== lastVerdict) {
      lastVerdict = text;
      settleUntil = performance.now() + SETTLE_MS;
    }
    if (verdict && shown(verdict) && performance.now() < settleUntil) placeVerdict(verdict);
  }
  const later = () => requestAnimationFrame(showVerdict);
  new MutationObserver(later).observe(document.documentElement, {
    childList: true, subtree: true, characterData: true,
  });
  new ResizeObserver(later).observe(document.body);
  for (const event of ["wheel", "touchmove", "keydown"]) {
    window.addEventListener(event, () => { settleUntil = 0; }, { passive: true });
  }
})();
</script>
"""
# "Use this deck" shows its result (the deck's report, play, download and share) under the upload
# section, below the fold of every screen: bring it into view, or the problems if the deck has some.
DECK_READY_JS = """() => {
  const problems = document.querySelector("#editor-problems li");
  const shown = document.querySelector(problems ? "#editor-problems" : "#upload-report");
  if (shown) shown.scrollIntoView({ behavior: "smooth", block: "start" });
}"""
# Gradio's table starts editing a selected cell at the first key but does not keep that key: "sol"
# typed into a cell became "ol". The keys typed before the cell's box appears are handed to it, and
# replace what the cell held, as in a spreadsheet.
TABLE_TYPING_JS = """
<script>
(() => {
  let pending = "";
  const handOver = (table, frames) => {
    const box = table.querySelector("input:not([type=checkbox]), textarea");
    if (!box) {
      if (frames < 30) requestAnimationFrame(() => handOver(table, frames + 1));
      else pending = "";
      return;
    }
    box.value = pending;
    pending = "";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.setSelectionRange(box.value.length, box.value.length);
  };
  document.addEventListener("keydown", (event) => {
    const table = event.target.closest && event.target.closest("#cards-table");
    if (!table || event.target.matches("input, textarea")) return;
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!pending) requestAnimationFrame(() => handOver(table, 0));
    pending += event.key;
  }, true);
})();
</script>
"""


def too_big_js(most_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Gradio refuses a file over the server's `max_file_size` only once it has been sent, with an
    English message of its own. A file over it is stopped here before it is sent, chosen or dropped,
    and said so in the page's language; the upload it was meant for is left as it was."""
    blanks = {"name": "{name}", "size": "{size}"}  # filled in by the page with the file's own
    said = {lang: say(lang, "file_too_big", most=most_bytes // MB, **blanks) for lang in LANGUAGES}
    return f"""
<script>
(() => {{
  const MOST = {most_bytes}, SAID = {json.dumps(said, ensure_ascii=False)};
  function refuse(event, files) {{
    const big = [...(files || [])].find((file) => file.size > MOST);
    if (!big) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.target.type === "file") event.target.value = "";
    const lang = (document.querySelector("#language input:checked") || {{ value: "sv" }}).value;
    const note = document.getElementById("too-big-file") || document.body.appendChild(document.createElement("div"));
    note.id = "too-big-file";
    note.setAttribute("role", "alert");
    note.textContent = (SAID[lang] || SAID.sv)
      .replace("{{name}}", big.name).replace("{{size}}", (big.size / {MB}).toFixed(0));
    clearTimeout(note.hideLater);
    note.hideLater = setTimeout(() => note.remove(), 10000);
  }}
  document.addEventListener("change", (event) => event.target.type === "file" && refuse(event, event.target.files), true);
  document.addEventListener("drop", (event) => refuse(event, event.dataTransfer && event.dataTransfer.files), true);
}})();
</script>
"""


STOP_WHEN_QUIET_JS = f"<script>\n{(Path(__file__).parent / 'stop_when_quiet.js').read_text()}</script>\n"
HEAD = SHORTCUTS_JS + VERDICT_IN_VIEW_JS + TABLE_TYPING_JS + too_big_js() + STOP_WHEN_QUIET_JS
