"""A YAML syntax error in a deck, said so that a teacher who has never seen YAML can fix it.

PyYAML says where it stopped, in its own terms: "expected <block end>, but found
'<block mapping start>'". `explain` reads that error (its problem, its context and their marks),
the tokens PyYAML read before it and the lines around it, and names the likely mistake and its
fix: a line indented differently from its neighbours, a field without its colon, a tab, a quote
or a bracket left open, a card outside `cards:`, a colon or a special character at the start of
an unquoted value. A case it does not recognise still gets its line and a plain sentence.
PyYAML's own words are kept in `detail`, for a maintainer, never shown to the teacher.

Pure functions: text (and the error) in, a line and a message out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass

import yaml

from game.decks.problems import Phrase

log = logging.getLogger(__name__)

BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")  # what PyYAML counts as a new line
ITEM = re.compile(r"^-(?:\s|$)")  # a list item: `- word: hund`
CARD = re.compile(r"^-\s+([^\s:#'\"]+)\s*:(?:\s|$)")  # a list item that starts with a field: a card
FIELD = re.compile(r"^([^\s:#'\"\-][^:#]*?)\s*:(?:\s|$)")  # `key:` at the start of a line's content
# What may stand before a value on its line: the indentation, list dashes and, for a field's value, `key: `.
BEFORE_VALUE = re.compile(r"^\s*(?:-\s+)*(?:(?P<key>[^\s#'\"\-][^#]*?)\s*:\s+)?$")
NO_COLON = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s+(?P<value>\S.*)$")  # `word hund`
NO_SPACE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:].*)$")  # `word:hund`
COMMENT = re.compile(r"\s+#.*$")
FOUND = re.compile(r"but found '(.+)'$")
SPECIAL = ("while scanning an alias", "while scanning an anchor", "while scanning a block scalar")
UNEXPECTED = (
    "mapping keys are not allowed here",
    "sequence entries are not allowed here",
    "found undefined alias",
    "expected the node content, but found",
)
STRAY = "*&!|>%@`{}[],:"  # characters that make a line's field unreadable when typed before it
SHOWN = 40  # characters of a line quoted in a message


@dataclass(frozen=True)
class Mistake:
    """Where a deck's YAML goes wrong (1-based; None when PyYAML gave no place) and what to do about it."""

    line: int | None
    message: Phrase
    detail: str  # PyYAML's own words, for a maintainer


def find_mistake(text: str, fields: Collection[str] = ()) -> Mistake | None:
    """The YAML mistake in `text`, or None when it reads as YAML (its fields may still be wrong).

    This composes the whole text with PyYAML, unbounded; game.decks.deck reads decks within limits and calls
    `explain` itself.
    """
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as error:
        return explain(text, error, fields)
    return None


def explain(text: str, error: yaml.MarkedYAMLError | yaml.reader.ReaderError, fields: Collection[str] = ()) -> Mistake:
    """What PyYAML's `error` on `text` probably means, in plain words. `fields` are the field names a deck knows."""
    lines = [*BREAK.split(text)]
    lines[0] = lines[0].removeprefix("\ufeff")  # PyYAML does not count a byte order mark as a column either
    detail = _detail(error)
    try:
        found = _diagnose(text, lines, error, frozenset(fields))
    except Exception:  # a case nobody foresaw must still leave the teacher a line and a sentence
        log.exception("could not explain a YAML error (%s)", detail)
        found = None
    if found is None:
        found = _near(lines, _where(text, error)), Phrase("yaml_unknown")
    line, message = found
    return Mistake(line + 1 if line is not None else None, message, detail)


