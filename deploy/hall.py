"""Serve the gallery to a lecture hall: N `streamlit run app.py` replicas behind HAProxy.

One Streamlit process runs every visitor's script in threads under one GIL, so it uses about
one core (see DESIGN.md, "Serving a lecture hall"). `python -m deploy.hall` (`make serve`)
starts one replica per core on free localhost ports, waits until each answers its health URL,
opens one session on each so that it starts loading its models (ui/loaders.py), and serves
them all on one port through HAProxy with the config in deploy/haproxy.cfg (cookie
stickiness, health checks, websockets, redispatch to a live replica). A Redis on localhost
holds the room every replica shares (what the lecturer shares, ui/room.py); the lecturer's
key for sharing is drawn per hall unless DEMO_LECTURER_KEY is set, and printed. Ctrl-C or SIGTERM
stops everything; a replica that dies is started again on its port, and HAProxy takes it
back once it is healthy.

As a library (tests, bench/load.py), everything on 127.0.0.1:

    with running_hall(replicas=2) as hall:
        hall.url                # http://127.0.0.1:<port>: HAProxy, what visitors open
        hall.replicas[0].url    # one replica directly; also .process, .pid, .name, .port
        hall.kill_replica(0)    # SIGKILL: a crash, as its visitors would live it
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

DEPLOY_DIR = Path(__file__).resolve().parent
REPO_ROOT = DEPLOY_DIR.parent
HAPROXY_TEMPLATE = DEPLOY_DIR / "haproxy.cfg"
COOKIE_NAME = "HALL_REPLICA"          # HAProxy's stickiness cookie; its value is a replica's name
REPLICA_HEADER = "X-Hall-Replica"     # response header naming the replica that answered
SERVERS_BEGIN, SERVERS_END = "    # BEGIN servers\n", "    # END servers\n"


# --- processes ------------------------------------------------------------------------------

def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` distinct TCP ports that are free on `host` right now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:  # all held open at once, so the kernel cannot hand one out twice
            sock.bind((host, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port(host: str = "127.0.0.1") -> int:
    return free_ports(1, host)[0]


def start_streamlit(script: str, port: int, environment: dict[str, str] | None = None,
                    stderr: int | IO | None = None) -> subprocess.Popen:
    """`streamlit run script` on 127.0.0.1:`port` in the repository root (so that it reads
    .streamlit/config.toml), with `environment` added to this process's. It gets its own
    process group: a Ctrl-C in the terminal reaches the launcher, which stops it in order."""
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO_ROOT, env={**os.environ, **(environment or {})},
        stdout=subprocess.DEVNULL, stderr=stderr, process_group=0)


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90,
                 log_path: Path | None = None) -> None:
    """Wait until the Streamlit server at `url` answers /_stcore/health; raise if `process`
    exits first (with the end of its stderr pipe or of `log_path`) or after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited ({process.returncode}): "
                               f"{_output_tail(process, log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url} within {timeout:.0f} s")


