"""A learner's move -> the next state of the round and what to tell them. No Gradio here."""

from __future__ import annotations

from game import feedback, session
from game.scoring import Outcome, judge
from game.session import Round
from game.speech import NOTHING_HEARD, Listener, ModelUnavailable, NothingHeard

# How long a recording waits for a model that is still loading: a learner is
# better told to type than kept waiting; an API caller would rather wait.
LEARNER_WAIT_S = 10.0
API_WAIT_S = 120.0


def _will_return(before: Round, after: Round) -> bool:
    return len(after.queue) > len(before.queue)


def answer_text(game: Round, text: str) -> tuple[Round, str]:
    """A typed (or transcribed) answer for the card on screen."""
    card = game.current
    if card is None or game.answered:
        return game, ""
    if not text or not text.strip():
        return game, feedback.notice_html("Skriv ordet först, eller tryck på Hoppa över.")
    verdict = judge(text, card.word, card.also_accepted)
    after = session.answer(game, verdict)
    return after, feedback.verdict_html(verdict, card, _will_return(game, after))


def answer_recording(game: Round, recording, listener: Listener) -> tuple[Round, str]:
    """A spoken answer: nothing-heard and model trouble leave the card unanswered."""
    if game.current is None or game.answered:
        return game, ""
    try:
        heard = listener.hear(recording, extra_answers=game.current.answers, wait=LEARNER_WAIT_S)
    except NothingHeard:
        return game, feedback.notice_html(NOTHING_HEARD)
    except ModelUnavailable as exc:
        return game, feedback.notice_html(str(exc))
    if not heard.strip():
        return game, feedback.notice_html(NOTHING_HEARD)
    return answer_text(game, heard)


def skip_card(game: Round) -> tuple[Round, str]:
    card = game.current
    if card is None or game.answered:
        return game, ""
    after = session.skip(game)
    return after, feedback.skipped_html(card, will_return=game.queue[0] in after.queue)


def check_answer(recording, word: str, listener: Listener, also_accepted=()) -> dict:
    """Stateless: what was heard in a recording and how it compares with `word`."""
    try:
        heard = listener.hear(recording, extra_answers=[word, *also_accepted], wait=API_WAIT_S)
    except NothingHeard as exc:
        return {"word": word, "heard": "", "verdict": "nothing_heard", "score": 0.0, "message": str(exc)}
    verdict = judge(heard, word, also_accepted)
    return {
        "word": word,
        "heard": heard,
        "verdict": verdict.outcome.value,
        "score": round(verdict.score, 1),
        "message": feedback.HEADLINES[Outcome(verdict.outcome)],
    }
