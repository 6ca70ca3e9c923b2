"""What a program that will not stop costs the server once it is turned away at the door.

    python -m benchmarks.door                              # 1 and 200 connections, 15 s each
    python -m benchmarks.door --connections 1,50,200 --seconds 15

A session writes past its allowance until the door (game/ui/door.py) turns it away; then each of
`--connections` raw HTTP connections posts that session's event back to back, waiting for each
answer, for `--seconds`. Printed per run: requests a second, their HTTP statuses, and the CPU of the
server's process, in all and per request. The clients run at the lowest CPU priority (SCHED_IDLE),
so that on a machine of two cores they take what the server leaves.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.fixtures import CACHE, checkpoint
from benchmarks.page import Page
from benchmarks.report import machine_facts, machine_line
from benchmarks.server import start_app, stop_app
from game.write_limit import REFUSALS_AT_THE_DOOR, WRITES_PER_SESSION

JOIN = "/gradio_api/queue/join"


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_quiet(pid: int, most: float = 0.05, timeout: float = 600) -> None:
    """Until the server uses under `most` of a core for a second: its speech model loads in the
    background after it starts serving, and that work is not the door's."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        before = cpu_seconds(pid)
        time.sleep(1)
        if cpu_seconds(pid) - before < most:
            return


def shut_out_session(url: str) -> str:
    """A session that wrote past its allowance and was told "too fast" until the door closed on it."""
    page = Page(url)
    page("vardag", 10, None, api_name="/start_round")
    for _ in range(WRITES_PER_SESSION + REFUSALS_AT_THE_DOOR):
        with contextlib.suppress(Exception):  # "too fast", in the page's words, then the door's 429
            page("xyzzy", None, api_name="/answer_typed")
    return page.client.session_hash


async def hammer(url: str, body: bytes, connections: int, seconds: float) -> Counter:
    import httpx

    statuses: Counter = Counter()
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        end = time.monotonic() + seconds

        async def one_connection() -> None:
            while time.monotonic() < end:
                answer = await client.post(JOIN, content=body, headers={"content-type": "application/json"})
                statuses[answer.status_code] += 1

        await asyncio.gather(*(one_connection() for _ in range(connections)))
    return statuses


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", default="1,200", help="comma-separated numbers of connections")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--model", help="a local checkpoint (default: whisper-small dimensions, random weights)")
    args = parser.parse_args(argv)
    print(machine_line(machine_facts()))
    proc, url, _ = start_app(
        checkpoint(args.model, CACHE), None, None, 0, tempfile.mkdtemp(prefix="sagdet-door-"), 0, None
    )
    try:
        url = url.rstrip("/")
        body = json.dumps({"session_hash": shut_out_session(url), "fn_index": 0, "data": ["xyzzy"]}).encode()
        wait_until_quiet(proc.pid)
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        for connections in (int(n) for n in args.connections.split(",")):
            before, began = cpu_seconds(proc.pid), time.monotonic()
            statuses = asyncio.run(hammer(url, body, connections, args.seconds))
            took, spent = time.monotonic() - began, cpu_seconds(proc.pid) - before
            sent = sum(statuses.values())
            print(
                f"{connections} connection(s): {sent / took:.0f} requests/s, statuses {dict(statuses)}; the server "
                f"used {spent / took * 100:.0f} % of a core, {spent / max(sent, 1) * 1000:.2f} ms a request"
            )
    finally:
        stop_app(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
