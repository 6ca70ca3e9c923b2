"""A school on one machine (benchmarks/school.py): two app replicas behind Debian's nginx with sticky
sessions, one real PostgreSQL, one speech engine; learners through gradio_client, as in a class.

The engine here is the localhost one that answers as told (tests/engine_double.py): what this tests
is the replicas, the load balancer and the database; vLLM itself is tests/test_speech_engine.py's.
"""

import pytest
from conftest import espeak, require_program
from deck_pictures import bundled_pictures
from gradio_client import handle_file

from benchmarks.page import Page
from benchmarks.school import COOKIE, School, nginx_program
from game.api import FEEDBACK, PICTURE
from game.texts import say

pytestmark = pytest.mark.slow
PICTURES = bundled_pictures()


def test_a_class_spread_over_two_replicas_survives_one_of_them_dying(tmp_path, engine_double):
    require_program(nginx_program() or "nginx", "nginx")
    engine = engine_double
    school = School(2, speech_url=engine.url, speech_model="sv-model")
    try:
        school.start()
        for i in range(2):  # each replica joined once its health check said it serves (GET /health)
            health = school.health(i)
            assert health["status"] == "serving" and health["speech_on"] == "engine", health
            assert (health["database"], health["database_kind"]) == ("ok", "postgresql"), health
        learners = [Page(school.url) for _ in range(8)]
        for page in learners:
            page("djur", 3, None, api_name="/start_round")
            word = PICTURES.word_for(page[PICTURE])
            assert "Rätt!" in page(word, None, api_name="/answer_typed")[FEEDBACK]
        speaker = Page(school.url)
        speaker("djur", 3, None, api_name="/start_round")
        clip = handle_file(str(espeak("hund", tmp_path / "hund.wav")))
        spoken = speaker(clip, None, api_name="/answer_spoken")[FEEDBACK]
        assert "Jag hörde" in spoken and engine.requests  # heard by the engine, through the learner's replica

        spread = school.learners_per_replica()
        assert len(spread) == 2 and all(count >= 1 for count in spread.values()), spread
        on = {page: first_replica(school, page) for page in learners}
        dead = f"127.0.0.1:{school.ports[0]}"
        theirs = [page for page, replica in on.items() if replica == dead]
        others = [page for page in learners if page not in theirs]
        assert theirs and others, on

        school.kill_replica(0)
        for page in others:  # the other replica's learners notice nothing
            page(None, api_name="/next_card")
            word = PICTURES.word_for(page[PICTURE])
            assert "Rätt!" in page(word, None, api_name="/answer_typed")[FEEDBACK]
        for page in theirs:  # the killed replica's learners: told why, then a new round elsewhere
            kept = stored_progress(page)
            job = page.client.submit(kept, api_name="/next_card")
            after = job.result()
            assert after[PICTURE] is None  # the start screen: nginx sent the move to the other replica
            assert say("sv", "round_lost") in toasts(job)
            page.values = []
            page("djur", 3, kept, api_name="/start_round")
            word = PICTURES.word_for(page[PICTURE])
            assert "Rätt!" in page(word, kept, api_name="/answer_typed")[FEEDBACK]
            assert stored_progress(page)["xp"] > kept["xp"]  # the same learner's progress, gone on
    finally:
        school.stop()


def toasts(job) -> list[str]:
    """The messages (gr.Warning, gr.Info) a request showed, from its status updates."""
    updates, shown = job.communicator.updates, []
    while not updates.empty():
        log = getattr(updates.get_nowait(), "log", None)
        if log:
            shown.append(log[0])
    return shown


def stored_progress(page: Page) -> dict:
    """The learner's progress as the page hands it to the browser to keep."""
    return next(v for v in page.values if isinstance(v, dict) and "xp" in v and "words" in v)


def first_replica(school: School, page: Page) -> str:
    """The replica nginx sent this learner's first request to, by the cookie it gave them."""
    cookie = page.client.cookies[COOKIE]
    return next(upstream for _, affinity, upstream, _ in school.requests() if affinity == cookie and upstream != "-")


def test_in_a_browser_a_learner_whose_replica_dies_is_told_and_keeps_their_progress(tmp_path, artifacts, engine_double):
    """Chromium through nginx: a round on one replica, that replica killed, the next move says the round
    was interrupted and shows the start screen with the learner's progress; a new round goes on."""
    from playwright.sync_api import sync_playwright
    from test_browser import (
        feedback,
        launch_chromium,
        new_page,
        shot,
        silence,
        start_round,
        type_answer,
        word_on_screen,
    )

    require_program(nginx_program() or "nginx", "nginx")
    engine = engine_double
    school = School(2, speech_url=engine.url, speech_model="sv-model")
    try:
        school.start()
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, silence(tmp_path))
            try:
                with new_page(browser, {"width": 390, "height": 844}) as page:
                    start_round(page, school.url, 3, speech=False)
                    type_answer(page, word_on_screen(page))
                    feedback(page, ".verdict.right")
                    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
                    replica = next(u for _, a, u, _ in school.requests() if a == cookie and u != "-")
                    school.kill_replica(school.ports.index(int(replica.rsplit(":", 1)[1])))

                    page.get_by_role("button", name="Nästa").click()
                    page.get_by_text(say("sv", "round_lost")).wait_for()
                    shot(page, artifacts, "school-round-interrupted", full_page=False)
                    summary = page.locator("#progress-summary")
                    summary.get_by_text("XP").wait_for()
                    assert " 0 XP" not in summary.inner_text()  # the right answer before the crash counts

                    page.reload()
                    summary.get_by_text("XP").wait_for()
                    assert " 0 XP" not in summary.inner_text()
                    start_round(page, school.url, 3, speech=False)
                    type_answer(page, word_on_screen(page))
                    feedback(page, ".verdict.right")
            finally:
                browser.close()
    finally:
        school.stop()
