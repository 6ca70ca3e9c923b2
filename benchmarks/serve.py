"""The game's server for the concurrency benchmark: app.py's own code, optionally with pinned tokens."""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--pin", type=int, help="pin new tokens (random-weight models)")
    parser.add_argument("--precision", default="auto")
    args = parser.parse_args()
    if args.pin:
        from benchmarks.answer_latency import _pin_tokens

        _pin_tokens(args.pin)
    import transformers

    transformers.logging.set_verbosity_error()
    from game.config import Settings
    from game.ui import build_app, launch_options

    settings = Settings(model=args.model, precision=args.precision)
    demo = build_app(settings)
    demo.launch(quiet=True, **launch_options(demo))  # GRADIO_SERVER_PORT/NAME say where


if __name__ == "__main__":
    main()
