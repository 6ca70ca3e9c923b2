"""Everything the learner reads, in Swedish (the default) and English.

The game is for learning Swedish, so the page speaks Swedish; a beginner can switch the
interface to English. Words of the game itself (the card's word, what was heard) are never
translated. Keys missing from English fall back to Swedish, so a new text shows up at once.
"""

from __future__ import annotations

LANGUAGES = {"sv": "Svenska", "en": "English"}
DEFAULT = "sv"

SV = {
    # verdicts
    "right": "Rätt!",
    "almost": "Nästan!",
    "wrong": "Inte riktigt",
    "heard": "Jag hörde <q>{heard}</q>.",
    "typed": "Du skrev <q>{heard}</q>.",
    "nothing": "inget ord",
    "the_word_is": "Ordet är <b>{word}</b>{translation}.",
    "heard_diff": "Jag hörde: {diff}",
    "typed_diff": "Du skrev: {diff}",
    "spelling": "Rätt stavning: {diff}{translation}",
    "you_said": "Du sa",
    "you_wrote": "Du skrev",
    "slip_vowel": "{you} <em>{said}</em>, ordet har <em>{word}</em>.",
    "slip_double": "{you} <em>{said}</em>, ordet har <em>{word}</em>: dubbel konsonant, så vokalen före är kort.",
    "slip_single": "{you} <em>{said}</em>, ordet har bara <em>{word}</em>.",
    "noun_right": "Ordet: ✓ <b>{word}</b>",
    "noun_wrong": "Ordet: ✗ det är <b>{word}</b>",
    "article_right": "Artikeln: ✓ <b>{article}</b>",
    "article_wrong": "Artikeln: ✗ du sa <b>{said}</b>, det heter <b>{expected} {word}</b>",
    "article_missing": "Artikeln: ✗ saknas, det heter <b>{expected} {word}</b>",
    "comes_back": "Ordet kommer tillbaka senare i rundan.",
    "skipped": "Du hoppade över <b>{word}</b>.",
    "skipped_back": "Du hoppade över <b>{word}</b>. Det kommer tillbaka senare i rundan.",
    "type_first": "Skriv ordet först, eller tryck på Hoppa över.",
    "nothing_heard": "Jag hörde inget — försök igen.",
    # round line and summary
    "word_of": "Ord {number} av {total}",
    "again_tag": "igen",
    "articles_tag": "en/ett",
    "points": "Poäng: {score}",
    "streak": "Svit: {streak}",
    "done": "Rundan är klar! {score} av {cards} ord rätt.",
    "best_streak": "Bästa svit: {streak}",
    "col_word": "Ord",
    "col_english": "Engelska",
    "col_how": "Hur det gick",
    "mark_right": "rätt",
    "mark_almost": "nästan",
    "mark_wrong": "fel",
    "mark_skipped": "hoppade över",
    # hints
    "hint_first_letter": "Första bokstaven",
    "hint_length": "Antal bokstäver",
    "hint_translation": "På engelska",
    "hint_clue": "Ledtråd",
    "hint_hear": "Hör ordet",
    "letters": "{count} bokstäver",
    "costs": "−{xp} XP",
    "free": "gratis",
    "too_dear": "{cost} XP, du har {xp}",
    "taken": "✓",
    "need_xp": "Den hjälpen kostar {cost} XP och du har {xp}. Svara på några ord först!",
    "cannot_hear": "Det finns ingen inspelning av det här ordet.",
    # learner's progress
    "progress_line": "🔥 **{streak}** {days} i rad · ⭐ **{xp}** XP · 📚 **{words}** ord sagda rätt",
    "day": "dag",
    "days": "dagar",
    "not_practised": "Du har inte övat på den här kortleken än — tryck Starta.",
    "no_articles": "Kortleken har inga ord med en/ett.",
    "pick_deck": "Välj en kortlek först.",
    "class_code": "Har du en klasskod? Skriv den här",
    "class_code_placeholder": "t.ex. KTB 4WQ",
    "open_code": "Öppna",
    "class_code_tag": "klasskod {code}",
    "code_opened": "{title} ({cards} kort) finns nu i din lista — tryck Starta.",
    # the page
    "title": "# Säg det! 🇸🇪\nSe bilden, säg ordet på svenska.",
    "tab_play": "Spela",
    "tab_teacher": "För lärare",
    "deck": "Kortlek",
    "deck_words": "{count} ord",
    "cards": "Antal kort",
    "articles_mode": "Säg med en/ett (övar artiklar)",
    "start": "Starta",
    "review": "Öva på svåra ord",
    "chart_title": "Hur väl du kan varje kortlek (%)",
    "chart_x": "Kortlek",
    "chart_y": "Behärskning %",
    "reset": "Nollställ mina framsteg…",
    "reset_yes": "Ja, radera allt",
    "reset_no": "Avbryt",
    "picture_alt": "Bilden du ska säga ordet för",
    "prompt": "### Vad heter det på svenska?",
    "prompt_articles": "### Vad heter det på svenska? Säg en eller ett före ordet.",
    "mic": "Spela in ditt svar",  # Gradio's buttons (Spela in, Stopp): ui/gradio_locale.py
    "mic_hint": "Säg ordet — jag lyssnar och slutar själv.",
    "typed_label": "… eller skriv svaret",
    "typed_placeholder": "Skriv ordet här",
    "answer": "Svara",
    "skip": "Hoppa över",
    "next": "Nästa ›",
    "try_again": "Försök igen",
    "quit": "Avsluta rundan",
    "play_again": "Spela igen",
    "hear_label": "Så låter ordet",
    "help_heading": "Behöver du hjälp? Den första hjälpen på varje kort är gratis.",
    "shortcuts": "Tangenter: <kbd>Alt</kbd>+<kbd>R</kbd> spela in/stoppa · <kbd>Alt</kbd>+<kbd>S</kbd> hoppa över · "
    "<kbd>Alt</kbd>+<kbd>N</kbd> nästa · <kbd>Alt</kbd>+<kbd>A</kbd> försök igen · "
    "<kbd>Alt</kbd>+<kbd>H</kbd> hör ordet · <kbd>Enter</kbd> i rutan svarar",
    "language": "Språk / Language",
    "teacher_help": (
        "### Gör en egen kortlek och dela den med klassen\n"
        "Gör kortleken här på sidan, eller ladda upp en färdig. Spela den själv, ladda ner den, eller tryck "
        "**Dela med klassen**: du får en klasskod och en länk som eleverna öppnar på sina egna telefoner."
    ),
    "deck_format": "Så skriver du en kortlek",
    "upload_heading": "#### …eller ladda upp en kortlek\nDu ser direkt vad som är fel i filen — fil, rad och vad — eller alla kort.",
    "upload": "Kortlek (.zip, eller .yaml + bilder)",
    "play_upload": "Spela den här kortleken",
    "download": "Ladda ner som zip",
    "all_cards": "Alla kort",
    "model_loading": "Taligenkänningen laddas ({name}) … Du kan skriva dina svar så länge.",
    "model_failed": "Taligenkänningen fungerar inte just nu. Skriv ditt svar i rutan i stället — det fungerar som vanligt.",
    "model_details": "Tekniska detaljer",
    "why_no_such_model": "Det finns ingen mapp som heter {name} och ingen modell med det namnet på Hugging Face. "
    "Kontrollera inställningen SAGDET_MODEL.",
    "why_no_access": "Modellen {name} på Hugging Face kan inte hämtas utan inloggning eller godkännande.",
    "why_offline": "Nedladdning är avstängd (HF_HUB_OFFLINE) och modellen {name} finns inte sparad på den här datorn.",
    "why_unreachable": "Det gick inte att nå Hugging Face för att hämta modellen {name}, och den finns inte sparad "
    "på den här datorn.",
    "why_unreadable": "Modellen {name} hittades men kunde inte läsas.",
    "model_ready": "Taligenkänningen är redo ({name}).",
    "upload_first": "Ladda upp en kortlek utan fel först.",
    "publish": "Dela med klassen",
    "shared": (
        "### ✓ Delad: {title}\n"
        "**Klasskod:** `{code}` — skriv den på tavlan; eleverna skriver den under *Har du en klasskod?*\n\n"
        "**Länk för klassen:** {link}\n\n"
        "**Din redigeringslänk** ligger dold i rutan nedan: kopiera den och spara den, men visa den inte "
        "för klassen — med den kan du ändra eller ta bort kortleken senare."
    ),
    "edit_link": "Din redigeringslänk (bara för dig)",
    "edit_published": "Ändra en delad kortlek",
    "edit_published_help": "Öppna din redigeringslänk (kortleken öppnas i tabellen ovan), eller skriv klasskoden "
    "och redigeringsnyckeln. Ändra korten och tryck **Använd kortleken** — eller ladda upp den nya versionen — "
    "och sedan **Ersätt med kortleken ovan**; eleverna får den nästa gång de startar en runda.",
    "class_code_short": "Klasskod",
    "edit_key": "Redigeringsnyckel",
    "replace_deck": "Ersätt med kortleken ovan",
    "delete_deck": "Ta bort kortleken",
    "replaced": "✓ Kortleken `{code}` är nu **{title}**.",
    "deleted": "✓ Kortleken `{code}` är borttagen, med alla bilder.",
    "store_unavailable": "⚠️ Delade kortlekar går inte att spara just nu (databasen kunde inte öppnas).",
    "not_persistent": "⚠️ Delade kortlekar sparas inte i Spacens beständiga lagring (/data) och försvinner när "
    "den startas om. Slå på *Persistent storage* i Spacens inställningar och sätt SAGDET_DATA_DIR=/data.",
    "upload_broken": "**Kortleken kunde inte läsas — {count} fel.** Rätta och ladda upp igen:",
    "upload_ok": "**✓ {title}**{level} — {cards} kort, inga fel.",
    "upload_level": " · nivå {level}",
    "more_problems": "… och {count} till",
    "also_accepted": "även: {words}",
    "broken_decks": "**Några kortlekar kunde inte laddas och hoppas över:**",
    # the class's results (game/ui/class_results_view.py); the learner's nickname on the start screen
    "nickname": "Ditt smeknamn (valfritt)",
    "nickname_placeholder": "t.ex. Alva B. — tomt: anonym",
    "nickname_note": "Du spelar en klassens kortlek: läraren ser dina svar — smeknamnet (eller ett anonymt id som "
    "bara den här webbläsaren har), orden, om de var rätt, ledtrådarna och vad spelet hörde eller du skrev. "
    "Aldrig din röst eller din adress. Andra elever ser dem inte. Svaren tas bort efter {days} dagar.",
    "results_bad_date": "Skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2026-11-26.",
    "results_title": "Klassens resultat",
    "results_help": "Hur klassen har spelat en delad kortlek: skriv klasskoden och redigeringsnyckeln ovan (eller "
    "öppna din redigeringslänk) och tryck **Visa resultat**. Bara du med nyckeln ser resultaten.",
    "results_since": "Från (ÅÅÅÅ-MM-DD)",
    "results_until": "Till (ÅÅÅÅ-MM-DD)",
    "results_show": "Visa resultat",
    "results_chart": "Rätt på första försöket",
    "results_chart_x": "Ord",
    "results_chart_y": "% rätt första gången",
    "results_band": "Rätt första gången",
    "band_hard": "under 50 %",
    "band_middle": "50–79 %",
    "band_easy": "80 % och mer",
    "results_anonymous": "Anonym {id}",
    "results_col_learner": "Elev",
    "results_col_right": "Ord rätt",
    "results_col_rounds": "Rundor",
    "results_col_answers": "Svar",
    "results_col_last": "Senast spelat",
    "results_heard_title": "Vad klassen sa i stället",
    "results_heard_once": "<em>{heard}</em> en gång",
    "results_heard_times": "<em>{heard}</em> {times} gånger",
    "results_heard_none": "Inga felsagda ord än.",
    "results_csv": "Ladda ner alla svar (CSV)",
    "results_delete": "Radera alla resultat",
    "results_delete_yes": "Ja, radera alla resultat för kortleken",
    "results_none": "Inga svar på kortleken `{code}` under den tiden än.",
    "results_report": "**{answers} svar** från **{learners}** elever på kortleken `{code}`.",
    "results_zone": "Tider och datum i tidszonen {zone}.",
    "results_wrong_key": "Koden eller redigeringsnyckeln stämmer inte, så resultaten kan inte visas. Kopiera dem "
    "från delningsrutan eller öppna redigeringslänken.",
    "results_deleted": "✓ {count} svar raderade. Kortleken finns kvar.",
}

