"""The page's API as programs call it (gradio_client, the benchmarks, the tests): what the round
endpoints (`/start_round`, `/answer_typed`, `/answer_spoken`, `/skip`, `/next_card`, `/try_again`,
`/hint_*`) return, by position. game/ui/round_view.py builds its outputs in this order; buttons,
layout and session state are not part of what an API caller receives. `/start_round` returns two
more after these: the nickname and the anonymous learner id the browser keeps.
"""

ROUND_OUTPUTS = (
    "progress",  # "Ord 2 av 5 …": the round line
    "picture",  # the card's picture (a file), or None off the play screen
    "feedback",  # the verdict or a notice, as HTML
    "typed",  # the answer box
    "mic",  # the microphone's recording
    "summary",  # the round's summary, as HTML, once it is over
    "progress_summary",  # the start screen's progress
    "mastery",  # the start screen's chart
    "stored",  # the learner's progress as kept in the browser (JSON)
    "hints",  # the hints taken, as HTML
    "hint_sound",  # the word's sound, after the "hear it" hint
    "prompt",  # what the learner is asked to do
)
PROGRESS, PICTURE, FEEDBACK, TYPED, MIC, SUMMARY = (
    ROUND_OUTPUTS.index(name) for name in ("progress", "picture", "feedback", "typed", "mic", "summary")
)
