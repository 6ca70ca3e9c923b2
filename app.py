"""Säg det! — run `python app.py` and open the address it prints.

The speech model comes from SAGDET_MODEL (a hub id or a local directory), or speech goes to
a transcription engine at SAGDET_SPEECH_URL (game/config.py lists every setting); the
usual GRADIO_SERVER_NAME / GRADIO_SERVER_PORT variables choose where it listens.
"""

import logging

from game.config import load_settings
from game.shutdown import stop_gently_on_sigterm
from game.ui import build_app, launch_options

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
for chatty in ("httpx", "httpx2"):  # a line per request: gradio's own, and each clip sent to a speech engine
    logging.getLogger(chatty).setLevel(logging.WARNING)
settings = load_settings()
demo = build_app(settings)

if __name__ == "__main__":
    # A platform's stop: /health says 503 while the replica drains, then the queued answers are written
    # and the temporary files removed.
    stop_gently_on_sigterm(settings.drain_seconds)
    demo.launch(**launch_options(demo))
