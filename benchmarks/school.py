"""A school on one machine: PostgreSQL, a speech engine, app replicas and nginx in front of them.

    python -m benchmarks.school                      # starts it all, prints the address; Ctrl-C stops it
    python -m benchmarks.school --replicas 3 --speech-url http://127.0.0.1:8000/v1 --speech-model whisper-base
    python -m benchmarks.school --learners 30 --duration 60 --kill-at 30   # a class through nginx; a replica dies

The shape docs/hosting.md describes for several machines, each part a real program on localhost:
one PostgreSQL (benchmarks/postgres.py) holds the published decks and the results, one vLLM
(benchmarks/speech_engine.py, unless --speech-url names a running engine) hears every replica's
clips, each replica is `python app.py` with those two settings and the same browser key, and
Debian's nginx spreads the learners over the replicas with sticky sessions: a learner's round lives
in one replica's memory, so every request of a learner must reach the same one. nginx hands each
new visitor a cookie (`sagdet_replica`) and hashes on it; browsers send it back, and so does
gradio_client (it keeps the cookies of its first response for this reason). Its access log names the
replica of each request, so the learners on each replica can be counted.

With `--learners N` a class of the classroom benchmark's learners (benchmarks/learner.py) plays
through nginx, and with `--kill-at T` the first replica is killed (kill -9) T seconds into it: from
nginx's log, the learners who were on it, their requests that failed and where they went on, and
the failed requests of everyone else (which should be none).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.concurrency import ROOT, free_port
from benchmarks.postgres import Postgres, initdb_program
from benchmarks.speech_engine import SERVED, SpeechEngine, build_once

COOKIE = "sagdet_replica"
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    # A visitor without the cookie is hashed on this request's id, which becomes their cookie.
    map $cookie_{cookie} $affinity {{ "" $request_id; default $cookie_{cookie}; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    log_format sticky '$msec|$affinity|$upstream_addr|$status|$request_method $uri';
    access_log {folder}/nginx-access.log sticky;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream replicas {{
        hash $affinity consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 64m;  # the app's own upload limit answers above this
        location / {{
            proxy_pass http://replicas;
            proxy_http_version 1.1;  # Gradio's event stream and websockets
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;
            proxy_read_timeout 3600s;
            add_header Set-Cookie "{cookie}=$affinity; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


def nginx_program() -> str | None:
    """Debian puts nginx in /usr/sbin, which is not on every user's PATH."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def wait_for(url: str, proc: subprocess.Popen, what: str, limit: float = 1200.0) -> None:
    """Until `url` answers 200; a guard against a hang, not a speed check."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{what} did not answer at {url}")


class School:
    def __init__(self, replicas: int = 2, speech_url: str | None = None, speech_model: str = SERVED):
        self.folder = Path(tempfile.mkdtemp(prefix="sagdet-school-"))
        self.folder.chmod(0o755)  # nginx's workers (nobody, when started as root) keep request bodies in it
        self.ports = [free_port() for _ in range(replicas)]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.speech_url, self.speech_model = speech_url, speech_model
        self.replicas: list[subprocess.Popen | None] = [None] * replicas
        self.postgres: Postgres | None = None
        self.engine: SpeechEngine | None = None
        self.nginx: subprocess.Popen | None = None
        self.env: dict[str, str] = {}
        self.killed_at: float | None = None

    def start(self) -> School:
        initdb = initdb_program()
        if initdb is None or nginx_program() is None:
            raise RuntimeError("needs Debian's postgresql and nginx: apt-get install postgresql nginx")
        self.postgres = Postgres(initdb)
        self.postgres.start()
        if self.speech_url is None:
            build_once()
            self.engine = SpeechEngine(self.folder / "vllm.log").start()
            self.speech_url = self.engine.url
        self.env = {
            "SAGDET_DATABASE_URL": self.postgres.new_database(),
            "SAGDET_SPEECH_URL": self.speech_url,
            "SAGDET_SPEECH_MODEL": self.speech_model,
            "SAGDET_MODEL": self.speech_model,
            "SAGDET_BROWSER_SECRET": secrets.token_urlsafe(32),  # one key: progress reads on every replica
            "SAGDET_PROXIES": "1",  # nginx adds the learner's address
            "GRADIO_SERVER_NAME": "127.0.0.1",
            "HF_HUB_OFFLINE": "1",
        }
        for i in range(len(self.replicas)):
            self.start_replica(i)
        self._start_nginx()
        return self

    def start_replica(self, i: int) -> None:
        data = self.folder / f"replica-{i}"
        data.mkdir(exist_ok=True)
        env = dict(os.environ, **self.env, GRADIO_SERVER_PORT=str(self.ports[i]), SAGDET_DATA_DIR=str(data))
        with open(self.folder / f"replica-{i}.log", "ab") as log:
            proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.replicas[i] = proc
        # As an active load balancer would: the replica joins once its health check says it serves
        # (nginx OSS has only passive checks, so this script asks for it).
        wait_for(f"http://127.0.0.1:{self.ports[i]}/health", proc, f"replica {i}")

    def health(self, i: int) -> dict:
        """Replica i's `GET /health` body (game/health.py): serving or stopping, speech and the database in words."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[i]}/health", timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:  # 503: stopping, with the same body
            return json.loads(exc.read())

    def kill_replica(self, i: int) -> None:
        """The replica dies at once (kill -9), as a machine that fails."""
        self.killed_at = time.time()
        proc = self.replicas[i]
        if proc is not None:
            proc.kill()
            proc.wait()
        self.replicas[i] = None

    def _start_nginx(self) -> None:
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in self.ports)
        conf = self.folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=self.folder, cookie=COOKIE, servers=servers, port=self.port))
        nginx = nginx_program()
        log = open(self.folder / "nginx.out", "ab")  # noqa: SIM115 - nginx writes to it until stop()
        self.nginx = subprocess.Popen([nginx, "-p", str(self.folder), "-c", str(conf)], stdout=log, stderr=log)
        wait_for(self.url, self.nginx, "nginx")

    def requests(self) -> list[tuple[float, str, str, int]]:
        """(time, visitor's cookie, replica, status) of every request nginx passed on, from its log."""
        log = self.folder / "nginx-access.log"
        out = []
        for line in log.read_text().splitlines() if log.exists() else []:
            at, affinity, upstream, status, _ = line.split("|", 4)
            # A request retried on another replica names both ("A, B"): the last one answered.
            out.append((float(at), affinity, upstream.split(",")[-1].strip(), int(status)))
        return out

    def learners_per_replica(self) -> dict[str, int]:
        """Visitors (cookies) whose requests reached each replica."""
        seen: dict[str, set[str]] = collections.defaultdict(set)
        for _, affinity, upstream, _ in self.requests():
            if upstream != "-":
                seen[upstream].add(affinity)
        return {upstream: len(visitors) for upstream, visitors in sorted(seen.items())}

    def stop(self) -> None:
        for proc in [self.nginx, *self.replicas]:
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if self.engine is not None:
            self.engine.stop()
        if self.postgres is not None:
            self.postgres.stop()

    def __enter__(self) -> School:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def after_the_kill(school: School, replica: int) -> dict:
    """From nginx's log: the learners who were on the killed replica, and who noticed what."""
    dead = f"127.0.0.1:{school.ports[replica]}"
    requests = school.requests()
    first = {}
    for _, affinity, upstream, _ in requests:
        first.setdefault(affinity, upstream)
    theirs = {a for a, upstream in first.items() if upstream == dead}
    failed = [(a, status) for _, a, _, status in requests if status >= 500]
    went_on = {a for at, a, upstream, status in requests if a in theirs and at > school.killed_at and status < 400}
    return {
        "learners_on_it": len(theirs),
        "their_failed_requests": sum(a in theirs for a, _ in failed),
        "went_on_elsewhere": len(went_on),
        "others_failed_requests": sum(a not in theirs for a, _ in failed),
    }


