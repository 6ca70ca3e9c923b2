"""A learner's page as an API client keeps it: an event sends only what changed, so what it
leaves out keeps the value it had. Used by the classroom benchmark and the API tests."""

from __future__ import annotations


def is_update(value) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


def merged(view: list, out) -> list:
    """The page after an event: `view` with what `out` changed (a skipped output keeps its value;
    an update's value, when it has one, replaces it)."""
    out = out if isinstance(out, (list, tuple)) else [out]
    view = list(view) + [None] * (len(out) - len(view))
    for i, value in enumerate(out):
        if not is_update(value):
            view[i] = value
        elif "value" in value:
            view[i] = value["value"]
    return view


class Page:
    """One learner's session through gradio_client; `page[PICTURE]` (game.api) is what their page shows."""

    def __init__(self, url: str, **client_options):
        from gradio_client import Client

        self.client = Client(url, verbose=False, **client_options)
        self.values: list = []

    def __call__(self, *args, api_name: str) -> Page:
        self.values = merged(self.values, self.client.predict(*args, api_name=api_name))
        return self

    def __getitem__(self, index: int):
        return self.values[index]
