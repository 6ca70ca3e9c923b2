"""A learner's move -> the next state of the round and what to tell them. No Gradio here."""

from __future__ import annotations

from collections.abc import Mapping

from game.decks.deck import MAX_ANSWER_CHARS, MAX_ANSWER_WORDS
from game.round import feedback, hints, progress, rounds
from game.round.judge import judge, judge_with_article
from game.round.rounds import Round
from game.speech.audio import NothingHeard
from game.speech.listener import Listener, ModelUnavailable
from game.speech.pronounce import Pronouncer
from game.swedish import said_article
from game.texts import DEFAULT, say

# How long a recording waits for a model that is still loading: a learner is
# better told to type than kept waiting; an API caller would rather wait.
LEARNER_WAIT_S = 10.0
API_WAIT_S = 120.0


def _will_return(after: Round) -> bool:
    """Whether the card just answered is still planned to come back (queued once, at its first miss)."""
    return bool(after.queue) and after.queue[0] in after.queue[1:]


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
    after = rounds.answer(game, verdict)
    return after, feedback.verdict_html(verdict, card, _will_return(after), spoken, lang)


def answer_recording(game: Round, recording, listener: Listener, lang: str = DEFAULT) -> tuple[Round, str]:
    """A spoken answer for the card on screen. Nothing heard, or no model yet, leaves the card
    unanswered with a notice."""
    card = game.current
    if card is None or game.answered:
        return game, ""
    try:
        text = listener.hear(recording, card.answers, wait=LEARNER_WAIT_S)
    except ModelUnavailable:  # said in the learner's language; why is in the page's header and the log
        return game, feedback.notice_html(listener.model.status(lang).message)
    except NothingHeard:
        text = ""
    if not text.strip():
        return game, feedback.notice_html(say(lang, "nothing_heard"))
    return answer_text(game, text, spoken=True, lang=lang)


def skip_card(game: Round, lang: str = DEFAULT) -> tuple[Round, str]:
    card = game.current
    if card is None or game.answered:
        return game, ""
    after = rounds.skip(game)
    return after, feedback.skipped_html(card, _will_return(after), lang)


def hint_cost(game: Round, kind: str) -> int:
    """What a hint costs now. The first hint on each card is free, so a beginner with no XP can be
    helped (it still halves what the answer earns: see rounds.earned); hearing the word after
    the verdict, or again, is free too."""
    if not game.hints or (kind == hints.HEAR and (game.answered or kind in game.hints)):
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
    return rounds.take_hint(game, kind), progress.spend_xp(learner, cost), ""


def hear_word(game: Round, learner: progress.Progress, pronouncer: Pronouncer, lang: str = DEFAULT):
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


class BadWord(ValueError):
    """The word a caller asks to be checked is not one a deck could hold."""


def asked_word(word: str | None) -> str:
    """The caller's word, checked by the deck's rules for an answer; raises BadWord."""
    word = " ".join(str(word or "").split())
    if not word:
        raise BadWord(say(DEFAULT, "word_missing"))
    if len(word) > MAX_ANSWER_CHARS or len(word.split()) > MAX_ANSWER_WORDS:
        raise BadWord(say(DEFAULT, "word_too_long", chars=MAX_ANSWER_CHARS, words=MAX_ANSWER_WORDS))
    return word


def nothing_heard(word: str, reason: NothingHeard) -> dict:
    """The stateless check's answer when there was nothing to hear."""
    return {
        "word": word,
        "heard": "",
        "verdict": "nothing_heard",
        "score": 0.0,
        "message": str(reason),
        "article": None,
    }


def check_answer(recording, word: str, listener: Listener, accepted: Mapping[str, tuple[str, ...]]) -> dict:
    """The stateless check: what was heard in a recording and how it compares with the word.
    A word asked with its article ("ett äpple") is judged in article mode, noun and article apart.
    `accepted` gives the decks' other accepted answers of a word. ModelUnavailable is raised."""
    noun, article = asked(word)
    also = tuple(accepted.get(noun, ()))
    try:
        text = listener.hear(recording, (word, *also), wait=API_WAIT_S)
    except NothingHeard as exc:
        return nothing_heard(word, exc)
    verdict = judge_with_article(text, noun, article, also) if article else judge(text, noun, also)
    check = verdict.article
    return {
        "word": word,
        "heard": text,
        "verdict": verdict.outcome.value,
        "score": round(verdict.score, 1),
        "message": feedback.headline(verdict.outcome),
        "article": {"said": check.said, "expected": check.expected, "right": check.right} if check else None,
    }