def play_class(school: School, learners: int, duration: float, kill_at: float | None, seed: int) -> dict:
    """A class of the classroom benchmark's learners through nginx; the first replica killed at `kill_at` s."""
    import threading

    from benchmarks.classroom import DECKS, recorded_clips
    from benchmarks.learner import START_AFTER, Class, Plan, run_class
    from benchmarks.report import print_run, summarise
    from benchmarks.server import heard_alone, hint_endpoints, wait_until_ready
    from game.decks.deck import load_decks

    plan = Plan(duration=duration, seed=seed)
    deck = next(d for d in load_decks(DECKS)[0] if d.id == plan.deck)
    tmp = Path(tempfile.mkdtemp(prefix="clips-", dir=school.folder))
    clips = recorded_clips(deck, 8, seed, tmp)
    wait_until_ready(school.url, clips[0])
    alone = heard_alone(school.url, clips)
    setup = Class(school.url, plan, clips, alone, hint_endpoints(school.url), str(tmp))
    timer = None
    if kill_at is not None:
        timer = threading.Timer(START_AFTER + kill_at, school.kill_replica, [0])
        timer.start()
    print(f"\n== {learners} learner(s) through nginx, {len(school.replicas)} replicas ==")
    moves, client_cpu = run_class(learners, setup, 0)
    if timer is not None:
        timer.cancel()
    run = summarise(moves, plan, learners, "through nginx", 0.0, client_cpu)
    print_run(run)
    run["learners_per_replica"] = school.learners_per_replica()
    print(
        "visitors (cookies) per replica, learners and the benchmark's own sessions, from nginx's log:",
        run["learners_per_replica"],
    )
    if school.killed_at is not None:
        run["kill"] = after_the_kill(school, 0)
        # From the learners' side: who had a move fail, or come back without its verdict (the start
        # screen of a replica that did not have their round), and when.
        hit = [m for m in moves if m.error is not None or m.mixup == "no verdict"]
        run["kill"]["learners_hit"] = len({m.learner for m in hit})
        k = run["kill"]
        print(
            f"replica 0 killed {kill_at:g} s in: {k['learners_on_it']} visitors were on it; "
            f"{k['their_failed_requests']} of their requests failed, {k['went_on_elsewhere']} of them went on "
            f"on another replica; the other learners' failed requests: {k['others_failed_requests']}"
        )
        print(f"learners with a move that failed or came back without its round: {k['learners_hit']}")
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--speech-url", help="a running engine (default: start vLLM with real whisper-base)")
    parser.add_argument("--speech-model", default=SERVED, help=f"the model it serves (default {SERVED})")
    parser.add_argument("--learners", type=int, help="play a class of this many through nginx, then stop")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds the class plays")
    parser.add_argument("--kill-at", type=float, help="kill the first replica this many seconds into the class")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the class's figures here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with School(args.replicas, args.speech_url, args.speech_model) as school:
        print(f"the school: {school.url} (nginx) -> replicas on ports {', '.join(map(str, school.ports))}")
        print(f"speech: {school.speech_url}; decks and results: PostgreSQL in {school.postgres.folder}")
        print(f"logs: {school.folder}")
        for i, port in enumerate(school.ports):
            h = school.health(i)
            print(
                f"replica {i} (port {port}) /health: {h['status']}; speech {h['speech']} on the {h['speech_on']}; "
                f"database {h['database']} ({h['database_kind']})"
            )
        if args.learners:
            run = play_class(school, args.learners, args.duration, args.kill_at, args.seed)
            if args.json:
                args.json.write_text(json.dumps(run, indent=2, ensure_ascii=False))
            return 0
        print("Ctrl-C stops it all")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("learners per replica:", school.learners_per_replica())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
