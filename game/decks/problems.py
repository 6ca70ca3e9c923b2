"""What is wrong with a deck, said in the reader's language.

A problem is found once (when a deck loads) and may be read many times, in Swedish on the
teacher's page, in English after the language toggle, in English on the command line. So a
problem keeps *which* message it is and its values (a `Phrase`), and is worded when read.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.texts import language

EN = {
    # what a message is about
    "the_deck": "the deck",
    "card": "card {number}",
    "card_word": "card {number} ({word})",
    "also_accepted_in": "`also_accepted` in {what}",
    "upload": "upload",
    # reading the file
    "cannot_read": "cannot read the file: {reason}",
    "not_utf8": "the file is not UTF-8 text",
    # YAML syntax (game/decks/yaml_errors.py): what is probably wrong on the line, and how to put it right
    "yaml_tab_indent": "this line is indented with a tab — indent with spaces instead (YAML does not allow tabs)",
    "yaml_tab": "there is a tab on this line — use a space instead (YAML does not allow tabs)",
    "yaml_indent_card": "this line is indented differently from the card above it (line {above}) — "
    "a card's fields start in the same column as `{first}`, and a new card starts with `- `",
    "yaml_indent": "this line is indented differently from the lines above it — "
    "lines that belong together must start in the same column",
    "yaml_indented_more": "this line is indented more than `{key}:` on line {above} — "
    "start it in the same column as `{key}`",
    "yaml_card_indent": "this card is indented differently from the card above it (line {above}) — "
    "start every `- ` in the same column",
    "yaml_item_indent": "this list item is indented differently from the one above it (line {above}) — "
    "start every `- ` in the same column",
    "yaml_after_cards": "`{item}` comes after `{key}:` (line {other}), outside the `cards:` list — "
    "move `{key}:` above `cards:`, so that the cards follow each other",
    "yaml_under_value": "`{item}` is indented under `{key}:` (line {other}), which already has a value — "
    "the cards go in the list under `cards:`",
    "yaml_no_cards_list": "`{item}` is a card outside any `cards:` list — "
    "write `cards:` on a line of its own above the first card",
    "yaml_no_colon_field": "`{text}` has no colon after the field name — write `{fix}`",
    "yaml_no_colon": "`{text}` has no colon — every line here must be `field: value`; "
    "if it continues the text on the line above, join the two lines",
    "yaml_colon_space": "put a space after the colon: `{fix}`",
    "yaml_colon_in_value": "the text of `{key}` has a colon followed by a space, which YAML reads as a new field — "
    "put the whole text in quotes: `{fix}`",
    "yaml_quote_value": "a value cannot start with {char} (it means something else in YAML) — "
    "put the whole value in quotes: `{fix}`",
    "yaml_unclosed_quote": "the quote `{quote}` that starts here is not closed on this line — "
    "add the closing `{quote}` at the end of the value",
    "yaml_after_quote": "there is text after the closing quote `{quote}` — put the whole value in quotes: `{fix}`",
    "yaml_apostrophe": "the apostrophe in `{word}` ends the quote that started with `'` — "
    "use double quotes around the value: `{fix}`",
    "yaml_backslash": "inside double quotes a backslash `\\` starts a special character — "
    "write paths with `/` (`bilder/hund.png`), or use single quotes",
    "yaml_unclosed_bracket": "the `{open}` that starts here is never closed — end it with `{close}` on the same line, "
    "or, if the value is text, put it in quotes",
    "yaml_bad_list": "this list in `[ ]` is not written right — separate the words with commas: `[vovve, hundvalp]`",
    "yaml_bad_character": "there is an invisible control character here ({code}) that a deck may not contain — "
    "delete it, e.g. by typing the line again",
    "yaml_stray_char": "this line starts with {char} before the field name — delete it",
    "yaml_two_documents": "`---` starts a second deck in the same file — a file holds one deck: remove this line",
    "yaml_unknown": "I cannot read the file here — check the indentation, colons and quotes on this line "
    "and the one above",
    "empty_file": "the deck file is empty",
    "deck_too_big": "the deck file is bigger than {most} KB — far more than a deck needs "
    "(300 cards take about 60 KB); is it the right file?",
    "too_deep": "too many levels inside each other here (more than {most}); a deck needs only a few — "
    "check the brackets and the indentation",
    "too_many_entries": "the deck has more than {most} entries (fields, words and list items) — "
    "far more than a deck needs; is it the right file?",
    "repeats_too_much": "`*{name}` repeats so much that the deck, written out in full, would be far too big",
    "repeats_itself": "`*{name}` repeats something that contains itself, so it never ends — remove it",
    # the deck's shape
    "not_mapping": "{what} must be a mapping of `key: value` lines",
    "unknown_field_close": "unknown field `{key}` in {what} — did you mean `{close}`?",
    "unknown_field": "unknown field `{key}` in {what} (known fields: {known})",
    "field_twice": "`{key}` appears twice in {what}",
    "key_not_word": "a field name in {what} must be a word, like `word:` — not a list or mapping",
    "missing_field": "{what} is missing the required field `{key}`",
    "empty_value": "`{key}` in {what} is empty",
    "quote_it": "`{key}` in {what} must be text — put `{value}` in quotes",
    "not_text": "`{key}` in {what} must be text, not a list or mapping",
    "not_word_list": "`{key}` in {what} must be a list of words, e.g. `[vovve, hundvalp]`",
    "entry_not_word": "every entry of `{key}` in {what} must be a word (text)",
    "no_cards_list": "the deck has no `cards:` list",
    "cards_not_list": "`cards` must be a list, each card starting with `- word: ...`",
    "no_cards": "the deck has no cards",
    # answers
    "no_letters": "{what}: `{text}` has no letters to say",
    "too_long": "{what}: `{text}` is {length} characters; an answer may have at most {most}",
    "too_many_words": "{what}: `{text}` is not one answer; at most {most} words",
    "same_answer": "`{word}` is the same answer as card {first} (`{first_word}`)",
    "accepted_elsewhere": "`{text}`, accepted for card {number} ({word}), is card {other}'s word (`{other_word}`) — "
    "the game could not tell them apart",
    "bad_article": "`article` in {what} must be `en` or `ett`, not `{article}`",
    # files the deck points at
    "absolute_path": "`{key}` in {what} must be a path inside {folder}/, not an absolute path",
    "leaves_folder": "`{key}` in {what} must stay inside {folder}/ (no `..`)",
    "link_outside": "`{key}` in {what}: `{text}` is a link to a file outside {folder}/",
    "not_found": "`{key}` in {what}: `{text}` not found in {folder}/",
    "bad_picture": "picture `{path}` {problem}",
    "bad_recording": "recording `{path}` {problem}",
    "no_permission": "cannot be read (no permission)",
    "picture_too_big": "is {size:.1f} MB; pictures may be at most {most} MB",
    "not_a_picture": "is not a picture PIL can read (use PNG, JPEG or WebP)",
    "picture_damaged": "is damaged: its pixels cannot be read (save it again from an image program)",
    "picture_kind": "is a {kind} picture; use PNG, JPEG or WebP",
    "picture_too_wide": "is {width}×{height} pixels; at most {most} pixels a side",
    "recording_too_big": "is {size:.1f} MB; recordings may be at most {most} MB",
    "not_a_recording": "is not a recording soundfile can read (use WAV, FLAC, OGG or MP3)",
    "recording_too_long": "is {seconds:.1f} s long; at most {most:.0f} s",
    # uploads
    "not_a_zip": "is not a zip file that can be opened",
    "is_a_link": "is a link; upload the file itself",
    "encrypted": "is protected with a password; make the zip again without a password",
    "damaged_member": "is damaged inside the zip and cannot be unpacked; make the zip again",
    "cannot_unpack": "cannot be unpacked: {reason}",
    "file_and_folder": "is both a file and a folder in the upload; rename one of them",
    "name_too_long": "has too long a name ({length} characters); at most {most}",
    "zip_and_files": "upload either one .zip or the deck's own files, not both",
    "absolute_member": "has an absolute path",
    "member_outside": "points outside the deck's folder (`..`)",
    "wrong_file_type": "is not a file type a deck uses ({kinds})",
    "too_many_files": "has {count} files; a deck may have at most {most}",
    "deck_file_count": "must hold exactly one deck file (.yaml); found {found}",
    "none_found": "none",
    "needs_a_name": "needs a name, e.g. djur.yaml",
    "not_beside_deck": "is not in the folder of {deck}",
    "too_big_unpacked": "is bigger than {most} MB unpacked",
    "unexpected": "could not be read because of an unexpected error in the game (it has been logged); "
    "try again, or tell whoever runs this site",
    # the picture library
    "no_emoji_font": "emoji pictures need the Noto Color Emoji font, which this server does not have ({path}); "
    "install it with `apt-get install fonts-noto-color-emoji` — the decks' own pictures still work",
    "no_emoji_picture": "the emoji font has no picture for {emoji}",
}

SV = {
    "the_deck": "kortleken",
    "card": "kort {number}",
    "card_word": "kort {number} ({word})",
    "also_accepted_in": "`also_accepted` i {what}",
    "upload": "uppladdningen",
    "cannot_read": "filen kan inte läsas: {reason}",
    "not_utf8": "filen är inte UTF-8-text",
    "yaml_tab_indent": "den här raden är indragen med tabb — dra in med mellanslag i stället (YAML tillåter inte tabbar)",
    "yaml_tab": "det finns en tabb på den här raden — använd mellanslag i stället (YAML tillåter inte tabbar)",
    "yaml_indent_card": "den här raden är indragen annorlunda än kortet ovanför (rad {above}) — "
    "ett korts fält börjar i samma kolumn som `{first}`, och ett nytt kort börjar med `- `",
    "yaml_indent": "den här raden är indragen annorlunda än raderna ovanför — "
    "rader som hör ihop ska börja i samma kolumn",
    "yaml_indented_more": "den här raden är indragen mer än `{key}:` på rad {above} — "
    "låt den börja i samma kolumn som `{key}`",
    "yaml_card_indent": "det här kortet är indraget annorlunda än kortet ovanför (rad {above}) — "
    "låt varje `- ` börja i samma kolumn",
    "yaml_item_indent": "den här raden i listan är indragen annorlunda än raden ovanför (rad {above}) — "
    "låt varje `- ` börja i samma kolumn",
    "yaml_after_cards": "`{item}` står efter `{key}:` (rad {other}), utanför listan `cards:` — "
    "flytta `{key}:` ovanför `cards:`, så att korten kommer efter varandra",
    "yaml_under_value": "`{item}` är indraget under `{key}:` (rad {other}), som redan har ett värde — "
    "korten ska stå i listan under `cards:`",
    "yaml_no_cards_list": "`{item}` är ett kort utanför en `cards:`-lista — "
    "skriv `cards:` på en egen rad ovanför det första kortet",
    "yaml_no_colon_field": "`{text}` saknar kolon efter fältnamnet — skriv `{fix}`",
    "yaml_no_colon": "`{text}` saknar kolon — varje rad här ska vara `fält: värde`; "
    "om den fortsätter texten på raden ovanför, skriv ihop de två raderna",
    "yaml_colon_space": "sätt ett mellanslag efter kolonet: `{fix}`",
    "yaml_colon_in_value": "texten i `{key}` har ett kolon följt av mellanslag, som YAML läser som ett nytt fält — "
    "sätt hela texten inom citattecken: `{fix}`",
    "yaml_quote_value": "ett värde kan inte börja med {char} (det betyder något annat i YAML) — "
    "sätt hela värdet inom citattecken: `{fix}`",
    "yaml_unclosed_quote": "citattecknet `{quote}` som börjar här avslutas inte på den här raden — "
    "lägg till ett avslutande `{quote}` i slutet av värdet",
    "yaml_after_quote": "det står text efter det avslutande citattecknet `{quote}` — "
    "sätt hela värdet inom citattecken: `{fix}`",
    "yaml_apostrophe": "apostrofen i `{word}` avslutar citatet som började med `'` — "
    "använd dubbla citattecken runt värdet: `{fix}`",
    "yaml_backslash": "inom dubbla citattecken börjar ett omvänt snedstreck `\\` ett specialtecken — "
    "skriv sökvägar med `/` (`bilder/hund.png`), eller använd enkla citattecken",
    "yaml_unclosed_bracket": "`{open}` som börjar här stängs aldrig — avsluta med `{close}` på samma rad, "
    "eller sätt värdet inom citattecken om det är text",
    "yaml_bad_list": "listan inom `[ ]` är inte rätt skriven — skilj orden åt med kommatecken: `[vovve, hundvalp]`",
    "yaml_bad_character": "här finns ett osynligt styrtecken ({code}) som en kortlek inte får innehålla — "
    "ta bort det, t.ex. genom att skriva raden på nytt",
    "yaml_stray_char": "den här raden börjar med {char} före fältnamnet — ta bort det",
    "yaml_two_documents": "`---` börjar en andra kortlek i samma fil — en fil rymmer en kortlek: ta bort raden",
    "yaml_unknown": "här kan jag inte läsa filen — kontrollera indrag, kolon och citattecken på den här raden "
    "och raden ovanför",
    "empty_file": "kortleksfilen är tom",
    "deck_too_big": "kortleksfilen är större än {most} kB — mycket mer än en kortlek behöver "
    "(300 kort tar ungefär 60 kB); är det rätt fil?",
    "too_deep": "för många nivåer inuti varandra här (fler än {most}); en kortlek behöver bara några få — "
    "kontrollera hakparenteser och indrag",
    "too_many_entries": "kortleken har fler än {most} poster (fält, ord och rader i listor) — "
    "mycket mer än en kortlek behöver; är det rätt fil?",
    "repeats_too_much": "`*{name}` upprepar så mycket att kortleken, utskriven i sin helhet, "
    "skulle bli alldeles för stor",
    "repeats_itself": "`*{name}` upprepar något som innehåller sig självt, så det tar aldrig slut — ta bort det",
    "not_mapping": "{what} måste bestå av rader med `fält: värde`",
    "unknown_field_close": "okänt fält `{key}` i {what} — menade du `{close}`?",
    "unknown_field": "okänt fält `{key}` i {what} (kända fält: {known})",
    "field_twice": "`{key}` står två gånger i {what}",
    "key_not_word": "ett fältnamn i {what} måste vara ett ord, som `word:` — "
    "inte en lista eller ett fält med underfält",
    "missing_field": "{what} saknar det obligatoriska fältet `{key}`",
    "empty_value": "`{key}` i {what} är tomt",
    "quote_it": "`{key}` i {what} måste vara text — sätt `{value}` inom citattecken",
    "not_text": "`{key}` i {what} måste vara text, inte en lista eller ett fält med underfält",
    "not_word_list": "`{key}` i {what} måste vara en lista med ord, t.ex. `[vovve, hundvalp]`",
    "entry_not_word": "varje rad i `{key}` i {what} måste vara ett ord (text)",
    "no_cards_list": "kortleken har ingen lista `cards:`",
    "cards_not_list": "`cards` måste vara en lista där varje kort börjar med `- word: ...`",
    "no_cards": "kortleken har inga kort",
    "no_letters": "{what}: `{text}` har inga bokstäver att säga",
    "too_long": "{what}: `{text}` är {length} tecken; ett svar får vara högst {most}",
    "too_many_words": "{what}: `{text}` är inte ett svar; högst {most} ord",
    "same_answer": "`{word}` är samma svar som kort {first} (`{first_word}`)",
    "accepted_elsewhere": "`{text}`, som godtas för kort {number} ({word}), är ordet på kort {other} (`{other_word}`) — "
    "spelet kan inte skilja dem åt",
    "bad_article": "`article` i {what} måste vara `en` eller `ett`, inte `{article}`",
    "absolute_path": "`{key}` i {what} måste vara en sökväg inuti {folder}/, inte en absolut sökväg",
    "leaves_folder": "`{key}` i {what} måste ligga inuti {folder}/ (inga `..`)",
    "link_outside": "`{key}` i {what}: `{text}` är en länk till en fil utanför {folder}/",
    "not_found": "`{key}` i {what}: `{text}` finns inte i {folder}/",
    "bad_picture": "bilden `{path}` {problem}",
    "bad_recording": "inspelningen `{path}` {problem}",
    "no_permission": "kan inte läsas (behörighet saknas)",
    "picture_too_big": "är {size:.1f} MB; en bild får vara högst {most} MB",
    "not_a_picture": "är ingen bild som går att läsa (använd PNG, JPEG eller WebP)",
    "picture_damaged": "är skadad: bildpunkterna går inte att läsa (spara den igen från ett bildprogram)",
    "picture_kind": "är en {kind}-bild; använd PNG, JPEG eller WebP",
    "picture_too_wide": "är {width}×{height} pixlar; högst {most} pixlar per sida",
    "recording_too_big": "är {size:.1f} MB; en inspelning får vara högst {most} MB",
    "not_a_recording": "är ingen inspelning som går att läsa (använd WAV, FLAC, OGG eller MP3)",
    "recording_too_long": "är {seconds:.1f} s lång; högst {most:.0f} s",
    "not_a_zip": "är ingen zip-fil som går att öppna",
    "is_a_link": "är en länk; ladda upp själva filen",
    "encrypted": "är skyddad med lösenord; gör om zip-filen utan lösenord",
    "damaged_member": "är skadad i zip-filen och går inte att packa upp; gör om zip-filen",
    "cannot_unpack": "går inte att packa upp: {reason}",
    "file_and_folder": "är både en fil och en mapp i uppladdningen; byt namn på en av dem",
    "name_too_long": "har för långt namn ({length} tecken); högst {most}",
    "zip_and_files": "ladda upp antingen en .zip eller kortlekens egna filer, inte båda",
    "absolute_member": "har en absolut sökväg",
    "member_outside": "pekar utanför kortlekens mapp (`..`)",
    "wrong_file_type": "är ingen filtyp som en kortlek använder ({kinds})",
    "too_many_files": "har {count} filer; en kortlek får ha högst {most}",
    "deck_file_count": "måste innehålla exakt en kortleksfil (.yaml); hittade {found}",
    "none_found": "ingen",
    "needs_a_name": "behöver ett namn, t.ex. djur.yaml",
    "not_beside_deck": "ligger inte i mappen för {deck}",
    "too_big_unpacked": "är större än {most} MB uppackad",
    "unexpected": "kunde inte läsas på grund av ett oväntat fel i spelet (felet har loggats); "
    "försök igen eller hör av dig till den som driver sidan",
    "no_emoji_font": "emojibilder behöver typsnittet Noto Color Emoji, som saknas på den här servern ({path}); "
    "installera det med `apt-get install fonts-noto-color-emoji` — kortlekarnas egna bilder fungerar ändå",
    "no_emoji_picture": "emojitypsnittet har ingen bild för {emoji}",
}

TABLES = {"sv": SV, "en": EN}
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
        if key not in EN:
            raise KeyError(f"no problem text called {key!r}")
        self.key, self.values = key, values

    def text(self, lang: str = "en") -> str:
        lang = language(lang)
        values = {name: v.text(lang) if isinstance(v, Phrase) else _clip(v) for name, v in self.values.items()}
        return TABLES[lang][self.key].format(**values)

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
