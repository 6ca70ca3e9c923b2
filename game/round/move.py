"""A learner's move, decided in one call: the round after it, what to tell the learner, their
progress, and the answers it gives the class's results. No Gradio here.

The `play_*` functions are what the page calls: each returns a `Move` with everything the move
decided, and the page only shows it. The functions below them are the round's own steps (the
round after a move and the learner's message), which the `play_*` ones are made of.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from game.decks.deck import MAX_ANSWER_CHARS, MAX_ANSWER_WORDS
from game.results.answers import Answer, Player, answers_of_move
from game.round import feedback, hints, progress, rounds
from game.round.judge import judge, judge_with_article
from game.round.progress import Progress
from game.round.rounds import Round
from game.speech.audio import NothingHeard
from game.speech.hearing import Hearing, ModelUnavailable
from game.speech.pronounce import Pronouncer
from game.swedish import said_article
from game.texts import DEFAULT, say

# How long a recording waits for a model that is still loading: a learner is
# better told to type than kept waiting; an API caller would rather wait.
LEARNER_WAIT_S = 10.0
API_WAIT_S = 120.0

# A typed answer longer than this is not a try at the word (the longest a deck allows is 40
# characters), and is neither judged nor kept with the class's results.
MAX_TYPED_CHARS = 4 * MAX_ANSWER_CHARS


@dataclass(frozen=True)
class Move:
    """All that one move decided, for the page to show and the class's results to keep."""

    before: Round | None  # the round as the move found it
    after: Round | None  # the round after it
    message: str  # what the learner reads (HTML); "" for none
    learner_before: Progress  # the progress the move found
    learner: Progress  # brought up to date by the move
    answers: tuple[Answer, ...] = ()  # for the class's results: only on the shared deck `who` started
    sound: object = None  # a hint's sound: (rate, samples)


def settle(
    before: Round | None,
    after: Round | None,
    message: str,
    learner: Progress,
    today: date,
    who: Player | None = None,
    spoken: bool = False,
) -> Move:
    """A step of the round, with the learner's progress scored by it and, on the shared deck the
    learner started (`who`), the answers it added for the class's results."""
    answers = ()
    if who is not None and after is not None and after.deck_id == who.code:
        answers = tuple(answers_of_move(before, after, who, spoken, datetime.now(UTC)))
    return Move(before, after, message, learner, progress.after_move(learner, before, after, today), answers)


def play_typed(game: Round, text: str, learner: Progress, today: date, lang: str, who: Player | None = None) -> Move:
    return settle(game, *answer_text(game, text, lang=lang), learner, today, who)


def play_spoken(
    game: Round, recording, listener: Hearing, learner: Progress, today: date, lang: str, who: Player | None = None
) -> Move:
    return settle(game, *answer_recording(game, recording, listener, lang), learner, today, who, spoken=True)


def play_skip(game: Round, learner: Progress, today: date, lang: str, who: Player | None = None) -> Move:
    return settle(game, *skip_card(game, lang), learner, today, who)


def play_next(game: Round, learner: Progress, today: date) -> Move:
    return settle(game, rounds.next_card(game), "", learner, today)


def play_try_again(game: Round, learner: Progress) -> Move:
    return Move(game, rounds.try_again(game), "", learner, learner)


def play_hint(game: Round, kind: str, learner: Progress, pronouncer: Pronouncer, shown: str, lang: str) -> Move:
    """A hint bought with XP (or the word heard); `shown` is the message on screen, kept when the
    hint has nothing to say."""
    if kind == hints.HEAR:
        after, paid, sound, notice = hear_word(game, learner, pronouncer, lang)
    else:
        (after, paid, notice), sound = take_hint(game, learner, kind, lang), None
    return Move(game, after, notice or shown, learner, paid, sound=sound)


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
    if len(text) > MAX_TYPED_CHARS:  # never judged or kept: a client's megabyte is nobody's answer
        return game, feedback.notice_html(say(lang, "answer_too_long", most=MAX_TYPED_CHARS))
    verdict = _judged(game, card, text)
    after = rounds.answer(game, verdict, spoken)
    return after, feedback.verdict_html(verdict, card, _will_return(after), spoken, lang)


def _judged(game: Round, card, text: str):
    if game.articles and card.article:
        return judge_with_article(text, card.word, card.article, card.also_accepted)
    return judge(text, card.word, card.also_accepted)


def verdict_again(game: Round | None, lang: str) -> str:
    """The verdict on screen, in `lang`: the round's last answer judged again (the judge decides the
    same each time), for a learner who switches language while reading it; "" when there is none."""
    if game is None or not game.answered or not game.attempts:
        return ""
    last = game.attempts[-1]
    card = game.cards[last.card]
    if last.outcome == rounds.SKIPPED:
        return feedback.skipped_html(card, _will_return(game), lang)
    return feedback.verdict_html(_judged(game, card, last.heard), card, _will_return(game), last.spoken, lang)


def answer_recording(game: Round, recording, listener: Hearing, lang: str = DEFAULT) -> tuple[Round, str]:
    """A spoken answer for the card on screen. Nothing heard, or no model yet, leaves the card
    unanswered with a notice."""
    card = game.current
    if card is None or game.answered:
        return game, ""
    try:
        text = listener.hear(recording, card.answers, wait=LEARNER_WAIT_S)
    except ModelUnavailable:  # said in the learner's language; why is in the page's header and the log
        return game, feedback.notice_html(listener.status(lang).message)
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


def check_answer(recording, word: str, listener: Hearing, accepted: Mapping[str, tuple[str, ...]]) -> dict:
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
