"""What the learner reads: verdicts, progress and the round summary, as small HTML snippets."""

from __future__ import annotations

from html import escape

from game.decks.deck import Card
from game.round.judge import Outcome, Verdict, char_diff
from game.round.rounds import SKIPPED, Round, Summary
from game.swedish import Slip, said_form, slips
from game.texts import DEFAULT, say

OUTCOME_MARKS = {
    Outcome.RIGHT.value: ("✓", "mark_right"),
    Outcome.ALMOST.value: ("≈", "mark_almost"),
    Outcome.WRONG.value: ("✗", "mark_wrong"),
    SKIPPED: ("↷", "mark_skipped"),
}


def headline(outcome: Outcome, lang: str = DEFAULT) -> str:
    return say(lang, Outcome(outcome).value)


def _box(css: str, body: str) -> str:
    # role=status + aria-live: a screen reader reads the verdict out when it appears.
    return f"<div class='verdict {css}' role='status' aria-live='polite'>{body}</div>"


def _highlight(segments) -> str:
    return "".join(f"<mark>{escape(s.text)}</mark>" if s.differs else escape(s.text) for s in segments)


def slip_lines(verdict: Verdict, spoken: bool, lang: str) -> list[str]:
    """Named å/ä/ö and double-consonant slips between what was said and the nearest answer."""
    you = say(lang, "you_said" if spoken else "you_wrote")
    lines = []
    for note in slips(said_form(verdict.heard), verdict.closest):
        key = (
            "slip_vowel"
            if note.slip is Slip.VOWEL
            else "slip_double"
            if len(note.word) > len(note.said)
            else "slip_single"
        )
        text = say(lang, key, you=you, said=escape(note.said), word=escape(note.word))
        lines.append(f"<p class='slip'>💡 {text}</p>")
    return lines


def _article_lines(verdict: Verdict, card: Card, lang: str) -> list[str]:
    check = verdict.article
    noun_right = verdict.score >= 100
    word = escape(card.word)
    lines = [say(lang, "noun_right" if noun_right else "noun_wrong", word=word)]
    if check.right:
        lines.append(say(lang, "article_right", article=escape(check.expected)))
    elif check.said:
        lines.append(say(lang, "article_wrong", said=escape(check.said), expected=escape(check.expected), word=word))
    else:
        lines.append(say(lang, "article_missing", expected=escape(check.expected), word=word))
    return [f"<p class='parts'>{line}</p>" for line in lines]


def shown_heard(text: str) -> str:
    """What was heard as the verdict quotes it: Whisper ends a sentence with a full stop, which
    inside the game's own sentence would double up ("Jag hörde “Val.”.")."""
    return text.strip().rstrip(".!?…")


def verdict_html(verdict: Verdict, card: Card, will_return: bool, spoken: bool = True, lang: str = DEFAULT) -> str:
    outcome = verdict.outcome
    translation = f" <span class='translation'>({escape(card.translation)})</span>" if card.translation else ""
    said = shown_heard(verdict.heard)
    heard = escape(said) if said else say(lang, "nothing")
    lines = [f"<p class='headline'>{headline(outcome, lang)}</p>"]
    close_spelling = outcome is Outcome.ALMOST and verdict.score < 100
    if close_spelling:
        heard_segments, target_segments = char_diff(verdict.heard, verdict.closest)
        diff = f"<span class='diff'>{_highlight(heard_segments)}</span>"
        lines.append(f"<p>{say(lang, 'heard_diff' if spoken else 'typed_diff', diff=diff)}</p>")
        spelling = f"<span class='diff'>{_highlight(target_segments)}</span>"
        lines.append(f"<p>{say(lang, 'spelling', diff=spelling, translation=translation)}</p>")
    else:
        lines.append(
            f"<p>{say(lang, 'heard' if spoken else 'typed', heard=heard)} "
            f"{say(lang, 'the_word_is', word=escape(card.with_article), translation=translation)}</p>"
        )
    if verdict.article is not None:
        lines += _article_lines(verdict, card, lang)
    if outcome is not Outcome.RIGHT:
        lines += slip_lines(verdict, spoken, lang)
    if will_return:
        lines.append(f"<p class='again'>{say(lang, 'comes_back')}</p>")
    return _box(outcome.value, "".join(lines))


def skipped_html(card: Card, will_return: bool, lang: str = DEFAULT) -> str:
    return _box(
        "skipped", f"<p>{say(lang, 'skipped_back' if will_return else 'skipped', word=escape(card.with_article))}</p>"
    )


def notice_html(text: str) -> str:
    return _box("notice", f"<p>{escape(text)}</p>")


def progress_text(game: Round, lang: str = DEFAULT) -> str:
    parts = [say(lang, "word_of", number=game.word_number, total=game.words_total)]
    if game.is_retry:
        parts[0] += f" · <i>{say(lang, 'again_tag')}</i>"
    if game.articles:
        parts.append(say(lang, "articles_tag"))
    parts.append(say(lang, "points", score=game.score))
    parts.append(say(lang, "streak", streak=game.streak) + (" 🔥" if game.streak >= 2 else ""))
    return " · ".join(parts)


def summary_html(result: Summary, lang: str = DEFAULT) -> str:
    rows = []
    for report in result.words:
        marks = " ".join(
            f"<span class='mark {o}'>{OUTCOME_MARKS[o][0]} {say(lang, OUTCOME_MARKS[o][1])}</span>"
            for o in report.outcomes
        )
        translation = escape(report.card.translation)
        rows.append(
            f"<tr class='{'learned' if report.learned else 'missed'}'><td><b>{escape(report.card.with_article)}</b></td>"
            f"<td>{translation}</td><td>{marks}</td></tr>"
        )
    return (
        "<div class='summary' role='status' aria-live='polite'>"
        f"<p class='headline'>{say(lang, 'done', score=result.score, cards=result.cards)}</p>"
        f"<p>{say(lang, 'best_streak', streak=result.best_streak)}</p>"
        f"<table><thead><tr><th>{say(lang, 'col_word')}</th><th>{say(lang, 'col_english')}</th>"
        f"<th>{say(lang, 'col_how')}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