EN = {
    "right": "Right!",
    "almost": "Almost!",
    "wrong": "Not quite",
    "heard": "I heard <q>{heard}</q>.",
    "typed": "You wrote <q>{heard}</q>.",
    "nothing": "no word",
    "the_word_is": "The word is <b>{word}</b>{translation}.",
    "heard_diff": "I heard: {diff}",
    "typed_diff": "You wrote: {diff}",
    "spelling": "Spelled: {diff}{translation}",
    "you_said": "You said",
    "you_wrote": "You wrote",
    "slip_vowel": "{you} <em>{said}</em>, the word has <em>{word}</em>.",
    "slip_double": "{you} <em>{said}</em>, the word has <em>{word}</em>: a double consonant, so the vowel before it is short.",
    "slip_single": "{you} <em>{said}</em>, the word has just <em>{word}</em>.",
    "noun_right": "Word: ✓ <b>{word}</b>",
    "noun_wrong": "Word: ✗ it is <b>{word}</b>",
    "article_right": "Article: ✓ <b>{article}</b>",
    "article_wrong": "Article: ✗ you said <b>{said}</b>, it is <b>{expected} {word}</b>",
    "article_missing": "Article: ✗ missing, it is <b>{expected} {word}</b>",
    "comes_back": "The word comes back later in the round.",
    "skipped": "You skipped <b>{word}</b>.",
    "skipped_back": "You skipped <b>{word}</b>. It comes back later in the round.",
    "type_first": "Type the word first, or press Skip.",
    "nothing_heard": "I heard nothing — try again.",
    "word_of": "Word {number} of {total}",
    "again_tag": "again",
    "articles_tag": "en/ett",
    "points": "Points: {score}",
    "streak": "Streak: {streak}",
    "done": "Round done! {score} of {cards} words right.",
    "best_streak": "Best streak: {streak}",
    "col_word": "Word",
    "col_english": "English",
    "col_how": "How it went",
    "mark_right": "right",
    "mark_almost": "almost",
    "mark_wrong": "wrong",
    "mark_skipped": "skipped",
    "hint_first_letter": "First letter",
    "hint_length": "Number of letters",
    "hint_translation": "In English",
    "hint_clue": "Clue",
    "hint_hear": "Hear the word",
    "letters": "{count} letters",
    "costs": "−{xp} XP",
    "free": "free",
    "too_dear": "{cost} XP, you have {xp}",
    "taken": "✓",
    "need_xp": "That help costs {cost} XP and you have {xp}. Answer a few words first!",
    "cannot_hear": "There is no recording of this word.",
    "progress_line": "🔥 **{streak}** {days} in a row · ⭐ **{xp}** XP · 📚 **{words}** words said right",
    "day": "day",
    "days": "days",
    "not_practised": "You have not practised this deck yet — press Start.",
    "no_articles": "This deck has no words with en/ett.",
    "pick_deck": "Pick a deck first.",
    "class_code": "Got a class code? Type it here",
    "class_code_placeholder": "e.g. KTB 4WQ",
    "open_code": "Open",
    "class_code_tag": "class code {code}",
    "code_opened": "{title} ({cards} cards) is now in your list — press Start.",
    "title": "# Säg det! 🇸🇪\nSee the picture, say the word in Swedish.",
    "tab_play": "Play",
    "tab_teacher": "For teachers",
    "deck": "Deck",
    "deck_words": "{count} words",
    "cards": "Number of cards",
    "articles_mode": "Say it with en/ett (article practice)",
    "start": "Start",
    "review": "Review my weak words",
    "chart_title": "How well you know each deck (%)",
    "chart_x": "Deck",
    "chart_y": "Mastery %",
    "reset": "Reset my progress…",
    "reset_yes": "Yes, delete everything",
    "reset_no": "Cancel",
    "picture_alt": "The picture to say the word for",
    "prompt": "### What is it called in Swedish?",
    "prompt_articles": "### What is it called in Swedish? Say en or ett before the word.",
    "mic": "Record your answer",
    "mic_hint": "Say the word — I listen and stop on my own.",
    "typed_label": "… or type the answer",
    "typed_placeholder": "Type the word here",
    "answer": "Answer",
    "skip": "Skip",
    "next": "Next ›",
    "try_again": "Try again",
    "quit": "End the round",
    "play_again": "Play again",
    "hear_label": "How the word sounds",
    "help_heading": "Need help? The first help on each card is free.",
    "shortcuts": "Keys: <kbd>Alt</kbd>+<kbd>R</kbd> record/stop · <kbd>Alt</kbd>+<kbd>S</kbd> skip · "
    "<kbd>Alt</kbd>+<kbd>N</kbd> next · <kbd>Alt</kbd>+<kbd>A</kbd> try again · "
    "<kbd>Alt</kbd>+<kbd>H</kbd> hear the word · <kbd>Enter</kbd> in the box answers",
    "language": "Språk / Language",
    "teacher_help": (
        "### Make your own deck and share it with the class\n"
        "Make the deck here on the page, or upload a finished one. Play it yourself, download it, or press "
        "**Share with the class**: you get a class code and a link that learners open on their own phones."
    ),
    "deck_format": "How to write a deck",
    "upload_heading": "#### …or upload a deck\nYou see at once what is wrong in the file — file, line and what — or every card.",
    "upload": "Deck (.zip, or .yaml + pictures)",
    "play_upload": "Play this deck",
    "download": "Download as zip",
    "all_cards": "All cards",
    "model_loading": "Speech recognition is loading ({name}) … You can type your answers meanwhile.",
    "model_failed": "Speech recognition is not available right now. Type your answer in the box instead — that works as usual.",
    "model_details": "Technical details",
    "why_no_such_model": "There is no folder called {name} and no model of that name on Hugging Face. "
    "Check the SAGDET_MODEL setting.",
    "why_no_access": "The model {name} on Hugging Face cannot be fetched without a login or approval.",
    "why_offline": "Downloads are turned off (HF_HUB_OFFLINE) and the model {name} is not stored on this computer.",
    "why_unreachable": "Hugging Face could not be reached to fetch the model {name}, and it is not stored on this computer.",
    "why_unreadable": "The model {name} was found but could not be read.",
    "model_ready": "Speech recognition is ready ({name}).",
    "upload_first": "Upload a deck without errors first.",
    "publish": "Share with the class",
    "shared": (
        "### ✓ Shared: {title}\n"
        "**Class code:** `{code}` — write it on the board; learners type it under *Got a class code?*\n\n"
        "**Link for the class:** {link}\n\n"
        "**Your edit link** is hidden in the box below: copy it and keep it, but do not show it to the "
        "class — with it you can change or delete the deck later."
    ),
    "edit_link": "Your edit link (only for you)",
    "edit_published": "Change a shared deck",
    "edit_published_help": "Open your edit link (the deck opens in the table above), or type the class code and "
    "the edit key. Change the cards and press **Use this deck** — or upload the new version — then "
    "**Replace with the deck above**; learners get it the next time they start a round.",
    "class_code_short": "Class code",
    "edit_key": "Edit key",
    "replace_deck": "Replace with the deck above",
    "delete_deck": "Delete the deck",
    "replaced": "✓ The deck `{code}` is now **{title}**.",
    "deleted": "✓ The deck `{code}` is deleted, with all its pictures.",
    "store_unavailable": "⚠️ Shared decks cannot be saved just now (the database could not be opened).",
    "not_persistent": "⚠️ Shared decks are not kept in the Space's persistent storage (/data) and disappear "
    "when it restarts. Turn on *Persistent storage* in the Space's settings and set SAGDET_DATA_DIR=/data.",
    "upload_broken": "**The deck could not be read — errors: {count}.** Fix them and upload again:",
    "upload_ok": "**✓ {title}**{level} — {cards} cards, no problems.",
    "upload_level": " · level {level}",
    "more_problems": "… and {count} more",
    "also_accepted": "also: {words}",
    "broken_decks": "**Some decks could not be loaded and are left out:**",
    # the class's results (game/ui/class_results_view.py); the learner's nickname on the start screen
    "nickname": "Your nickname (optional)",
    "nickname_placeholder": "e.g. Alva B. — empty: anonymous",
    "nickname_note": "You are playing a class's deck: the teacher sees your answers — the nickname (or an anonymous "
    "id only this browser has), the words, whether they were right, the hints, and what the game heard or you "
    "typed. Never your voice or your address. Other learners do not see them. Answers are removed after {days} days.",
    "results_bad_date": "Write dates as YYYY-MM-DD, e.g. 2026-11-26.",
    "results_title": "Class results",
    "results_help": "How the class has played a shared deck: type the class code and the edit key above (or open "
    "your edit link) and press **Show results**. Only you, with the key, see the results.",
    "results_since": "From (YYYY-MM-DD)",
    "results_until": "To (YYYY-MM-DD)",
    "results_show": "Show results",
    "results_chart": "Right at the first try",
    "results_chart_x": "Word",
    "results_chart_y": "% right the first time",
    "results_band": "Right the first time",
    "band_hard": "below 50 %",
    "band_middle": "50–79 %",
    "band_easy": "80 % and more",
    "results_anonymous": "Anonymous {id}",
    "results_col_learner": "Learner",
    "results_col_right": "Words right",
    "results_col_rounds": "Rounds",
    "results_col_answers": "Answers",
    "results_col_last": "Last played",
    "results_heard_title": "What the class said instead",
    "results_heard_once": "<em>{heard}</em> once",
    "results_heard_times": "<em>{heard}</em> {times} times",
    "results_heard_none": "No words said wrong yet.",
    "results_csv": "Download every answer (CSV)",
    "results_delete": "Delete all results",
    "results_delete_yes": "Yes, delete all the deck's results",
    "results_none": "No answers on the deck `{code}` in that time yet.",
    "results_report": "**{answers} answers** from **{learners}** learners on the deck `{code}`.",
    "results_zone": "Times and dates in the time zone {zone}.",
    "results_wrong_key": "The code or the edit key is not right, so the results cannot be shown. Copy them from "
    "the share box or open the edit link.",
    "results_deleted": "✓ {count} answers deleted. The deck stays.",
}

TABLES = {"sv": SV, "en": EN}


def language(value: object) -> str:
    """A language the game speaks; anything else (a stale or edited stored value) is Swedish."""
    return value if isinstance(value, str) and value in TABLES else DEFAULT


def number(lang: str, value: int) -> str:
    """A count as the page's language writes it: 3 412 in Swedish (a space that does not break), 3,412 in English."""
    grouped = f"{value:,}"
    return grouped.replace(",", "\u00a0") if language(lang) == "sv" else grouped


def say(lang: str, key: str, **values: object) -> str:
    table = TABLES[language(lang)]
    return table.get(key, SV[key]).format(**values)
