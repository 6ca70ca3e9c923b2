"""Word/picture decks: one YAML file per deck, its pictures in a folder beside it.

    assets/decks/djur.yaml      the deck
    assets/decks/djur/hund.png  its pictures (`image:` paths are relative to this folder)

Every problem is reported as `file:line: message`, so a teacher can go straight to it.
The format is documented in assets/decks/README.md. Check decks with

    python -m game.decks.deck check [DECK.yaml | FOLDER ...]
"""

from __future__ import annotations

import argparse
import difflib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

import yaml

from game.config import ROOT
from game.decks.media import KB, audio_problem, image_problem
from game.decks.problems import Phrase, Problem
from game.decks.yaml_errors import explain
from game.swedish import ARTICLES, normalise, strip_article

DECK_FIELDS = ("title", "description", "level", "attribution", "cards")
CARD_FIELDS = ("word", "image", "translation", "article", "also_accepted", "hint", "audio", "attribution")
MAX_ANSWER_CHARS = 40  # longer than any Swedish noun a learner says in one breath
MAX_ANSWER_WORDS = 3  # "en glass strut" is still one answer; a sentence is not
# PyYAML reads a deck in pure Python, some 5,000-10,000 entries a second, so an untrusted file is bounded:
MAX_DECK_BYTES = 256 * KB  # refused unread above this; 300 cards take about 60 KB
MAX_DEPTH = 20  # levels of lists and mappings inside each other; a deck needs 5
MAX_NODES = 10_000  # entries (every key, value and list item); 300 cards have 3,000 to 5,000
MAX_CHARS = 4 * MAX_DECK_BYTES  # characters of text, only reached when `*name` repeats a long one
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
DEFAULT_FOLDER = ROOT / "assets" / "decks"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Card:
    word: str
    image: Path
    translation: str = ""
    article: str = ""
    also_accepted: tuple[str, ...] = ()
    hint: str = ""
    audio: Path | None = None
    attribution: str = ""

    @property
    def with_article(self) -> str:
        """The word as it is said: "en hund", or just the word when the card has no article."""
        return f"{self.article} {self.word}" if self.article else self.word

    @property
    def answers(self) -> tuple[str, ...]:
        """Everything a learner may say for this card, with its article where it has one."""
        said = [self.word, *self.also_accepted]
        if self.article:
            said.append(self.with_article)
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

    def playable(self, articles: bool = False) -> list[int]:
        """Indices of the cards a round may show; article practice needs cards with en/ett."""
        return [i for i, card in enumerate(self.cards) if card.article or not articles]


class DeckError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def answer_key(text: str) -> str:
    """What the game hears as the same answer: the scoring rules, article dropped."""
    return strip_article(normalise(text))


class _Refused(Exception):
    """The deck's YAML is not read any further: too deep, too many entries, or swollen by `*name` repeats."""

    def __init__(self, mark: yaml.Mark, message: Phrase):
        super().__init__(str(message))
        self.line, self.message = mark.line + 1, message


class _Composer(yaml.SafeLoader):
    """PyYAML's composer, counting as it goes, so that no file can exhaust the stack, the memory or the time.

    PyYAML composes recursively (10,000 levels is a RecursionError), takes seconds per 10,000 entries,
    and an alias (`*name`) is one node that every later walk over the tree, ours included, meets again
    in full: a few hundred bytes of aliases of aliases can stand for billions of nodes.
    """

    def __init__(self, text: str):
        super().__init__(text)
        self.depth = 0
        self.nodes = self.chars = 0  # so far, an alias counted as all it stands for
        self.sizes: dict[int, tuple[int, int]] = {}  # id(node) -> its (nodes, chars), once it is complete

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if id(node) not in self.sizes:  # still open: the alias is inside what it names (`&a [*a]`)
                raise _Refused(event.start_mark, Phrase("repeats_itself", name=event.anchor))
            self._grow(*self.sizes[id(node)], event.start_mark, Phrase("repeats_too_much", name=event.anchor))
            return node
        if self.depth == MAX_DEPTH:
            raise _Refused(event.start_mark, Phrase("too_deep", most=MAX_DEPTH))
        self.depth += 1
        nodes, chars = self.nodes, self.chars
        node = super().compose_node(parent, index)
        self.depth -= 1
        text = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
        self._grow(1, text, event.start_mark, Phrase("too_many_entries", most=MAX_NODES))
        self.sizes[id(node)] = (self.nodes - nodes, self.chars - chars)
        return node

    def _grow(self, nodes: int, chars: int, mark: yaml.Mark, why: Phrase) -> None:
        self.nodes += nodes
        self.chars += chars
        if self.nodes > MAX_NODES or self.chars > MAX_CHARS:
            raise _Refused(mark, why)