def stop_processes(processes: Sequence[subprocess.Popen], timeout: float = 15) -> None:
    """SIGTERM all of them, then wait; SIGKILL any still running after `timeout` s.

    A replica stopped during its model warm-up takes a few seconds: it lets the warm-up
    finish rather than abort inside torch (see ui/loaders.start_warm_up)."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _output_tail(process: subprocess.Popen, log_path: Path | None, size: int = 2000) -> str:
    if log_path is not None and log_path.exists():
        return log_path.read_text(errors="replace")[-size:]
    if process.stderr is not None:
        return process.stderr.read().decode(errors="replace")[-size:]
    return "(its output went to the terminal)"


def open_session(url: str, timeout: float = 60) -> None:
    """Run the app's default page once in a new session, over Streamlit's websocket the way
    a browser's first visit does, and leave. The gallery starts loading every model in the
    background after its first page view; this makes that happen before the first visitor.
    Returns when the page's script has finished, not when the models are loaded."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    deadline = time.monotonic() + timeout
    with connect(stream, subprotocols=["streamlit"], open_timeout=timeout,
                 max_size=None) as websocket:
        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.page_script_hash = ""
        websocket.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(websocket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.WhichOneof("type") == "script_finished":
                return


# --- HAProxy --------------------------------------------------------------------------------

def haproxy_config(servers: Sequence[tuple[str, str]]) -> str:
    """deploy/haproxy.cfg with its server block listing `servers`: (name, "host:port") pairs.
    Each server's stickiness cookie value is its name."""
    head, rest = HAPROXY_TEMPLATE.read_text().split(SERVERS_BEGIN)
    _, tail = rest.split(SERVERS_END)
    lines = "".join(f"    server {name} {address} cookie {name}\n" for name, address in servers)
    return head + SERVERS_BEGIN + lines + SERVERS_END + tail


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise FileNotFoundError("haproxy is not installed: `sudo apt-get install haproxy` "
                                "(make serve and make test install it)")
    return found


def start_room_store(port: int) -> subprocess.Popen:
    """Debian's redis-server on 127.0.0.1:`port`, in memory only (the room is not worth
    keeping across halls), answering PING before this returns."""
    binary = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed: `sudo apt-get install "
                                "redis-server` (make serve and make test install it)")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        process_group=0)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited ({process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            time.sleep(0.1)
    stop_processes([process])
    raise TimeoutError("redis-server did not answer PING within 15 s")


# --- the hall -------------------------------------------------------------------------------

@dataclass
class Replica:
    """One `streamlit run` process of a hall; `name` is its HAProxy server name and the
    value of the stickiness cookie of its visitors."""

    name: str
    port: int
    process: subprocess.Popen
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid


@dataclass
class Hall:
    """A running hall: `url` is HAProxy's, `replicas` the Streamlit processes behind it."""

    url: str
    replicas: list[Replica]
    haproxy: subprocess.Popen | None
    room_store: subprocess.Popen | None
    stats_url: str                      # HAProxy's stats page (add ";csv" for the raw table)
    config_path: Path
    script: str
    environment: dict[str, str] = field(repr=False, default_factory=dict)
    log_dir: Path | None = None         # replica-<name>.log and haproxy.log; None: terminal

    @property
    def lecturer_key(self) -> str:
        """The key the lecturer types to share with the room (drawn per hall, or the
        operator's own DEMO_LECTURER_KEY)."""
        return self.environment.get("DEMO_LECTURER_KEY") or os.environ.get("DEMO_LECTURER_KEY", "")

    def kill_replica(self, index: int) -> None:
        """SIGKILL replica `index` and wait until it is gone (HAProxy notices by itself)."""
        process = self.replicas[index].process
        process.kill()
        process.wait()

    def restart_replica(self, index: int, wait: bool = True, timeout: float = 120) -> None:
        """Start replica `index` again on its port (after it died); with `wait`, return
        once it answers its health URL. HAProxy takes it back after two good checks."""
        replica = self.replicas[index]
        if replica.process.poll() is None:
            raise RuntimeError(f"replica {replica.name} is still running")
        replica.process = _start_replica(self, replica.name, replica.port)
        if wait:
            wait_healthy(replica.url, replica.process, timeout, replica.log_path)

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of each replica: name -> "UP", "DOWN", "UP 1/2" (rising)..."""
        with urllib.request.urlopen(f"{self.stats_url};csv", timeout=5) as response:
            table = csv.DictReader(io.StringIO(response.read().decode().lstrip("# ")))
            return {row["svname"]: row["status"] for row in table
                    if row["pxname"] == "replicas" and row["svname"] not in ("BACKEND", "FRONTEND")}

    def wait_for_states(self, expected: dict[str, str], timeout: float = 30) -> None:
        """Wait until HAProxy reports `expected` (name -> status) for those replicas."""
        deadline = time.monotonic() + timeout
        while True:
            states = self.server_states()
            if all(states.get(name) == status for name, status in expected.items()):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"HAProxy reports {states}, expected {expected}")
            time.sleep(0.2)


def replica_environment(environment: dict[str, str] | None = None) -> dict[str, str]:
    """What every replica of one hall gets on top of this process's environment.

    One torch thread and one heavy-work worker per replica: the replicas are the parallelism
    (one per core). A lecturer key, as behind HAProxy every visitor comes from 127.0.0.1 and
    "the server's own machine" identifies no one. `environment` and this process's own
    variables take precedence.

    `server.cookieSecret` is random per process by default; Streamlit asks for one shared
    value across replicas, so each hall draws a fresh one for all of its replicas. (In
    Streamlit 1.67 it signs the session and login cookies; the XSRF cookie is a double-submit
    token that every replica accepts, so an upload works after a visitor moved replicas.)
    """
    given = {**os.environ, **(environment or {})}
    defaults = {"DEMO_TORCH_THREADS": "1", "DEMO_HEAVY_WORKERS": "1",
                "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
                "DEMO_LECTURER_KEY": secrets.token_urlsafe(6)}
    unset = {name: value for name, value in defaults.items() if name not in given}
    return {**unset, **(environment or {})}


def _start_replica(hall: Hall, name: str, port: int) -> subprocess.Popen:
    stderr = None if hall.log_dir is None else open(hall.log_dir / f"replica-{name}.log", "ab")
    try:
        return start_streamlit(hall.script, port, hall.environment, stderr=stderr)
    finally:
        if stderr is not None:
            stderr.close()  # the child has its own copy


def _stop_hall(hall: Hall) -> None:
    """HAProxy first (no new requests reach stopping replicas), then every replica, then the
    room's store."""
    if hall.haproxy is not None:
        stop_processes([hall.haproxy], timeout=5)
    stop_processes([replica.process for replica in hall.replicas])
    if hall.room_store is not None:
        stop_processes([hall.room_store], timeout=5)


@contextmanager
def running_hall(replicas: int = 2, port: int | None = None,
                 environment: dict[str, str] | None = None, script: str = "app.py", *,
                 address: str = "127.0.0.1", stats_port: int | None = None,
                 warm_up: bool = True, timeout: float = 180,
                 log_to_terminal: bool = False) -> Iterator[Hall]:
    """Run `replicas` Streamlit replicas of `script` on free 127.0.0.1 ports behind HAProxy
    on `address`:`port` (a free port when None); yield the running `Hall`, stop it after.

    `environment` is added to every replica's (see `replica_environment`). Returns once
    every replica answers its health URL (each within `timeout` s) and HAProxy reports them
    all up; with `warm_up`, each replica has also run its first page once, which starts its
    background model loading (not waited for). HAProxy's stats page is on 127.0.0.1:
    `stats_port` (a free port when None). Output goes to files in `Hall.log_dir` unless
    `log_to_terminal`.
    """
    if replicas < 1:
        raise ValueError("a hall needs at least one replica")
    binary = haproxy_binary()
    ports = free_ports(replicas + 3)
    port = port or ports[-1]
    stats_port = stats_port or ports[-2]
    store_port = ports[-3]
    with ExitStack() as stack:
        work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hall-")))
        store = {"DEMO_ROOM_STORE": f"redis://127.0.0.1:{store_port}/0"}
        hall = Hall(url=f"http://127.0.0.1:{port}", replicas=[], haproxy=None, room_store=None,
                    stats_url=f"http://127.0.0.1:{stats_port}/",
                    config_path=work_dir / "haproxy.cfg", script=script,
                    environment=replica_environment({**store, **(environment or {})}),
                    log_dir=None if log_to_terminal else work_dir)
        stack.callback(_stop_hall, hall)
        hall.room_store = start_room_store(store_port)
        for index, replica_port in enumerate(ports[:replicas]):
            name = f"r{index}"
            hall.replicas.append(Replica(
                name, replica_port, _start_replica(hall, name, replica_port),
                None if log_to_terminal else work_dir / f"replica-{name}.log"))
        for replica in hall.replicas:
            wait_healthy(replica.url, replica.process, timeout, replica.log_path)
        if warm_up:
            for replica in hall.replicas:
                open_session(replica.url)

        hall.config_path.write_text(haproxy_config(
            [(replica.name, f"127.0.0.1:{replica.port}") for replica in hall.replicas]))
        haproxy_log = None if log_to_terminal else open(work_dir / "haproxy.log", "ab")
        try:
            hall.haproxy = subprocess.Popen(
                [binary, "-f", str(hall.config_path), "-db"], cwd=work_dir,
                env={**os.environ, "HALL_BIND": f"{address}:{port}",
                     "HALL_STATS_BIND": f"127.0.0.1:{stats_port}"},
                stdin=subprocess.DEVNULL, stdout=haproxy_log, stderr=subprocess.STDOUT,
                process_group=0)
        finally:
            if haproxy_log is not None:
                haproxy_log.close()
        _wait_haproxy(hall, timeout=30)
        yield hall


def _wait_haproxy(hall: Hall, timeout: float) -> None:
    """Until HAProxy serves its stats and reports every replica up."""
    deadline = time.monotonic() + timeout
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        if hall.haproxy.poll() is not None:
            log = hall.log_dir / "haproxy.log" if hall.log_dir else None
            raise RuntimeError(f"haproxy exited ({hall.haproxy.returncode}): "
                               f"{_output_tail(hall.haproxy, log)}")
        try:
            states = hall.server_states()
            if all(states.get(replica.name) == "UP" for replica in hall.replicas):
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"HAProxy did not report every replica up: {states}")


