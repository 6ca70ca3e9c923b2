"""What the learner reads: verdicts, progress and the round summary, as small HTML snippets."""

from __future__ import annotations

from html import escape

from game.deck import Card
from game.scoring import Outcome, Verdict, char_diff
from game.session import SKIPPED, Round, Summary

HEADLINES = {
    Outcome.RIGHT: "Rätt!",
    Outcome.ALMOST: "Nästan!",
    Outcome.WRONG: "Inte riktigt",
}
OUTCOME_MARKS = {
    Outcome.RIGHT.value: ("✓", "rätt"),
    Outcome.ALMOST.value: ("≈", "nästan"),
    Outcome.WRONG.value: ("✗", "fel"),
    SKIPPED: ("↷", "hoppade över"),
}


def _highlight(segments) -> str:
    return "".join(f"<mark>{escape(s.text)}</mark>" if s.differs else escape(s.text) for s in segments)


def _said(card: Card) -> str:
    return f"{card.article} {card.word}" if card.article else card.word


def verdict_html(verdict: Verdict, card: Card, will_return: bool) -> str:
    headline = HEADLINES[verdict.outcome]
    css = verdict.outcome.value
    translation = f" <span class='translation'>({escape(card.translation)})</span>" if card.translation else ""
    lines = [f"<div class='verdict {css}' role='status' aria-live='polite'><p class='headline'>{headline}</p>"]
    if verdict.outcome is Outcome.RIGHT:
        lines.append(f"<p>Jag hörde <q>{escape(verdict.heard)}</q>. Ordet är <b>{escape(_said(card))}</b>{translation}.</p>")
    elif verdict.outcome is Outcome.ALMOST:
        heard, target = char_diff(verdict.heard, verdict.closest)
        lines.append(f"<p>Jag hörde: <span class='diff'>{_highlight(heard)}</span></p>")
        lines.append(f"<p>Rätt stavning: <span class='diff'>{_highlight(target)}</span>{translation}</p>")
    else:
        heard = escape(verdict.heard) if verdict.heard.strip() else "inget ord"
        lines.append(f"<p>Jag hörde <q>{heard}</q>. Ordet är <b>{escape(_said(card))}</b>{translation}.</p>")
    if will_return:
        lines.append("<p class='again'>Ordet kommer tillbaka senare i rundan.</p>")
    lines.append("</div>")
    return "".join(lines)


def skipped_html(card: Card, will_return: bool) -> str:
    again = " Det kommer tillbaka senare i rundan." if will_return else ""
    return (
        f"<div class='verdict skipped' role='status' aria-live='polite'><p>Du hoppade över "
        f"<b>{escape(_said(card))}</b>.{again}</p></div>"
    )


def notice_html(text: str) -> str:
    return f"<div class='verdict notice' role='status' aria-live='polite'><p>{escape(text)}</p></div>"


def progress_text(game: Round) -> str:
    again = " · <i>igen</i>" if game.is_retry else ""
    streak = f" · Svit: {game.streak} 🔥" if game.streak >= 2 else f" · Svit: {game.streak}"
    return f"Kort {game.turn}/{game.total_turns}{again} · Poäng: {game.score}{streak}"


def summary_html(result: Summary) -> str:
    rows = []
    for report in result.words:
        marks = " ".join(
            f"<span class='mark {o}' title='{OUTCOME_MARKS[o][1]}'>{OUTCOME_MARKS[o][0]} {OUTCOME_MARKS[o][1]}</span>"
            for o in report.outcomes
        )
        translation = escape(report.card.translation)
        rows.append(
            f"<tr class='{'learned' if report.learned else 'missed'}'><td><b>{escape(_said(report.card))}</b></td>"
            f"<td>{translation}</td><td>{marks}</td></tr>"
        )
    return (
        "<div class='summary'>"
        f"<p class='headline'>Rundan är klar! {result.score} av {result.cards} ord rätt.</p>"
        f"<p>Bästa svit: {result.best_streak}</p>"
        "<table><thead><tr><th>Ord</th><th>Engelska</th><th>Hur det gick</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
