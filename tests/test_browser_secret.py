"""The key for learners' browsers is made once and kept, so their progress survives a restart."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor

from game.config import Settings
from game.ui.browser_secret import FILE, browser_secret


def test_the_key_is_made_once_and_read_again_after_a_restart(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    first = browser_secret(settings)
    assert len(first) >= 43  # 256 bits
    assert browser_secret(settings) == first  # the next start reads the same key
    assert stat.S_IMODE((tmp_path / "data" / FILE).stat().st_mode) == 0o600


def test_a_set_key_wins_and_nothing_is_written(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", browser_secret="shared-by-the-replicas")
    assert browser_secret(settings) == "shared-by-the-replicas"
    assert not (tmp_path / "data").exists()


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: browser_secret(settings), range(8)))
    assert len(keys) == 1


def test_an_unwritable_data_folder_still_starts_with_a_key_for_this_run(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert browser_secret(Settings(data_dir=blocked / "data"))
