"""gradio imported by the app without deriving its type stubs (game/ui/gradio_import.py)."""

import subprocess
import sys

from game.config import ROOT

CHECK = """
import inspect
import game.ui
import gradio.blocks_events as blocks_events
import gradio.component_meta as meta
from game.ui.gradio_import import write_no_stub

assert meta.create_or_modify_pyi is write_no_stub, meta.create_or_modify_pyi
assert blocks_events.create_or_modify_pyi is write_no_stub  # imported by name after the swap
assert "create_or_modify_pyi(" in inspect.getsource(meta.ComponentMeta.__new__)  # gradio still calls it by name
assert meta.__spec__.loader.get_source(meta.__name__).startswith("from __future__")  # its own loader answers
"""


def test_the_app_imports_gradio_without_deriving_its_stubs():
    """In a fresh interpreter, as `python app.py` imports it (here gradio may already be in)."""
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