def _detail(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return f"PyYAML: {error.reason} (#x{error.character:04x} at character {error.position})"
    parts = [
        f"{words} (line {mark.line + 1}, column {mark.column + 1})" if mark else words
        for words, mark in ((error.context, error.context_mark), (error.problem, error.problem_mark))
        if words
    ]
    return f"PyYAML {type(error).__name__}: {'; '.join(parts)}"


def _where(text: str, error: yaml.YAMLError) -> int | None:
    """The 0-based line PyYAML stopped at."""
    if isinstance(error, yaml.reader.ReaderError):
        return len(BREAK.findall(text, 0, error.position))
    mark = error.problem_mark or error.context_mark
    return mark.line if mark else None


def _diagnose(text: str, lines: list[str], error: yaml.YAMLError, fields: frozenset[str]) -> tuple[int, Phrase] | None:
    """(0-based line, message) for a mistake recognised, else None."""
    if isinstance(error, yaml.reader.ReaderError):
        return _where(text, error), Phrase("yaml_bad_character", code=f"U+{error.character:04X}")
    problem, context = error.problem or "", error.context or ""
    pm, cm = error.problem_mark, error.context_mark
    mark = pm or cm
    if mark is None:
        return None
    line = mark.line

    # A tab: in the indentation it is the whole story, whatever PyYAML made of it.
    for at in (line, cm.line if cm else None):
        if at is not None and at < len(lines) and "\t" in _indentation(lines[at]):
            return at, Phrase("yaml_tab_indent")
    if "'\\t'" in problem:
        return line, Phrase("yaml_tab")

    # Inside quotes: a backslash PyYAML does not know, or a quote never closed.
    if "quoted scalar" in context and cm:
        if "escape" in problem:
            return line, Phrase("yaml_backslash")
        return cm.line, Phrase("yaml_unclosed_quote", quote=_char(text, cm.index))

    if "simple key" in context and cm:  # a line at a field's place with no `key:` on it
        quote = _char(text, cm.index)
        if quote in "\"'" and line > cm.line:  # or a quote at its start, running on to later lines
            return cm.line, Phrase("yaml_unclosed_quote", quote=quote)
        return cm.line, _no_colon(lines[cm.line], fields)

    tokens = _tokens_before(text, mark.index)

    # A `[` or `{` still open where PyYAML stopped.
    opener = _open_bracket(tokens)
    if opener is not None:
        start = opener.start_mark
        if line > start.line or "<stream end>" in problem:
            bracket = _char(text, start.index)
            return start.line, Phrase("yaml_unclosed_bracket", open=bracket, close="]" if bracket == "[" else "}")
        if "flow" in context:
            return line, Phrase("yaml_bad_list")

    # A quoted value just before: one that went on past its line, or one with text after its closing quote.
    last = tokens[-1] if tokens else None
    if isinstance(last, yaml.ScalarToken) and last.style in ('"', "'"):
        start, end = last.start_mark, last.end_mark
        if start.line < end.line:
            return start.line, Phrase("yaml_unclosed_quote", quote=last.style)
        if problem.endswith("'<scalar>'") and end.line == line:
            return line, _after_quote(lines[line], text, last)

    # A character that means something to YAML at the start of a value: `*viktigt*`, `@hund`, `| x`.
    if context.startswith(SPECIAL) and cm:
        at = cm
    elif problem.startswith(UNEXPECTED) or "cannot start any token" in problem:
        at = pm
    else:
        at = None
    if at is not None and (quoted := _quote_value(lines[at.line], at.column)) is not None:
        return at.line, quoted

    if problem == "mapping values are not allowed here" and isinstance(last, yaml.ScalarToken) and not last.style:
        return _colon_after_text(lines, last, line, fields)

    if problem.startswith(("expected <block end>", "expected '<document start>'")) and (but := FOUND.search(problem)):
        found = but.group(1)  # what came where the block (a mapping, a list) or the file was to end
        if found in ("-", "<block sequence start>"):
            return _misplaced_item(lines, line)
        starts_line = pm is not None and pm.column == _indent(lines[line])
        if found in ("<block mapping start>", "?") or (found == "<scalar>" and starts_line):
            return line, _misplaced_field(lines, line)

    content = _content(lines[line])  # a slip of the finger before a field: `*  image: katt.jpg`
    if content[:1] in STRAY and FIELD.match(content[1:].lstrip()):
        return line, Phrase("yaml_stray_char", char=_code(content[0]))
    if problem.startswith("but found another document"):
        return line, Phrase("yaml_two_documents")
    return None


def _colon_after_text(
    lines: list[str], text: yaml.ScalarToken, line: int, fields: frozenset[str]
) -> tuple[int, Phrase] | None:
    """`mapping values are not allowed here`: a `:` right after the plain text `text`.

    The text began on this line after `key: ` (a colon inside a value), at the start of an earlier line (that
    line has no colon), or after `key: ` on an earlier line (this line, indented too far, continued it).
    """
    start = text.start_mark
    before = BEFORE_VALUE.match(lines[start.line][: start.column])
    if before is None:
        return None
    key = before.group("key")
    if key is None:  # the text began a line of its own: that line has no `key:`, so its text ran on to this `:`
        return start.line, _no_colon(lines[start.line], fields)
    if start.line == line:  # `hint: Tips: ...`
        value = COMMENT.sub("", lines[line][start.column :].strip())
        return line, Phrase("yaml_colon_in_value", key=key, fix=f"{key}: {_quoted(value)}")
    # The value of `key` ran on to this line: it is indented more than its neighbours.
    item = _content(lines[line])
    if ITEM.match(item):
        return _misplaced_item(lines, line, under=(key, start.line))
    return line, Phrase("yaml_indented_more", key=key, above=start.line + 1)


def _misplaced_item(lines: list[str], line: int, under: tuple[str, int] | None = None) -> tuple[int, Phrase]:
    """A `- ` item where the list above has ended; `under` is the field whose text it was read as part of.

    After `cards:` it is a card indented unlike the cards above it, or one that a top-level field
    (`level: A1`) has cut off from them; elsewhere it is a card outside any `cards:` list.
    """
    item = _shown(_content(lines[line]))
    cards = next((n for n in range(line) if re.match(r"^cards\s*:", lines[n])), None)
    if cards is not None:
        for n in range(line - 1, cards, -1):
            if _indent(lines[n]) == 0 and (field := FIELD.match(lines[n])) is not None:
                return line, Phrase("yaml_after_cards", item=item, key=field.group(1), other=n + 1)
    if cards is not None or (under is None and _indent(lines[line]) > 0):
        for above in range(line - 1, -1, -1):
            content = _content(lines[above])
            if ITEM.match(content):
                kind = "yaml_card_indent" if CARD.match(_content(lines[line])) else "yaml_item_indent"
                return line, Phrase(kind, above=above + 1)
            if content and not content.startswith("#") and _indent(lines[above]) == 0:
                break
    if under is not None:
        return line, Phrase("yaml_under_value", item=item, key=under[0], other=under[1] + 1)
    if _indent(lines[line]) == 0:
        return line, Phrase("yaml_no_cards_list", item=item)
    return line, Phrase("yaml_indent")


def _misplaced_field(lines: list[str], line: int) -> Phrase:
    """A `key: value` line indented unlike the fields it belongs with, preferably said in terms of its card."""
    for above in range(line - 1, -1, -1):
        content = _content(lines[above])
        if (card := CARD.match(content)) is not None:
            return Phrase("yaml_indent_card", above=above + 1, first=card.group(1))
        if content and not content.startswith("#") and _indent(lines[above]) == 0:
            break
    return Phrase("yaml_indent")


def _no_colon(line: str, fields: frozenset[str]) -> Phrase:
    """A line at a field's place without `key: `: `word hund`, `word:hund`, or text meant to go on from above."""
    content = _content(line)
    dashes = re.match(r"^(?:-\s+)*", content).group(0)
    body = COMMENT.sub("", content[len(dashes) :])
    if (m := NO_SPACE.match(body)) is not None:
        return Phrase("yaml_colon_space", fix=f"{dashes}{m['key']}: {m['value']}")
    if (m := NO_COLON.match(body)) is not None and m["key"] in fields:
        return Phrase("yaml_no_colon_field", text=_shown(content), fix=f"{dashes}{m['key']}: {m['value']}")
    return Phrase("yaml_no_colon", text=_shown(content))


def _after_quote(line: str, text: str, quoted: yaml.ScalarToken) -> Phrase:
    """`hint: "Vov" säger den` or `hint: 'It's a dog'`: text after the closing quote."""
    end = quoted.end_mark
    value = COMMENT.sub("", line[quoted.start_mark.column :].strip())
    before = BEFORE_VALUE.match(line[: quoted.start_mark.column])
    key = f"{before['key']}: " if before is not None and before["key"] else ""
    if quoted.style == "'" and _char(text, end.index).isalnum():  # an apostrophe ended the quote
        word = re.search(r"\w*$", line[: end.column - 1])[0] + "'" + re.match(r"\w*", line[end.column :])[0]
        inner = value[1:-1] if value.endswith("'") else value[1:]
        return Phrase("yaml_apostrophe", word=word, fix=f"{key}{_quoted(inner)}")
    if len(value) > 1 and value[0] == value[-1] == quoted.style:  # `"Den säger "vov""`: quotes inside quotes
        value = value[1:-1]
    return Phrase("yaml_after_quote", quote=quoted.style, fix=f"{key}{_quoted(value)}")


def _quote_value(line: str, column: int) -> Phrase | None:
    """A value that starts with a character YAML reads as something else, and the same value in quotes."""
    before = BEFORE_VALUE.match(line[:column])
    value = COMMENT.sub("", line[column:].strip())
    if before is None or not value or FIELD.match(value.lstrip("-? ")):
        return None  # not at a value's place, or `- word: hund` on a line of its own would be meant as more YAML
    key = f"{before['key']}: " if before["key"] else ""
    return Phrase("yaml_quote_value", char=_code(value[0]), fix=f"{key}{_quoted(value)}")


def _tokens_before(text: str, index: int) -> list[yaml.Token]:
    """The tokens PyYAML's scanner reads before `index` (where it, or its parser, stopped)."""
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    return tokens


def _open_bracket(tokens: list[yaml.Token]) -> yaml.Token | None:
    """The innermost `[` or `{` not yet closed after these tokens."""
    stack: list[yaml.Token] = []
    for token in tokens:
        if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
            stack.append(token)
        elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and stack:
            stack.pop()
    return stack[-1] if stack else None


def _near(lines: list[str], line: int | None) -> int | None:
    """`line`, or the last line with something on it before it (PyYAML stops after a file's last line)."""
    if line is None:
        return None
    line = min(line, len(lines) - 1)
    while line > 0 and not lines[line].strip():
        line -= 1
    return line


def _quoted(value: str) -> str:
    """`value` in quotes as YAML reads it back: double quotes unless it holds `"` or `\\`, then single."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _code(char: str) -> str:
    """A character shown as code: `*`; a backtick in backticks would read as ```, so it gets other marks."""
    return "‘`’" if char == "`" else f"`{char}`"


def _char(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _content(line: str) -> str:
    return line.strip(" \t")


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
