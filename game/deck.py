"""Word/picture decks: one YAML file per deck, pictures in a folder beside it.

    assets/decks/vardag.yaml      the deck
    assets/decks/vardag/hund.png  its pictures (`image:` paths are relative to this folder)

Every problem is reported as `file:line: message`, so a teacher can go straight to it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from game.scoring import normalise

DECK_FIELDS = ("title", "description", "level", "attribution", "cards")
CARD_FIELDS = ("word", "image", "translation", "article", "also_accepted", "hint", "attribution")
REQUIRED_CARD_FIELDS = ("word", "image")
ARTICLES = ("en", "ett")
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Card:
    word: str
    image: Path
    translation: str = ""
    article: str = ""
    also_accepted: tuple[str, ...] = ()
    hint: str = ""
    attribution: str = ""

    @property
    def answers(self) -> tuple[str, ...]:
        """Everything a learner may say for this card, with its article where it has one."""
        said = [self.word, *self.also_accepted]
        if self.article:
            said.append(f"{self.article} {self.word}")
        return tuple(said)


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    cards: tuple[Card, ...]
    description: str = ""
    level: str = ""
    attribution: str = ""
    path: Path | None = None


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DeckError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Checker:
    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.add(node, f"{what} must be a mapping of `key: value` lines")
            return {}
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f" — did you mean `{close[0]}`?" if close else f" (known fields: {', '.join(allowed)})"
                self.add(key_node, f"unknown field `{key}` in {what}{hint}")
            elif key in found:
                self.add(key_node, f"`{key}` appears twice in {what}")
            else:
                found[key] = (key_node, value_node)
        return found

    def text(self, fields: dict, key: str, what: str, required: bool = False, parent: yaml.Node | None = None) -> str:
        if key not in fields:
            if required:
                self.add(parent, f"{what} is missing the required field `{key}`")
            return ""
        key_node, value = fields[key]
        if isinstance(value, yaml.ScalarNode) and value.tag in (STR_TAG, NULL_TAG):
            if str(value.value).strip() and value.tag == STR_TAG:
                return str(value.value).strip()
            self.add(key_node, f"`{key}` in {what} is empty")
        elif isinstance(value, yaml.ScalarNode):
            self.add(value, f"`{key}` in {what} must be text — put `{value.value}` in quotes")
        else:
            self.add(value, f"`{key}` in {what} must be text, not a list or mapping")
        return ""

    def text_list(self, fields: dict, key: str, what: str) -> tuple[str, ...]:
        if key not in fields:
            return ()
        key_node, value = fields[key]
        items = [value] if isinstance(value, yaml.ScalarNode) else getattr(value, "value", None)
        if not isinstance(items, list) or isinstance(value, yaml.MappingNode):
            self.add(value, f"`{key}` in {what} must be a list of words")
            return ()
        out = []
        for item in items:
            if isinstance(item, yaml.ScalarNode) and item.tag == STR_TAG and str(item.value).strip():
                out.append(str(item.value).strip())
            else:
                self.add(item, f"every entry of `{key}` in {what} must be a word (text)")
        return tuple(out)


def load_deck(path: str | Path) -> Deck:
    """Read and validate one deck file; raise DeckError listing every problem."""
    path = Path(path)
    check = _Checker(str(path))
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DeckError([Problem(str(path), 1, f"cannot read the file: {exc.strerror or exc}")])
    except UnicodeDecodeError:
        raise DeckError([Problem(str(path), 1, "the file is not UTF-8 text")])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DeckError([Problem(str(path), line, f"YAML syntax error: {exc.problem or exc}")])
    if root is None:
        raise DeckError([Problem(str(path), 1, "the deck file is empty")])

    fields = check.mapping(root, "the deck", DECK_FIELDS)
    title = check.text(fields, "title", "the deck", required=True, parent=root) if fields else ""
    description = check.text(fields, "description", "the deck")
    level = check.text(fields, "level", "the deck")
    attribution = check.text(fields, "attribution", "the deck")

    image_dir = path.with_suffix("")
    cards: list[Card] = []
    seen: dict[str, int] = {}
    cards_node = fields.get("cards", (None, None))[1]
    if fields and "cards" not in fields:
        check.add(root, "the deck has no `cards:` list")
    elif cards_node is not None and not isinstance(cards_node, yaml.SequenceNode):
        check.add(cards_node, "`cards` must be a list, each card starting with `- word: ...`")
    elif cards_node is not None and not cards_node.value:
        check.add(cards_node, "the deck has no cards")
    elif cards_node is not None:
        for number, card_node in enumerate(cards_node.value, start=1):
            what = f"card {number}"
            card_fields = check.mapping(card_node, what, CARD_FIELDS)
            if not card_fields:
                continue
            word = check.text(card_fields, "word", what, required=True, parent=card_node)
            what = f"card {number} ({word})" if word else what
            image = check.text(card_fields, "image", what, required=True, parent=card_node)
            article = check.text(card_fields, "article", what)
            if article and article not in ARTICLES:
                check.add(card_fields["article"][1], f"`article` in {what} must be `en` or `ett`, not `{article}`")
            card = Card(
                word=word,
                image=image_dir / image,
                translation=check.text(card_fields, "translation", what),
                article=article if article in ARTICLES else "",
                also_accepted=check.text_list(card_fields, "also_accepted", what),
                hint=check.text(card_fields, "hint", what),
                attribution=check.text(card_fields, "attribution", what),
            )
            if image and not card.image.is_file():
                check.add(card_fields["image"][1], f"picture `{image}` not found in {image_dir}/")
            key = normalise(word)
            if word and key in seen:
                check.add(card_fields["word"][1], f"`{word}` is already card {seen[key]}")
            elif word:
                seen[key] = number
            cards.append(card)

    if check.problems:
        raise DeckError(check.problems)
    return Deck(
        id=path.stem,
        title=title,
        cards=tuple(cards),
        description=description,
        level=level,
        attribution=attribution,
        path=path,
    )


def load_decks(folder: str | Path) -> tuple[list[Deck], list[Problem]]:
    """Every deck in a folder that loads; the problems of those that do not."""
    decks: list[Deck] = []
    problems: list[Problem] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            decks.append(load_deck(path))
        except DeckError as exc:
            problems.extend(exc.problems)
    return decks, problems
