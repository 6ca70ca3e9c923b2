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


def answer_recordings(games: list[Round], recordings: list, listener: Listener) -> list[tuple[Round, str]]:
    """Spoken answers of several learners, heard in one batch. Nothing heard, or no model yet,
    leaves a card unanswered with a notice."""
    waiting = [i for i, game in enumerate(games) if game.current is not None and not game.answered]
    heard = listener.hear_many(
        [recordings[i] for i in waiting], [games[i].current.answers for i in waiting], wait=LEARNER_WAIT_S
    )
    results = [(game, "") for game in games]
    for i, text in zip(waiting, heard):
        if isinstance(text, ModelUnavailable):
            results[i] = (games[i], feedback.notice_html(str(text)))
        elif isinstance(text, NothingHeard) or not text.strip():
            results[i] = (games[i], feedback.notice_html(NOTHING_HEARD))
        else:
            results[i] = answer_text(games[i], text)
    return results


def skip_card(game: Round) -> tuple[Round, str]:
    card = game.current
    if card is None or game.answered:
        return game, ""
    after = session.skip(game)
    return after, feedback.skipped_html(card, will_return=game.queue[0] in after.queue)


def check_answers(recordings: list, words: list[str], listener: Listener, also_accepted: list[tuple]) -> list[dict]:
    """The stateless check: what was heard in each recording and how it compares with its word.
    Several callers are heard in one batch. ModelUnavailable is raised."""
    heard = listener.hear_many(recordings, [(w, *a) for w, a in zip(words, also_accepted)], wait=API_WAIT_S)
    results = []
    for text, word, alternatives in zip(heard, words, also_accepted):
        if isinstance(text, ModelUnavailable):
            raise text
        if isinstance(text, NothingHeard):
            results.append({"word": word, "heard": "", "verdict": "nothing_heard", "score": 0.0, "message": str(text)})
            continue
        verdict = judge(text, word, alternatives)
        results.append({
            "word": word,
            "heard": text,
            "verdict": verdict.outcome.value,
            "score": round(verdict.score, 1),
            "message": feedback.HEADLINES[Outcome(verdict.outcome)],
        })
    return results
