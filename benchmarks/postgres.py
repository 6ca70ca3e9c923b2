"""A throwaway PostgreSQL server for the tests and for a school shown on one machine
(benchmarks/school.py): Debian's server programs, a cluster in a temporary folder.

The server listens only on a Unix socket in that folder (no TCP port to collide with anything
else on the machine), trusts whoever can reach the socket, and skips fsync: it holds test data
for a few seconds, then the folder goes.

PostgreSQL refuses to run as root (a server bug would otherwise own the machine). As root, the
cluster belongs to the `postgres` account that Debian's package creates for its own server, or to
`nobody` where there is none; the programs are run as that account (subprocess's `user=`/`group=`,
which need no sudo, runuser or su). The test process stays root and reaches the socket as root can.

A test run that is killed never stops its server; the next run stops the servers of runs that
are gone (each folder names its test process).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

SUPERUSER = "postgres"  # the database role, whichever account runs the server
PREFIX = "sagdet-pg-"
OWNER = "owner.pid"  # the test process the server belongs to


def initdb_program() -> str | None:
    """The newest Debian-installed `initdb` (/usr/lib/postgresql/<version>/bin/), or one on PATH."""
    found = list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return str(max(found, key=lambda path: [int(n) for n in re.findall(r"\d+", path.parts[-3])]))
    return shutil.which("initdb")


def _server_account() -> pwd.struct_passwd | None:
    """Who runs the server when we are root; None: ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a postgres nor a nobody account exists to run PostgreSQL")


class Postgres:
    def __init__(self, initdb: str):
        self.bin = Path(initdb).parent
        self.account = _server_account()
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX))  # short: a socket path has at most 107 bytes
        self.data = self.folder / "data"
        self._names = itertools.count(1)

    def start(self) -> None:
        self._stop_abandoned()
        (self.folder / OWNER).write_text(str(os.getpid()))
        if self.account is not None:
            os.chown(self.folder, self.account.pw_uid, self.account.pw_gid)
        self._run("initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C")
        self.resume()

    def resume(self) -> None:
        """Start the server on the cluster it has (after halt(): the same databases, the same data)."""
        options = f"-c listen_addresses='' -k {self.folder} -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.folder / "server.log", "-o", options, "-w", "start")

    def halt(self) -> None:
        """Stop the server and keep its cluster, as a database host that goes down and comes back."""
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def stop(self, folder: Path | None = None) -> None:
        """Stop this server (or the one in `folder`) and remove its folder."""
        folder = folder or self.folder
        try:
            if (folder / "data" / "postmaster.pid").exists():  # not when it failed to start
                self._run("pg_ctl", "-D", folder / "data", "-m", "fast", "-w", "stop", folder=folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _stop_abandoned(self) -> None:
        for folder in self.folder.parent.glob(f"{PREFIX}*"):
            try:
                owner = int((folder / OWNER).read_text())
                os.kill(owner, 0)  # signal 0: only asks whether the process exists
            except (FileNotFoundError, ValueError, PermissionError):  # being set up, or not ours to judge
                continue
            except ProcessLookupError:
                with contextlib.suppress(RuntimeError):  # a server that will not stop must not stop this run
                    self.stop(folder)

    def new_database(self) -> str:
        """An empty database of its own (one per test), as a SQLAlchemy URL."""
        name = f"test_{next(self._names)}"
        with psycopg.connect(host=str(self.folder), user=SUPERUSER, dbname="postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{SUPERUSER}@/{name}?host={self.folder}"

    def _run(self, program: str, *args: object, folder: Path | None = None) -> None:
        command = [str(self.bin / program), *map(str, args)]
        as_account = {}
        if self.account is not None:
            as_account = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}
        folder = folder or self.folder
        result = subprocess.run(command, capture_output=True, text=True, cwd=folder, **as_account)
        if result.returncode:
            log = folder / "server.log"
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}{server_log}")
