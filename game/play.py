"""A learner's move -> the next state of the round and what to tell them. No Gradio here."""

from __future__ import annotations

from typing import Mapping

from game import feedback, hints, progress, session
from game.pronounce import Pronouncer
from game.scoring import judge, judge_with_article, said_article
from game.session import Round
from game.speech import Listener, ModelUnavailable, NothingHeard
from game.texts import DEFAULT, say

# How long a recording waits for a model that is still loading: a learner is
# better told to type than kept waiting; an API caller would rather wait.
LEARNER_WAIT_S = 10.0
API_WAIT_S = 120.0


def _will_return(before: Round, after: Round) -> bool:
    return len(after.queue) > len(before.queue)


def answer_text(game: Round, text: str, spoken: bool = False, lang: str = DEFAULT) -> tuple[Round, str]:
    """A typed (or, with spoken=True, transcribed) answer for the card on screen."""
    card = game.current
    if card is None or game.answered:
        return game, ""
    if not text or not text.strip():
        return game, feedback.notice_html(say(lang, "type_first"))
    if game.articles and card.article:
        verdict = judge_with_article(text, card.word, card.article, card.also_accepted)
    else:
        verdict = judge(text, card.word, card.also_accepted)
    after = session.answer(game, verdict)
    return after, feedback.verdict_html(verdict, card, _will_return(game, after), spoken, lang)


def answer_recordings(
    games: list[Round], recordings: list, listener: Listener, langs: list[str] | None = None
) -> list[tuple[Round, str]]:
    """Spoken answers of several learners, heard in one batch. Nothing heard, or no model yet,
    leaves a card unanswered with a notice."""
    langs = langs or [DEFAULT] * len(games)
    waiting = [i for i, game in enumerate(games) if game.current is not None and not game.answered]
    heard = listener.hear_many(
        [recordings[i] for i in waiting], [games[i].current.answers for i in waiting], wait=LEARNER_WAIT_S
    )
    results = [(game, "") for game in games]
    for i, text in zip(waiting, heard):
        if isinstance(text, ModelUnavailable):
            results[i] = (games[i], feedback.notice_html(str(text)))
        elif isinstance(text, NothingHeard) or not text.strip():
            results[i] = (games[i], feedback.notice_html(say(langs[i], "nothing_heard")))
        else:
            results[i] = answer_text(games[i], text, spoken=True, lang=langs[i])
    return results


def skip_card(game: Round, lang: str = DEFAULT) -> tuple[Round, str]:
    card = game.current
    if card is None or game.answered:
        return game, ""
    after = session.skip(game)
    return after, feedback.skipped_html(card, will_return=game.queue[0] in after.queue, lang=lang)


def hint_cost(game: Round, kind: str) -> int:
    """What a hint costs now: hearing the word after the verdict, or again, is free."""
    if kind == hints.HEAR and (game.answered or kind in game.hints):
        return 0
    return hints.COST[kind]


def hint_open(game: Round, kind: str) -> bool:
    """Whether the card on screen can give this hint now: text hints are bought once and only
    before the verdict; hearing the word is always open."""
    card = game.current
    if card is None or not hints.offered(card, kind):
        return False
    return kind == hints.HEAR or not (game.answered or kind in game.hints)


def take_hint(
    game: Round, learner: progress.Progress, kind: str, lang: str = DEFAULT
) -> tuple[Round, progress.Progress, str]:
    """Pay for a hint with XP. Not enough XP leaves everything as it was, with a notice."""
    if not hint_open(game, kind):
        return game, learner, ""
    cost = hint_cost(game, kind)
    if learner.xp < cost:
        return game, learner, feedback.notice_html(say(lang, "need_xp", cost=cost, xp=learner.xp))
    return session.take_hint(game, kind), progress.spend_xp(learner, cost), ""


def hear_word(
    game: Round, learner: progress.Progress, pronouncer: Pronouncer, lang: str = DEFAULT
):
    """The word's sound as a hint: (round, learner, (rate, samples) or None, notice)."""
    card = game.current
    if not pronouncer.can_say(card):
        return game, learner, None, feedback.notice_html(say(lang, "cannot_hear"))
    after, paid, notice = take_hint(game, learner, hints.HEAR, lang)
    if notice:
        return game, learner, None, notice
    try:
        sound = pronouncer.sound(card, with_article=game.articles)
    except OSError:
        return game, learner, None, feedback.notice_html(say(lang, "cannot_hear"))
    return after, paid, sound, ""


def asked(word: str) -> tuple[str, str]:
    """The word a caller asks for and its article: 'en hund' -> ('hund', 'en'), 'hund' -> ('hund', '')."""
    article = said_article(word)
    return (word.split(None, 1)[1] if article else word), article


def check_answers(recordings: list, words: list[str], listener: Listener,
                  accepted: Mapping[str, tuple[str, ...]]) -> list[dict]:
    """The stateless check: what was heard in each recording and how it compares with its word.
    A word asked with its article ("ett äpple") is judged in article mode, noun and article apart.
    `accepted` gives the decks' other accepted answers of a word. Several callers are heard in one
    batch. ModelUnavailable is raised."""
    nouns = [asked(word) for word in words]
    alternatives = [tuple(accepted.get(noun, ())) for noun, _ in nouns]
    heard = listener.hear_many(recordings, [(w, *a) for w, a in zip(words, alternatives)], wait=API_WAIT_S)
    results = []
    for text, word, (noun, article), also in zip(heard, words, nouns, alternatives):
        if isinstance(text, ModelUnavailable):
            raise text
        if isinstance(text, NothingHeard):
            results.append({"word": word, "heard": "", "verdict": "nothing_heard", "score": 0.0, "message": str(text),
                            "article": None})
            continue
        verdict = judge_with_article(text, noun, article, also) if article else judge(text, noun, also)
        check = verdict.article
        results.append({
            "word": word,
            "heard": text,
            "verdict": verdict.outcome.value,
            "score": round(verdict.score, 1),
            "message": feedback.headline(verdict.outcome),
            "article": {"said": check.said, "expected": check.expected, "right": check.right} if check else None,
        })
    return results
