"""The heavy-work line's core (ui/heavy_work.py HeavyWork) with real pool threads: one worker
and a line of one, as a server started with DEMO_HEAVY_WORKERS=1 DEMO_HEAVY_LINE=1.

The jobs are generators that wait on events the test sets, so every test decides exactly when
a job moves on: nothing depends on how fast this machine is. Waits are bounded (TIMEOUT) so a
broken line fails the test instead of hanging it.
"""

from __future__ import annotations

import os
import sys
import threading

import pytest

from ui.heavy_work import AlreadyInLine, HeavyWork, LineFull, _count_from_env

TIMEOUT = 30  # seconds; a bound for waits that should end at once


class Job:
    """A job of `steps` steps; each step waits until the test allows it (`allow`)."""

    def __init__(self, steps: int = 3):
        self.steps = steps
        self.allowed = threading.Semaphore(0)
        self.started = threading.Event()
        self.taken: list[int] = []      # the steps the job actually made
        self.closed = threading.Event()  # its finally ran

    def allow(self, steps: int = 1) -> None:
        for _ in range(steps):
            self.allowed.release()

    def __call__(self):
        self.started.set()
        try:
            for step in range(1, self.steps + 1):
                assert self.allowed.acquire(timeout=TIMEOUT), "the test never allowed a step"
                self.taken.append(step)
                yield step
        finally:
            self.closed.set()


@pytest.fixture
def line():
    line = HeavyWork(workers=1, line_length=1)
    yield line
    line.shutdown()


def finish(job: Job, ticket) -> None:
    job.allow(job.steps)
    assert ticket.done.wait(TIMEOUT)


def test_a_second_job_waits_at_place_1_and_runs_after_the_first(line):
    first, second = Job(), Job()
    a = line.submit("A", "train", first, typical_seconds=100)
    assert first.started.wait(TIMEOUT)
    b = line.submit("B", "train", second, typical_seconds=100)
    assert (line.place(a), line.place(b)) == (0, 1)
    assert not second.started.is_set()
    # One kind, nothing finished yet: the guess for the job ahead, shared by one worker.
    assert 0 < line.estimated_wait(b) <= 100
    finish(first, a)
    assert a.result == 3 and a.error is None
    assert second.started.wait(TIMEOUT)
    assert line.place(b) == 0
    finish(second, b)
    assert [b.updates.get(timeout=TIMEOUT) for _ in range(3)] == [1, 2, 3]


def test_a_third_job_finds_the_line_full(line):
    first = Job()
    a = line.submit("A", "train", first, typical_seconds=100)
    b = line.submit("B", "train", Job(), typical_seconds=100)
    with pytest.raises(LineFull):
        line.submit("C", "train", Job(), typical_seconds=100)
    assert not line.has_job("C")
    line.leave(b, "B")
    finish(first, a)


def test_leaving_the_line_frees_the_place_and_the_job_never_runs(line):
    first, second, third = Job(), Job(), Job()
    a = line.submit("A", "train", first, typical_seconds=100)
    b = line.submit("B", "train", second, typical_seconds=100)
    line.leave(b, "B")
    assert not line.has_job("B") and line.place(b) == 0
    c = line.submit("C", "train", third, typical_seconds=100)  # B's place is free again
    assert line.place(c) == 1
    finish(first, a)
    assert third.started.wait(TIMEOUT)
    finish(third, c)
    assert not second.started.is_set()


def test_one_job_per_visitor(line):
    first = Job()
    a = line.submit("A", "train", first, typical_seconds=100)
    with pytest.raises(AlreadyInLine):
        line.submit("A", "painting", Job(), typical_seconds=5)
    finish(first, a)
    assert not line.has_job("A")
    finish(job := Job(), line.submit("A", "painting", job, typical_seconds=5))


def test_a_left_running_job_stops_between_steps_and_counts_until_then(line):
    job = Job(steps=10)
    a = line.submit("A", "train", job, typical_seconds=100)
    job.allow(2)
    assert [a.updates.get(timeout=TIMEOUT) for _ in range(2)] == [1, 2]
    line.leave(a, "A")
    # The step under way finishes; no step starts after it.
    assert line.has_job("A"), "a visitor's left job still holds its worker"
    job.allow(5)
    assert a.done.wait(TIMEOUT) and job.closed.wait(TIMEOUT)
    assert len(job.taken) <= 3
    assert not line.has_job("A")


def test_a_failing_job_frees_the_line_and_keeps_its_error(line):
    def broken():
        yield 1
        raise ValueError("out of cheese")

    a = line.submit("A", "train", broken, typical_seconds=100)
    assert a.done.wait(TIMEOUT)
    assert isinstance(a.error, ValueError) and a.result == 1
    assert not line.has_job("A")
    finish(job := Job(), line.submit("B", "train", job, typical_seconds=100))


def test_identical_requests_share_one_job_and_take_no_place(line):
    first, painting = Job(), Job(steps=1)
    a = line.submit("A", "train", first, typical_seconds=100)
    b = line.submit("B", "painting", painting, typical_seconds=5, key="cat at 1024")
    c = line.submit("C", "painting", Job(steps=1), typical_seconds=5, key="cat at 1024")
    assert c is b and line.place(c) == 1
    line.leave(b, "B")  # C still wants it, so it stays in line
    assert line.place(c) == 1 and not line.has_job("B")
    finish(first, a)
    finish(painting, c)
    assert c.result == 1 and not line.has_job("C")


def test_the_estimate_learns_from_finished_jobs(line):
    first, second = Job(steps=1), Job(steps=1)
    finish(first, line.submit("A", "pgd", first, typical_seconds=1000))
    blocker = Job()
    a = line.submit("A", "pgd", blocker, typical_seconds=1000)
    b = line.submit("B", "pgd", second, typical_seconds=1000)
    # The finished job took well under the 1000 s guess, and the estimate follows it.
    assert line.estimated_wait(b) < 100
    finish(blocker, a)
    finish(second, b)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_heavy_work_runs_at_a_lower_cpu_priority(line):
    def priority():
        yield os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    ticket = line.submit("A", "train", priority, typical_seconds=1)
    assert ticket.done.wait(TIMEOUT)
    assert ticket.result == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)


def test_counts_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_HEAVY_LINE", "3")
    assert _count_from_env("DEMO_HEAVY_LINE", 8, 0) == 3
    for nonsense in ("", "many", "-1"):
        monkeypatch.setenv("DEMO_HEAVY_LINE", nonsense)
        assert _count_from_env("DEMO_HEAVY_LINE", 8, 0) == 8
