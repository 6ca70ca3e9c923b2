"""Each card's picture prepared once, as a PNG file the page can serve.

Preparing a picture (decode, turn upright, pad to a square, encode) costs tens of
milliseconds; a class moving through the same deck would pay it on every move. Files get
random names: one called hund.png would give the answer away. The folder is the server's own
(game/temporary.py): removed at exit, and by the next server when this one is killed.
"""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from collections import OrderedDict
from pathlib import Path

from game.decks.media import display_picture
from game.temporary import own_folder

FOLDER_PREFIX = "sagdet-pictures-"

log = logging.getLogger(__name__)


class PictureFiles:
    """At most `capacity` prepared pictures on disk; the least recently shown goes first."""

    def __init__(self, folder: Path | None = None, capacity: int = 512):
        self.folder = Path(folder) if folder else own_folder(FOLDER_PREFIX)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.capacity = capacity
        self._files: OrderedDict[tuple, Path] = OrderedDict()
        self._lock = threading.Lock()  # learners' events arrive on many threads

    def __call__(self, picture: Path) -> str:
        """The served file for this picture; raises OSError when it cannot be read."""
        stat = Path(picture).stat()
        key = (str(picture), stat.st_mtime_ns, stat.st_size)  # a replaced file is prepared again
        with self._lock:
            if key in self._files:
                self._files.move_to_end(key)
                return str(self._files[key])
        path = self.folder / f"{uuid.uuid4().hex}.png"
        display_picture(Path(picture)).save(path, format="PNG")
        with self._lock:
            if key in self._files:  # another learner's move prepared it meanwhile
                path.unlink()
                return str(self._files[key])
            self._files[key] = path
            while len(self._files) > self.capacity:
                _, old = self._files.popitem(last=False)
                old.unlink(missing_ok=True)
        return str(path)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        log.info("picture cache %s removed", self.folder)