# --- command line ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.hall",
        description="Serve the gallery to a lecture hall: N Streamlit replicas behind HAProxy "
                    "(cookie stickiness, health checks, websockets). Ctrl-C stops it.")
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1,
                        help="Streamlit processes, about one core each (default: one per "
                             "core, %(default)s here)")
    parser.add_argument("--port", type=int, default=8501, help="HAProxy's port (%(default)s)")
    parser.add_argument("--address", default="0.0.0.0",
                        help="HAProxy's address (%(default)s: every interface, for the hall)")
    parser.add_argument("--stats-port", type=int, default=8404,
                        help="HAProxy's stats page, on 127.0.0.1 only (%(default)s)")
    parser.add_argument("--script", default="app.py", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    # SIGTERM (docker stop, systemd, kill) stops the hall the way Ctrl-C does. SIGINT is set
    # too: a shell starting this in the background (`make serve &`) ignores it otherwise.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    print(f"Starting {args.replicas} replicas of {args.script}...", flush=True)
    try:
        with running_hall(args.replicas, args.port, script=args.script, address=args.address,
                          stats_port=args.stats_port, log_to_terminal=True) as hall:
            shown = "localhost" if args.address in ("0.0.0.0", "::") else args.address
            print(f"The gallery is served on http://{shown}:{args.port} by "
                  f"{len(hall.replicas)} replicas (pids "
                  f"{', '.join(str(r.pid) for r in hall.replicas)}); HAProxy's stats on "
                  f"{hall.stats_url}. Ctrl-C stops it.\nLecturer key (type it in the presenter "
                  f"view to share your page with the room): {hall.lecturer_key}", flush=True)
            _supervise(hall)
    except KeyboardInterrupt:
        pass
    print("Stopped.", flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _supervise(hall: Hall, every: float = 1.0, restart_after: float = 10.0) -> None:
    """Until HAProxy exits: start a replica that died again, at most once per
    `restart_after` s each (a replica failing at start-up does not spin)."""
    restarted = {replica.name: 0.0 for replica in hall.replicas}
    while hall.haproxy.poll() is None:
        for index, replica in enumerate(hall.replicas):
            code = replica.process.poll()
            if code is not None and time.monotonic() - restarted[replica.name] > restart_after:
                hall.restart_replica(index, wait=False)
                print(f"Replica {replica.name} exited ({code}); starting it again "
                      f"(pid {hall.replicas[index].pid}).", flush=True)
                restarted[replica.name] = time.monotonic()
        time.sleep(every)
    raise SystemExit(f"haproxy exited ({hall.haproxy.returncode})")


if __name__ == "__main__":
    main()
