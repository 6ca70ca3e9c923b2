"""Säg det! — run `python app.py` and open the address it prints.

The speech model comes from SAGDET_MODEL (a hub id or a local directory); the
usual GRADIO_SERVER_NAME / GRADIO_SERVER_PORT variables choose where it listens.
"""

import logging

from game.config import load_settings
from game.ui import build_app, launch_options

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
logging.getLogger("httpx").setLevel(logging.WARNING)
settings = load_settings()
demo = build_app(settings)

if __name__ == "__main__":
    demo.launch(**launch_options())
