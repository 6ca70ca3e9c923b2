"""`import gradio` without deriving gradio's type stubs at every start.

At import, gradio derives a `.pyi` stub for each of its ~80 component classes and compares it with
the one in its install folder, rewriting it if it differs (gradio/component_meta.py,
`create_or_modify_pyi`: each class's source file parsed with `ast`, a jinja template rendered). The
stubs serve editors; the app never reads them. Measured on the 2-core machine (Python 3.11):
`import gradio` takes 8.4 CPU-seconds with them and 3.9 without, and `python app.py` serves its
page after 7 s instead of 11 (a Space's restart).
"""

from __future__ import annotations

import importlib.abc
import sys

MODULE = "gradio.component_meta"
STUB_WRITER = "create_or_modify_pyi"


def write_no_stub(*args, **kwargs) -> None:
    """In place of gradio's stub writer."""


class _StubsSkipped(importlib.abc.Loader):
    """The module's own loader; then its stub writer is replaced, before any component class uses it."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        if hasattr(module, STUB_WRITER):  # a later gradio without it imports as it is
            setattr(module, STUB_WRITER, write_no_stub)

    def __getattr__(self, name):  # get_source, get_filename …: the module's own loader answers
        if name == "loader":  # not set yet (a copy being made): no endless lookup
            raise AttributeError(name)
        return getattr(self.loader, name)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds gradio.component_meta as the other finders would, and wraps its loader."""

    def find_spec(self, name, path, target=None):
        if name != MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _StubsSkipped(spec.loader)
                return spec
        return None


def skip_gradio_stubs() -> None:
    """Before gradio is imported; once gradio is in, it changes nothing."""
    if MODULE not in sys.modules and not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