def _compose(path: Path) -> yaml.Node | None:
    """The deck file's YAML as nodes (with their lines), within the limits above; DeckError otherwise."""

    def refuse(line: int | None, message: Phrase) -> DeckError:
        return DeckError([Problem(str(path), line, message)])

    try:
        with open(path, "rb") as file:
            data = file.read(MAX_DECK_BYTES + 1)  # never more, whatever the file's size
        if len(data) > MAX_DECK_BYTES:
            raise refuse(None, Phrase("deck_too_big", most=MAX_DECK_BYTES // KB))
        text = data.decode("utf-8")
        return yaml.compose(text, Loader=_Composer)
    except OSError as exc:
        raise refuse(None, Phrase("cannot_read", reason=exc.strerror or str(exc))) from None
    except UnicodeDecodeError:
        raise refuse(None, Phrase("not_utf8")) from None
    except _Refused as exc:
        raise refuse(exc.line, exc.message) from None
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as exc:  # ReaderError: a character YAML does not allow
        mistake = explain(text, exc, fields=DECK_FIELDS + CARD_FIELDS)  # in plain words; PyYAML's own in `detail`
        log.info("%s:%s: %s", path, mistake.line, mistake.detail)
        raise DeckError([Problem(str(path), mistake.line, mistake.message, detail=mistake.detail)]) from None


@dataclass
class _Checker:
    file: str
    problems: list[Problem] = field(default_factory=list)
    tested: dict[tuple[Callable, Path], Phrase | None] = field(default_factory=dict)

    def once(self, test: Callable[[Path], Phrase | None], path: Path) -> Phrase | None:
        """`test(path)`, run once per file: many cards may share a picture, and a check decodes it in full."""
        if (test, path) not in self.tested:
            self.tested[test, path] = test(path)
        return self.tested[test, path]

    def add(self, node: yaml.Node | None, message: Phrase) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(self.file, line, message))

    def mapping(
        self, node: yaml.Node, what: Phrase, allowed: tuple[str, ...]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.add(node, Phrase("not_mapping", what=what))
            return {}
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # `? [a, b]: x`; never str() a node tree
                self.add(key_node, Phrase("key_not_word", what=what))
                continue
            key = str(key_node.value)
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                if close:
                    self.add(key_node, Phrase("unknown_field_close", key=key, what=what, close=close[0]))
                else:
                    self.add(key_node, Phrase("unknown_field", key=key, what=what, known=", ".join(allowed)))
            elif key in found:
                self.add(key_node, Phrase("field_twice", key=key, what=what))
            else:
                found[key] = (key_node, value_node)
        return found

    def text(
        self, fields: dict, key: str, what: Phrase, required: bool = False, parent: yaml.Node | None = None
    ) -> str:
        if key not in fields:
            if required:
                self.add(parent, Phrase("missing_field", what=what, key=key))
            return ""
        key_node, value = fields[key]
        if isinstance(value, yaml.ScalarNode) and value.tag in (STR_TAG, NULL_TAG):
            if str(value.value).strip() and value.tag == STR_TAG:
                return str(value.value).strip()
            self.add(key_node, Phrase("empty_value", key=key, what=what))
        elif isinstance(value, yaml.ScalarNode):
            self.add(value, Phrase("quote_it", key=key, what=what, value=value.value))
        else:
            self.add(value, Phrase("not_text", key=key, what=what))
        return ""

    def text_list(self, fields: dict, key: str, what: Phrase) -> list[tuple[str, yaml.Node]]:
        """A list of words (a single word is taken as a list of one), each with its node."""
        if key not in fields:
            return []
        _, value = fields[key]
        if isinstance(value, yaml.MappingNode):
            self.add(value, Phrase("not_word_list", key=key, what=what))
            return []
        items = [value] if isinstance(value, yaml.ScalarNode) else value.value
        out = []
        for item in items:
            if isinstance(item, yaml.ScalarNode) and item.tag == STR_TAG and str(item.value).strip():
                out.append((str(item.value).strip(), item))
            else:
                self.add(item, Phrase("entry_not_word", key=key, what=what))
        return out

    def sayable(self, text: str, node: yaml.Node, what: Phrase) -> bool:
        key = normalise(text)
        if not key:
            self.add(node, Phrase("no_letters", what=what, text=text))
        elif len(key) > MAX_ANSWER_CHARS:
            self.add(node, Phrase("too_long", what=what, text=text, length=len(key), most=MAX_ANSWER_CHARS))
        elif len(key.split()) > MAX_ANSWER_WORDS:
            self.add(node, Phrase("too_many_words", what=what, text=text, most=MAX_ANSWER_WORDS))
        else:
            return True
        return False

    def file_inside(
        self,
        fields: dict,
        key: str,
        what: Phrase,
        folder: Path,
        required: bool = False,
        parent: yaml.Node | None = None,
    ) -> Path | None:
        """A path from the deck that must name a file inside the deck's own folder."""
        text = self.text(fields, key, what, required=required, parent=parent)
        if not text:
            return None
        node = fields[key][1]
        relative = PurePosixPath(text.replace("\\", "/"))
        if relative.is_absolute() or PureWindowsPath(text).drive:
            self.add(node, Phrase("absolute_path", key=key, what=what, folder=folder.name))
            return None
        if ".." in relative.parts:
            self.add(node, Phrase("leaves_folder", key=key, what=what, folder=folder.name))
            return None
        full = folder / relative
        if full.is_symlink() and not _is_within(full.resolve(), folder.resolve()):
            self.add(node, Phrase("link_outside", key=key, what=what, text=text, folder=folder.name))
            return None
        if not full.is_file():
            self.add(node, Phrase("not_found", key=key, what=what, text=text, folder=str(folder)))
            return None
        return full


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def load_deck(path: str | Path) -> Deck:
    """Read and validate one deck file; raise DeckError listing every problem."""
    path = Path(path)
    check = _Checker(str(path))
    root = _compose(path)
    if root is None:
        raise DeckError([Problem(str(path), 1, Phrase("empty_file"))])

    the_deck = Phrase("the_deck")
    fields = check.mapping(root, the_deck, DECK_FIELDS)
    title = check.text(fields, "title", the_deck, required=True, parent=root) if fields else ""
    cards: list[Card] = []
    cards_node = fields.get("cards", (None, None))[1]
    if fields and "cards" not in fields:
        check.add(root, Phrase("no_cards_list"))
    elif cards_node is not None and not isinstance(cards_node, yaml.SequenceNode):
        check.add(cards_node, Phrase("cards_not_list"))
    elif cards_node is not None and not cards_node.value:
        check.add(cards_node, Phrase("no_cards"))
    elif cards_node is not None:
        cards = _read_cards(check, cards_node, folder=path.with_suffix(""))

    deck = Deck(
        id=path.stem,
        title=title,
        cards=tuple(cards),
        description=check.text(fields, "description", the_deck),
        level=check.text(fields, "level", the_deck),
        attribution=check.text(fields, "attribution", the_deck),
        path=path,
    )
    if check.problems:
        raise DeckError(sorted(check.problems, key=lambda p: p.line or 0))
    return deck


def _read_cards(check: _Checker, cards_node: yaml.SequenceNode, folder: Path) -> list[Card]:
    cards: list[Card] = []
    words: dict[str, tuple[int, str]] = {}  # answer key -> (card number, word)
    alternatives: list[tuple[str, yaml.Node, int, str]] = []
    for number, card_node in enumerate(cards_node.value, start=1):
        what = Phrase("card", number=number)
        card_fields = check.mapping(card_node, what, CARD_FIELDS)
        if not card_fields:
            continue
        word = check.text(card_fields, "word", what, required=True, parent=card_node)
        if word:
            what = Phrase("card_word", number=number, word=word)
            if check.sayable(word, card_fields["word"][1], what):
                key = answer_key(word)
                if key in words:
                    first, first_word = words[key]
                    same = Phrase("same_answer", word=word, first=first, first_word=first_word)
                    check.add(card_fields["word"][1], same)
                else:
                    words[key] = (number, word)
        image = check.file_inside(card_fields, "image", what, folder, required=True, parent=card_node)
        if image is not None and (problem := check.once(image_problem, image)):
            path = str(image.relative_to(folder))
            check.add(card_fields["image"][1], Phrase("bad_picture", path=path, problem=problem))
        audio = check.file_inside(card_fields, "audio", what, folder)
        if audio is not None and (problem := check.once(audio_problem, audio)):
            path = str(audio.relative_to(folder))
            check.add(card_fields["audio"][1], Phrase("bad_recording", path=path, problem=problem))
        article = check.text(card_fields, "article", what)
        if article and article not in ARTICLES:
            check.add(card_fields["article"][1], Phrase("bad_article", what=what, article=article))
        also = check.text_list(card_fields, "also_accepted", what)
        for text, node in also:
            if check.sayable(text, node, Phrase("also_accepted_in", what=what)):
                alternatives.append((text, node, number, word))
        cards.append(
            Card(
                word=word,
                image=image if image is not None else folder / "",
                translation=check.text(card_fields, "translation", what),
                article=article if article in ARTICLES else "",
                also_accepted=tuple(text for text, _ in also),
                hint=check.text(card_fields, "hint", what),
                audio=audio,
                attribution=check.text(card_fields, "attribution", what),
            )
        )
    for text, node, number, word in alternatives:
        owner = words.get(answer_key(text))
        if owner and owner[0] != number:
            check.add(
                node,
                Phrase("accepted_elsewhere", text=text, number=number, word=word, other=owner[0], other_word=owner[1]),
            )
    return cards


def load_decks(folder: str | Path) -> tuple[list[Deck], list[Problem]]:
    """Every deck in a folder that loads; the problems of those that do not."""
    decks: list[Deck] = []
    problems: list[Problem] = []
    for path in deck_files(Path(folder)):
        try:
            decks.append(load_deck(path))
        except DeckError as exc:
            problems.extend(exc.problems)
    return decks, problems


def deck_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
    return [path]


def check_main(paths: list[str], verbose: bool = False) -> int:
    """`python -m game.decks.deck check`: print every problem as file:line: message; 0 when there are none.

    `verbose` adds, under a YAML syntax error, the YAML parser's own words (for whoever maintains the game).
    """
    targets = [Path(p) for p in paths] or [DEFAULT_FOLDER]
    files = [f for target in targets for f in deck_files(target)]
    if not files:
        print(f"no deck files (*.yaml) in {', '.join(map(str, targets))}", file=sys.stderr)
        return 1
    problems: list[Problem] = []
    cards = broken = 0
    for path in files:
        try:
            cards += len(load_deck(path).cards)
        except DeckError as exc:
            broken += 1
            problems.extend(exc.problems)
    for problem in problems:
        print(problem)
        if verbose and problem.detail:
            print(f"    {problem.detail}")
    decks = f"{len(files)} deck{'s' if len(files) != 1 else ''}"
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {broken} of {decks}", file=sys.stderr)
        return 1
    print(f"{decks}, {cards} cards OK")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m game.decks.deck", description="Tools for Säg det! decks.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate decks; every problem is printed as file:line: message")
    check.add_argument("paths", nargs="*", help="deck files or folders of decks (default: assets/decks/)")
    check.add_argument(
        "-v", "--verbose", action="store_true", help="under a YAML syntax error, also print the YAML parser's own words"
    )
    args = parser.parse_args(argv)
    return check_main(args.paths, verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
