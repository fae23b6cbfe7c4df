"""The lecture-hall launcher without a browser: HAProxy accepts its configs, every hall gets
its own cookie secret, and `python -m deploy.hall` serves, restarts a dead replica and stops
cleanly on SIGTERM (with the one-slider baseline app, which starts in seconds)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from queue import Empty, Queue

import pytest

from deploy import hall as hall_module
from deploy.hall import REPO_ROOT, free_ports, haproxy_binary, haproxy_config


def check_config(path, **environment) -> subprocess.CompletedProcess:
    return subprocess.run([haproxy_binary(), "-c", "-f", str(path)], capture_output=True,
                          text=True, env={**os.environ, **environment})


def test_the_committed_config_is_valid_for_compose():
    result = check_config(hall_module.HAPROXY_TEMPLATE, HALL_STATS_BIND="127.0.0.1:8404")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_generated_config_lists_the_local_replicas_and_is_valid(tmp_path):
    text = haproxy_config([("r0", "127.0.0.1:9001"), ("r1", "127.0.0.1:9002"),
                           ("r2", "127.0.0.1:9003")])
    servers = re.findall(r"^\s+server (\S+) (\S+) cookie (\S+)$", text, re.MULTILINE)
    assert servers == [("r0", "127.0.0.1:9001", "r0"), ("r1", "127.0.0.1:9002", "r1"),
                       ("r2", "127.0.0.1:9003", "r2")]
    assert "replica0:" not in text  # the compose servers are replaced, not kept
    path = tmp_path / "haproxy.cfg"
    path.write_text(text)
    result = check_config(path, HALL_BIND="127.0.0.1:8501")  # -c binds nothing
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_each_hall_draws_its_own_secret_and_explicit_settings_win(monkeypatch):
    monkeypatch.delenv("DEMO_TORCH_THREADS", raising=False)
    monkeypatch.delenv("STREAMLIT_SERVER_COOKIE_SECRET", raising=False)
    first, second = hall_module.replica_environment(), hall_module.replica_environment()
    assert first["STREAMLIT_SERVER_COOKIE_SECRET"] != second["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert first["DEMO_TORCH_THREADS"] == "1"
    assert hall_module.replica_environment({"DEMO_TORCH_THREADS": "2"})["DEMO_TORCH_THREADS"] == "2"
    monkeypatch.setenv("DEMO_TORCH_THREADS", "3")  # the operator's own setting is kept
    assert "DEMO_TORCH_THREADS" not in hall_module.replica_environment()


def lines_of(process: subprocess.Popen) -> Queue:
    """The process's output lines, read by a thread so that waiting for one can time out."""
    lines: Queue = Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def wait_for_line(lines: Queue, pattern: str, timeout: float = 120) -> re.Match:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except Empty:
            break
        seen.append(line)
        if match := re.search(pattern, line):
            return match
    pytest.fail(f"no line matching {pattern!r} in:\n{''.join(seen)}")


def healthy(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def test_the_cli_serves_restarts_a_dead_replica_and_stops_on_sigterm():
    port, stats_port = free_ports(2)
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.hall", "--replicas", "1", "--port", str(port),
         "--address", "127.0.0.1", "--stats-port", str(stats_port),
         "--script", "bench/trivial_app.py"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = lines_of(process)
    try:
        served = wait_for_line(lines, r"served on http://127\.0\.0\.1:(\d+) .*\(pids (\d+)\)")
        assert int(served.group(1)) == port
        pid = int(served.group(2))
        assert healthy(f"http://127.0.0.1:{port}")

        os.kill(pid, signal.SIGKILL)  # the replica crashes; the launcher starts it again
        restarted = wait_for_line(lines, r"Replica r0 exited \(-9\); starting it again \(pid (\d+)\)")
        assert healthy(f"http://127.0.0.1:{port}")

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        wait_for_line(lines, r"^Stopped\.")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not os.path.exists(f"/proc/{restarted.group(1)}")  # the replica is gone too
    with pytest.raises(OSError):  # and nothing serves on the port any more
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
