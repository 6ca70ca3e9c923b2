"""YAML syntax errors in a deck, explained in plain words: the line, what is wrong and how to fix it."""

import logging

import pytest

from game.decks import yaml_errors
from game.decks.deck import CARD_FIELDS, DECK_FIELDS
from game.decks.yaml_errors import find_mistake

FIELDS = DECK_FIELDS + CARD_FIELDS
DECK = [
    "title: Djur",  # line 1
    "level: A1",  # 2
    "cards:",  # 3
    "  - word: hund",  # 4
    "    image: hund.png",  # 5
    "    translation: dog",  # 6
    "  - word: katt",  # 7
    "    image: katt.png",  # 8
]


def deck(**changes: str) -> str:
    """DECK with some lines changed: `line6="..."` replaces line 6; an empty string removes it."""
    lines = list(DECK)
    for name, text in changes.items():
        lines[int(name.removeprefix("line")) - 1] = text
    return "".join(f"{line}\n" for line in lines if line != "")


# Each mistake: the deck's text, then the line reported and its message in English and Swedish.
MISTAKES = {
    "a line indented more than the fields beside it": (
        deck(line6="      translation: dog"),
        6,
        "this line is indented more than `image:` on line 5 — start it in the same column as `image`",
        "den här raden är indragen mer än `image:` på rad 5 — låt den börja i samma kolumn som `image`",
    ),
    "a line indented less than the fields beside it": (
        deck(line6="   translation: dog"),
        6,
        "this line is indented differently from the card above it (line 4) — a card's fields start in the same "
        "column as `word`, and a new card starts with `- `",
        "den här raden är indragen annorlunda än kortet ovanför (rad 4) — ett korts fält börjar i samma kolumn "
        "som `word`, och ett nytt kort börjar med `- `",
    ),
    "a field lined up with the card's dash": (
        deck(line6="  translation: dog"),
        6,
        "this line is indented differently from the card above it (line 4) — a card's fields start in the same "
        "column as `word`, and a new card starts with `- `",
        "den här raden är indragen annorlunda än kortet ovanför (rad 4) — ett korts fält börjar i samma kolumn "
        "som `word`, och ett nytt kort börjar med `- `",
    ),
    "a card indented more than the card above": (
        deck(line7="   - word: katt", line8="     image: katt.png"),
        7,
        "this card is indented differently from the card above it (line 4) — start every `- ` in the same column",
        "det här kortet är indraget annorlunda än kortet ovanför (rad 4) — låt varje `- ` börja i samma kolumn",
    ),
    "a card indented less than the card above": (
        deck(line7=" - word: katt", line8="   image: katt.png"),
        7,
        "this card is indented differently from the card above it (line 4) — start every `- ` in the same column",
        "det här kortet är indraget annorlunda än kortet ovanför (rad 4) — låt varje `- ` börja i samma kolumn",
    ),
    "a missing colon after a field": (
        deck(line6="    translation dog"),
        6,
        "`translation dog` has no colon after the field name — write `translation: dog`",
        "`translation dog` saknar kolon efter fältnamnet — skriv `translation: dog`",
    ),
    "a missing colon on a card's first line": (
        deck(line7="  - word katt"),
        7,
        "`- word katt` has no colon after the field name — write `- word: katt`",
        "`- word katt` saknar kolon efter fältnamnet — skriv `- word: katt`",
    ),
    "a missing colon in the last line": (
        deck(line8="    image katt.png"),
        8,
        "`image katt.png` has no colon after the field name — write `image: katt.png`",
        "`image katt.png` saknar kolon efter fältnamnet — skriv `image: katt.png`",
    ),
    "a missing colon at the top": (
        deck(line1="title Djur"),
        1,
        "`title Djur` has no colon after the field name — write `title: Djur`",
        "`title Djur` saknar kolon efter fältnamnet — skriv `title: Djur`",
    ),
    "text that should continue the line above": (
        deck(line6="    hint: Den skäller", line7="    och biter", line8=""),
        7,
        "`och biter` has no colon — every line here must be `field: value`; "
        "if it continues the text on the line above, join the two lines",
        "`och biter` saknar kolon — varje rad här ska vara `fält: värde`; "
        "om den fortsätter texten på raden ovanför, skriv ihop de två raderna",
    ),
    "no space after the colon": (
        deck(line5="    image:hund.png"),
        5,
        "put a space after the colon: `image: hund.png`",
        "sätt ett mellanslag efter kolonet: `image: hund.png`",
    ),
    "a tab for indenting": (
        deck(line5="\timage: hund.png"),
        5,
        "this line is indented with a tab — indent with spaces instead (YAML does not allow tabs)",
        "den här raden är indragen med tabb — dra in med mellanslag i stället (YAML tillåter inte tabbar)",
    ),
    "a tab after spaces": (
        deck(line6="  \t  translation: dog"),
        6,
        "this line is indented with a tab — indent with spaces instead (YAML does not allow tabs)",
        "den här raden är indragen med tabb — dra in med mellanslag i stället (YAML tillåter inte tabbar)",
    ),
    "a tab inside a line": (
        deck(line6="    translation:\tdog"),
        6,
        "there is a tab on this line — use a space instead (YAML does not allow tabs)",
        "det finns en tabb på den här raden — använd mellanslag i stället (YAML tillåter inte tabbar)",
    ),
    "an unclosed double quote": (
        deck(line6='    translation: "dog'),
        6,
        'the quote `"` that starts here is not closed on this line — add the closing `"` at the end of the value',
        'citattecknet `"` som börjar här avslutas inte på den här raden — lägg till ett avslutande `"` i slutet av värdet',
    ),
    "an unclosed quote closed by the next quote, lines later": (
        deck(line5='    image: "hund.png', line6='    translation: "dog"'),
        5,
        'the quote `"` that starts here is not closed on this line — add the closing `"` at the end of the value',
        'citattecknet `"` som börjar här avslutas inte på den här raden — lägg till ett avslutande `"` i slutet av värdet',
    ),
    "an unclosed single quote in the last line": (
        deck(line8="    image: 'katt.png"),
        8,
        "the quote `'` that starts here is not closed on this line — add the closing `'` at the end of the value",
        "citattecknet `'` som börjar här avslutas inte på den här raden — lägg till ett avslutande `'` i slutet av värdet",
    ),
    "an apostrophe inside single quotes": (
        deck(line6="    hint: 'It's a dog'"),
        6,
        "the apostrophe in `It's` ends the quote that started with `'` — use double quotes around the value: "
        '`hint: "It\'s a dog"`',
        "apostrofen i `It's` avslutar citatet som började med `'` — använd dubbla citattecken runt värdet: "
        '`hint: "It\'s a dog"`',
    ),
    "text after the closing quote": (
        deck(line6='    hint: "Vov" säger den'),
        6,
        'there is text after the closing quote `"` — put the whole value in quotes: `hint: \'"Vov" säger den\'`',
        'det står text efter det avslutande citattecknet `"` — sätt hela värdet inom citattecken: '
        "`hint: '\"Vov\" säger den'`",
    ),
    "quotes inside double quotes": (
        deck(line6='    hint: "Den säger "vov""'),
        6,
        'there is text after the closing quote `"` — put the whole value in quotes: `hint: \'Den säger "vov"\'`',
        'det står text efter det avslutande citattecknet `"` — sätt hela värdet inom citattecken: '
        "`hint: 'Den säger \"vov\"'`",
    ),
    "a card at the top level, without `cards:`": (
        "title: Djur\nlevel: A1\n- word: hund\n  image: hund.png\n",
        3,
        "`- word: hund` is a card outside any `cards:` list — write `cards:` on a line of its own above the first card",
        "`- word: hund` är ett kort utanför en `cards:`-lista — skriv `cards:` på en egen rad ovanför det första kortet",
    ),
    "a card after a field that ends the cards": (
        deck(line6="description: Husdjur"),
        7,
        "`- word: katt` comes after `description:` (line 6), outside the `cards:` list — move `description:` above "
        "`cards:`, so that the cards follow each other",
        "`- word: katt` står efter `description:` (rad 6), utanför listan `cards:` — flytta `description:` ovanför "
        "`cards:`, så att korten kommer efter varandra",
    ),
    "a card at the top level after the cards": (
        deck(line7="level: A2", line8="- word: katt") + "  image: katt.png\n",
        8,
        "`- word: katt` comes after `level:` (line 7), outside the `cards:` list — move `level:` above `cards:`, "
        "so that the cards follow each other",
        "`- word: katt` står efter `level:` (rad 7), utanför listan `cards:` — flytta `level:` ovanför `cards:`, "
        "så att korten kommer efter varandra",
    ),
    "a card under the wrong key": (
        "title: Djur\ndescription: Husdjur\n  - word: hund\n    image: hund.png\n",
        3,
        "`- word: hund` is indented under `description:` (line 2), which already has a value — "
        "the cards go in the list under `cards:`",
        "`- word: hund` är indraget under `description:` (rad 2), som redan har ett värde — "
        "korten ska stå i listan under `cards:`",
    ),
    "a card indented under a field of the card above": (
        deck(line7="      - word: katt", line8="        image: katt.png"),
        7,
        "this card is indented differently from the card above it (line 4) — start every `- ` in the same column",
        "det här kortet är indraget annorlunda än kortet ovanför (rad 4) — låt varje `- ` börja i samma kolumn",
    ),
    "a list item indented differently": (
        deck(line6="    also_accepted:", line7="      - vovve", line8="     - hundvalp"),
        8,
        "this list item is indented differently from the one above it (line 7) — start every `- ` in the same column",
        "den här raden i listan är indragen annorlunda än raden ovanför (rad 7) — låt varje `- ` börja i samma kolumn",
    ),
    "a colon inside an unquoted value": (
        deck(line6="    hint: Tips: den skäller"),
        6,
        "the text of `hint` has a colon followed by a space, which YAML reads as a new field — "
        'put the whole text in quotes: `hint: "Tips: den skäller"`',
        "texten i `hint` har ett kolon följt av mellanslag, som YAML läser som ett nytt fält — "
        'sätt hela texten inom citattecken: `hint: "Tips: den skäller"`',
    ),
    "a colon inside a deck's description": (
        deck(line2="description: Nivå: A1"),
        2,
        "the text of `description` has a colon followed by a space, which YAML reads as a new field — "
        'put the whole text in quotes: `description: "Nivå: A1"`',
        "texten i `description` har ett kolon följt av mellanslag, som YAML läser som ett nytt fält — "
        'sätt hela texten inom citattecken: `description: "Nivå: A1"`',
    ),
    "a value starting with a star": (
        deck(line6="    hint: *viktigt*"),
        6,
        "a value cannot start with `*` (it means something else in YAML) — put the whole value in quotes: "
        '`hint: "*viktigt*"`',
        "ett värde kan inte börja med `*` (det betyder något annat i YAML) — sätt hela värdet inom citattecken: "
        '`hint: "*viktigt*"`',
    ),
    "a value starting with @": (
        deck(line6="    hint: @hund"),
        6,
        "a value cannot start with `@` (it means something else in YAML) — put the whole value in quotes: "
        '`hint: "@hund"`',
        "ett värde kan inte börja med `@` (det betyder något annat i YAML) — sätt hela värdet inom citattecken: "
        '`hint: "@hund"`',
    ),
    "a value starting with a dash": (
        deck(line6="    hint: - vov"),
        6,
        "a value cannot start with `-` (it means something else in YAML) — put the whole value in quotes: "
        '`hint: "- vov"`',
        "ett värde kan inte börja med `-` (det betyder något annat i YAML) — sätt hela värdet inom citattecken: "
        '`hint: "- vov"`',
    ),
    "a value starting with a backtick": (
        deck(line6="    hint: `hund`"),
        6,
        "a value cannot start with ‘`’ (it means something else in YAML) — put the whole value in quotes: "
        '`hint: "`hund`"`',
        "ett värde kan inte börja med ‘`’ (det betyder något annat i YAML) — sätt hela värdet inom citattecken: "
        '`hint: "`hund`"`',
    ),
    "a stray character before a field": (
        deck(line5="    @image: hund.png"),
        5,
        "this line starts with `@` before the field name — delete it",
        "den här raden börjar med `@` före fältnamnet — ta bort det",
    ),
    "a backslash inside double quotes": (
        deck(line5='    image: "bilder\\hund.png"'),
        5,
        "inside double quotes a backslash `\\` starts a special character — write paths with `/` "
        "(`bilder/hund.png`), or use single quotes",
        "inom dubbla citattecken börjar ett omvänt snedstreck `\\` ett specialtecken — skriv sökvägar med `/` "
        "(`bilder/hund.png`), eller använd enkla citattecken",
    ),
    "an unclosed bracket": (
        deck(line6="    also_accepted: [vovve, hundvalp"),
        6,
        "the `[` that starts here is never closed — end it with `]` on the same line, "
        "or, if the value is text, put it in quotes",
        "`[` som börjar här stängs aldrig — avsluta med `]` på samma rad, "
        "eller sätt värdet inom citattecken om det är text",
    ),
    "a list without commas": (
        deck(line6='    also_accepted: ["vovve" "hundvalp"]'),
        6,
        "this list in `[ ]` is not written right — separate the words with commas: `[vovve, hundvalp]`",
        "listan inom `[ ]` är inte rätt skriven — skilj orden åt med kommatecken: `[vovve, hundvalp]`",
    ),
    "an invisible control character": (
        deck(line6="    translation: d\0og"),
        6,
        "there is an invisible control character here (U+0000) that a deck may not contain — "
        "delete it, e.g. by typing the line again",
        "här finns ett osynligt styrtecken (U+0000) som en kortlek inte får innehålla — "
        "ta bort det, t.ex. genom att skriva raden på nytt",
    ),
    "a second document": (
        deck(line3="---"),
        3,
        "`---` starts a second deck in the same file — a file holds one deck: remove this line",
        "`---` börjar en andra kortlek i samma fil — en fil rymmer en kortlek: ta bort raden",
    ),
    "Windows line ends": (
        deck(line6="    translation dog").replace("\n", "\r\n"),
        6,
        "`translation dog` has no colon after the field name — write `translation: dog`",
        "`translation dog` saknar kolon efter fältnamnet — skriv `translation: dog`",
    ),
    "a byte order mark before the first line": (
        "\ufeff" + deck(line1="title Djur"),
        1,
        "`title Djur` has no colon after the field name — write `title: Djur`",
        "`title Djur` saknar kolon efter fältnamnet — skriv `title: Djur`",
    ),
    "anything else: the line and a plain sentence": (
        deck(line6="    also_accepted: [vovve] hund"),
        6,
        "I cannot read the file here — check the indentation, colons and quotes on this line and the one above",
        "här kan jag inte läsa filen — kontrollera indrag, kolon och citattecken på den här raden och raden ovanför",
    ),
}


