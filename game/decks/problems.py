"""What is wrong with a deck, said in the reader's language.

A problem is found once (when a deck loads) and may be read many times, in Swedish on the
teacher's page, in English after the language toggle, in English on the command line. So a
problem keeps *which* message it is and its values (a `Phrase`), and is worded when read.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.texts import known, language, say

MAX_QUOTED = 200  # characters of one value (a runaway word, a pasted paragraph) a message shows


def _clip(value: object) -> object:
    """A long text (a word, a file name) cut in the middle, so that one cannot swell a report; others as they are."""
    if isinstance(value, str) and len(value) > MAX_QUOTED:
        half = MAX_QUOTED // 2
        return f"{value[:half]}…{value[-half:]}"
    return value


class Phrase:
    """One message and its values, worded in a language only when it is read.

    A value may itself be a Phrase ("card 3 (hund)" inside "`image` in card 3 (hund) is empty");
    it is worded in the same language.
    """

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object):
        if not known(f"problem.{key}"):
            raise KeyError(f"no problem text called {key!r}")
        self.key, self.values = key, values

    def text(self, lang: str = "en") -> str:
        lang = language(lang)
        values = {name: v.text(lang) if isinstance(v, Phrase) else _clip(v) for name, v in self.values.items()}
        return say(lang, f"problem.{self.key}", **values)

    def without(self, prefix: str) -> Phrase:
        """The same message with `prefix` cut from its text values (an upload's temporary folder)."""

        def cut(value: object) -> object:
            if isinstance(value, Phrase):
                return value.without(prefix)
            return value.replace(prefix, "") if isinstance(value, str) else value

        return Phrase(self.key, **{name: cut(value) for name, value in self.values.items()})

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.key, self.values) == (other.key, other.values)

    __hash__ = None  # values may be unhashable; phrases are compared, never kept in sets


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file, at a line when it has one: `file:line: message`."""

    file: str | Phrase
    line: int | None
    message: Phrase
    detail: str = ""  # for a maintainer, never shown to the teacher: e.g. the YAML parser's own words

    def text(self, lang: str = "en") -> str:
        file = self.file.text(lang) if isinstance(self.file, Phrase) else _clip(self.file)
        where = f"{file}:{self.line}" if self.line is not None else file
        return f"{where}: {self.message.text(lang)}"

    def __str__(self) -> str:
        return self.text("en")
