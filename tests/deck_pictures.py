"""The tests' name for benchmarks/pictures.py (a learner tells the card from its picture), and a
learner who plays a round of `vardag` through the API that way."""

from benchmarks.page import Page
from benchmarks.pictures import PictureIndex, bundled_pictures  # noqa: F401
from game.api import FEEDBACK, PICTURE


def learner_plays_a_round(page: Page, cards: int = 3) -> list[str]:
    """What the page said to each of `cards` answers, each the right word for its picture."""
    pictures = bundled_pictures()
    out = page("vardag", cards, None, api_name="/start_round")
    feedback = []
    for _ in range(cards):
        feedback.append(page(pictures.word_for(out[PICTURE]), None, api_name="/answer_typed")[FEEDBACK])
        out = page(None, api_name="/next_card")
    return feedback