@pytest.mark.parametrize("case", MISTAKES, ids=list(MISTAKES))
def test_each_mistake_is_explained_at_its_line_in_english_and_swedish(case):
    text, line, english, swedish = MISTAKES[case]
    mistake = find_mistake(text, FIELDS)
    assert mistake is not None
    assert (mistake.line, mistake.message.text("en"), mistake.message.text("sv")) == (line, english, swedish)


@pytest.mark.parametrize("case", MISTAKES, ids=list(MISTAKES))
def test_the_teacher_never_reads_the_parser_s_jargon(case):
    mistake = find_mistake(MISTAKES[case][0], FIELDS)
    for lang in ("en", "sv"):
        said = mistake.message.text(lang)
        assert not any(word in said for word in ("<block", "scalar", "token", "expected", "PyYAML")), said


def test_the_parser_s_own_words_are_kept_for_a_maintainer():
    mistake = find_mistake(deck(line6="    translation dog"), FIELDS)
    assert mistake.detail == (
        "PyYAML ScannerError: while scanning a simple key (line 6, column 5); could not find expected ':' "
        "(line 7, column 3)"
    )
    assert find_mistake(deck(line6="    translation: d\0og")).detail.startswith("PyYAML: special characters")


def test_a_field_name_is_only_suggested_when_the_deck_knows_it():
    assert find_mistake(deck(line6="    translation dog")).message.key == "yaml_no_colon"
    assert find_mistake(deck(line6="    translation dog"), FIELDS).message.key == "yaml_no_colon_field"


def test_yaml_that_reads_is_no_mistake():
    assert find_mistake(deck()) is None
    # PyYAML keeps the last of two equal keys without a word; game.decks.deck reports them (test_deck.py)
    assert find_mistake(deck(line6="    image: katt.png")) is None


def test_an_explanation_that_fails_still_gives_the_line_and_a_sentence(monkeypatch, caplog):
    def broken(*args):
        raise IndexError("a bug")

    monkeypatch.setattr(yaml_errors, "_diagnose", broken)
    with caplog.at_level(logging.ERROR, logger="game.decks.yaml_errors"):
        mistake = find_mistake(deck(line6="    translation dog"))
    assert mistake.line == 7 and mistake.message.key == "yaml_unknown"  # where PyYAML stopped: "... and the one above"
    assert "could not explain a YAML error" in caplog.text and "could not find expected" in caplog.text


MUTATIONS = ["  ", ":", "-", '"', "'", "\t", "[", "*", "|", "\n", "\n- ", ""]


def test_any_slip_of_the_finger_gets_a_line_in_the_file_and_no_exception(caplog):
    """Every character of the deck's second card (and the line before it), with a character typed before it or
    deleted: each mistake is explained. (The whole deck takes seconds; it passed when this was written.)"""
    text = deck()
    seen = set()
    for at in range(text.index("    translation"), len(text) + 1):
        for typed in MUTATIONS:
            slipped = text[:at] + typed + text[at + (typed == "") :]
            mistake = find_mistake(slipped, FIELDS)
            if mistake is not None:
                assert mistake.line is not None and 1 <= mistake.line <= len(yaml_errors.BREAK.split(slipped)), slipped
                seen.add(mistake.message.key)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]  # no explanation failed
    assert len(seen) >= 10  # many kinds of mistake, not one sentence for all
