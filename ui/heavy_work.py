"""Heavy work (patch training, PGD attacks, big paintings) in a bounded line, shared by every
visitor of one server process.

Why: one Streamlit process serves every visitor from threads of one process. Unbounded, a
few visitors training patches at once would share the cores with everybody's light
interactions and slow them all down, and a crowd painting big pictures would wait with no
feedback. So:
- at most `workers` heavy jobs run at once (env DEMO_HEAVY_WORKERS, default half the cores),
  in a ThreadPoolExecutor whose threads run at a lower CPU priority, so that the light
  interactions of other visitors (in Streamlit's script threads) win the CPU;
- at most `line_length` more wait (env DEMO_HEAVY_LINE, default 8); past that a visitor is
  told the server is busy, instead of everyone waiting longer;
- each visitor has at most one heavy job; while it waits they see their place in line and an
  estimated wait, and can leave the line;
- identical requests (same `key`, e.g. the same sample painting at 1024 px asked for by a
  lecture hall) share one job.

Two layers: `HeavyWork` is the pool and the line's bookkeeping, with no Streamlit in it (its
unit tests drive it with plain threads); `run_heavy` and `stream_heavy` are the thin
Streamlit layer the pages call from their script threads.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any, TypeVar

import streamlit as st
from streamlit import runtime

from ui.common import visitor_id
from ui.i18n import t

T = TypeVar("T")
NICENESS = 10            # how much nicer (lower CPU priority) the heavy-work threads are
RECENT_JOBS = 5          # the estimated wait uses the mean duration of this many recent jobs
REFRESH_SECONDS = 0.5    # how often a waiting visitor's place and estimate are redrawn
GONE_AFTER_SECONDS = 10  # a session disconnected this long leaves the line (see _Turn.here)
DEFAULT_LINE_LENGTH = 8

log = logging.getLogger(__name__)


class LineFull(Exception):
    """Every worker is busy and the line is at its length: try again later."""


class AlreadyInLine(Exception):
    """This visitor already has a heavy job running or waiting."""


class NotCached(Exception):
    """Raised by an st.cache_data function on a miss whose result is heavy work: Streamlit
    stores nothing for a call that raises, so the page can compute the result in the line and
    call again with it (see app_pages/style_transfer.py paint_sample)."""


@dataclass(eq=False)  # compared by identity: tickets are found in lists with `in`
class Ticket:
    """One heavy job and who waits for it. Written by HeavyWork under its lock; the fields
    after `done` are final once `done` is set."""
    kind: str
    typical_seconds: float        # the guess for its duration until jobs of its kind finished
    key: Hashable | None          # identical requests share a ticket
    visitors: set[str]            # session ids waiting for its result
    stop: threading.Event = field(default_factory=threading.Event)
    updates: queue.Queue = field(default_factory=queue.Queue)  # every item the job yields
    started: float | None = None  # time.monotonic() when a worker took it up
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None            # the job's last item
    error: Exception | None = None
    future: Any = None            # the pool's Future, to cancel a job that has not started


class HeavyWork:
    """At most `workers` jobs run at once and at most `line_length` wait, first come first
    served. A job is a function returning an iterator (usually a generator); the worker asks
    it for one item at a time and stops asking once the ticket's `stop` is set, so a long job
    should yield between its steps."""

    def __init__(self, workers: int, line_length: int):
        self.workers, self.line_length = workers, line_length
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="heavy-work",
                                        initializer=_lower_own_priority)
        self._lock = threading.Lock()
        # A ticket is in exactly one of these until it is finished. `_running` holds a worker
        # (or is about to: the pool runs jobs in the order submitted, as the line does).
        self._running: list[Ticket] = []
        self._line: deque[Ticket] = deque()
        self._by_visitor: dict[str, Ticket] = {}
        self._durations: dict[str, deque[float]] = {}

    def submit(self, visitor: str, kind: str, job: Callable[[], Iterator[Any]], *,
               typical_seconds: float, key: Hashable | None = None) -> Ticket:
        """Start `job` for `visitor` or put it in line. Raises AlreadyInLine or LineFull."""
        with self._lock:
            if visitor in self._by_visitor:
                raise AlreadyInLine(visitor)
            same = next((ticket for ticket in (*self._running, *self._line)
                         if key is not None and ticket.key == key and not ticket.stop.is_set()),
                        None)
            if same is not None:  # joining a job takes no place of its own
                same.visitors.add(visitor)
                self._by_visitor[visitor] = same
                return same
            if len(self._running) >= self.workers and len(self._line) >= self.line_length:
                raise LineFull
            ticket = Ticket(kind, typical_seconds, key, {visitor})
            (self._running if len(self._running) < self.workers else self._line).append(ticket)
            self._by_visitor[visitor] = ticket
            ticket.future = self._pool.submit(self._work, ticket, job)
            return ticket

    def leave(self, ticket: Ticket, visitor: str) -> None:
        """`visitor` no longer wants `ticket`'s result. The last one to leave stops the job: at
        once if it has not started, else at its next step (a single long call just finishes,
        and its result is dropped). Until then the visitor still counts as having a job, so
        that one visitor cannot fill the workers with jobs they left."""
        with self._lock:
            if self._by_visitor.get(visitor) is not ticket:
                return  # already finished
            if len(ticket.visitors) > 1:
                ticket.visitors.discard(visitor)
                del self._by_visitor[visitor]
                return
            ticket.stop.set()
            if ticket.future.cancel():  # it never started, so no worker will finish it
                self._finish(ticket)

    def has_job(self, visitor: str) -> bool:
        with self._lock:
            return visitor in self._by_visitor

    def place(self, ticket: Ticket) -> int:
        """1 for the first in line, 2 for the next, ...; 0 once it runs (or is finished)."""
        with self._lock:
            return self._line.index(ticket) + 1 if ticket in self._line else 0

    def estimated_wait(self, ticket: Ticket) -> float:
        """Seconds until `ticket` should start: what the running jobs have left plus the jobs
        ahead of it in line, shared among the workers. Each job is taken to last the mean of
        its kind's recent durations (the kind's guess before one has finished). With one kind
        and fresh jobs that is the mean x place / workers."""
        with self._lock:
            if ticket not in self._line:
                return 0.0
            now = time.monotonic()
            left = sum(max(0.0, self._typical(running) - (now - (running.started or now)))
                       for running in self._running)
            ahead = list(self._line)[:self._line.index(ticket)]
            return (left + sum(self._typical(waiting) for waiting in ahead)) / self.workers

    def shutdown(self) -> None:
        """Stop every job at its next step and wait for the workers (for tests)."""
        with self._lock:
            for ticket in (*self._running, *self._line):
                ticket.stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _typical(self, ticket: Ticket) -> float:
        durations = self._durations.get(ticket.kind)
        return fmean(durations) if durations else ticket.typical_seconds

    def _work(self, ticket: Ticket, job: Callable[[], Iterator[Any]]) -> None:
        """Runs in a pool thread: the job, one item at a time, until it ends or is stopped."""
        with self._lock:
            ticket.started = time.monotonic()
        completed = False
        try:
            with closing(job()) as items:  # closing runs the generator's own finally blocks
                while not ticket.stop.is_set():
                    try:
                        ticket.result = next(items)
                    except StopIteration:
                        completed = True
                        break
                    ticket.updates.put(ticket.result)
        except Exception as error:  # the page says something went wrong; the log has the details
            log.exception("heavy job %r failed", ticket.kind)
            ticket.error = error
        finally:
            with self._lock:
                if completed:  # stopped jobs would make the estimates too short
                    self._durations.setdefault(ticket.kind, deque(maxlen=RECENT_JOBS)).append(
                        time.monotonic() - ticket.started)
                self._finish(ticket)
            ticket.done.set()

    def _finish(self, ticket: Ticket) -> None:
        """Forget a finished (or never started) ticket and let the next in line take its
        worker. Called with the lock held."""
        if ticket in self._running:
            self._running.remove(ticket)
        elif ticket in self._line:
            self._line.remove(ticket)
        for visitor in ticket.visitors:
            if self._by_visitor.get(visitor) is ticket:
                del self._by_visitor[visitor]
        while self._line and len(self._running) < self.workers:
            self._running.append(self._line.popleft())


def _lower_own_priority() -> None:
    """Pool initializer, run once in each worker thread. On Linux a thread id given to
    setpriority renices just that thread, and the threads torch's OpenMP starts from it
    inherit its priority. (Elsewhere the same call would renice a whole process with that
    number, so it is left out.)"""
    if not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread,
                       min(19, os.getpriority(os.PRIO_PROCESS, thread) + NICENESS))
    except OSError as error:  # e.g. a sandbox that forbids it: heavy work still runs
        log.warning("heavy-work thread keeps its CPU priority: %s", error)


def _count_from_env(name: str, default: int, smallest: int) -> int:
    """A whole number from the environment; a missing or nonsensical one gives the default
    (a typo in a deployment must not show visitors a traceback)."""
    value = os.environ.get(name, "").strip()
    try:
        count = int(value) if value else default
    except ValueError:
        count = smallest - 1
    if count < smallest:
        log.warning("%s=%r is not a whole number >= %d: using %d", name, value, smallest, default)
        return default
    return count


@functools.cache
def shared_line() -> HeavyWork:
    """The one line of this server process, made on first use."""
    workers = _count_from_env("DEMO_HEAVY_WORKERS", max(1, (os.cpu_count() or 1) // 2), 1)
    return HeavyWork(workers, _count_from_env("DEMO_HEAVY_LINE", DEFAULT_LINE_LENGTH, 0))


# --- the Streamlit layer: what a page's script thread calls --------------------------------

def run_heavy(kind: str, compute: Callable[[], T], *, typical_seconds: float,
              key: Hashable | None = None) -> T | None:
    """`compute()` as heavy work: its result, or None when there is none to show (the line
    was full, the visitor left, or it failed; the visitor has been told which). Shows the
    visitor's place in line while waiting, then that it runs. Visitors asking with the same
    `key` (not None) at the same time share one computation.

    A rerun (any widget, Leave the line, a closed tab) ends the wait at once; a computation
    already running finishes and its result is dropped."""
    with _turn(kind, functools.partial(_once, compute), typical_seconds, key) as turn:
        if turn is None:
            return None
        while not turn.ticket.done.wait(REFRESH_SECONDS):
            if not turn.show_status():
                return None
        turn.slot.empty()
        if turn.ticket.error is not None:
            st.error(t("common.error"), icon="⚠️")
            return None
        return turn.ticket.result


@contextmanager
def stream_heavy(kind: str, steps: Callable[[], Iterator[T]], *,
                 typical_seconds: float) -> Iterator[Iterator[T]]:
    """`steps()` (e.g. a generator function) as heavy work, whose items the page shows as
    they come:

        with stream_heavy("patch_training", train, typical_seconds=100) as updates:
            for update in updates:   # in the script thread: draw `update`
                ...

    The items are made in a pool thread and handed over through a queue. While the job waits,
    its place in line is shown where the `with` stands. `updates` ends when the job does; it
    is empty when the line was full (the visitor has been told) or the visitor left. Leaving
    the `with` in any way, e.g. a rerun from the page's Stop button, stops the job before its
    next step."""
    with _turn(kind, steps, typical_seconds, key=None) as turn:
        yield iter(()) if turn is None else turn.updates()


def _once(compute: Callable[[], T]) -> Iterator[T]:
    yield compute()


@contextmanager
def _turn(kind: str, job: Callable[[], Iterator[Any]], typical_seconds: float,
          key: Hashable | None) -> Iterator[_Turn | None]:
    """The visitor's place in line for `job` (None when the line is full), given up when the
    `with` is left, whichever way: Streamlit stops or reruns a script by raising an exception
    (StopException, RerunException: BaseExceptions) at the script's next Streamlit call."""
    line, visitor, slot = shared_line(), visitor_id(), st.empty()
    while True:
        try:
            ticket = line.submit(visitor, kind, job, typical_seconds=typical_seconds, key=key)
            break
        except AlreadyInLine:
            # Only a job this visitor left can still be there (a rerun leaves the line before
            # the next run starts): one step of a training or one painting, so wait for it.
            slot.info(t("heavy_work.previous"), icon="⏳")
            time.sleep(REFRESH_SECONDS)
        except LineFull:
            slot.warning(t("heavy_work.busy"), icon="🚦")
            yield None
            return
    try:
        yield _Turn(line, ticket, visitor, slot)
    finally:
        line.leave(ticket, visitor)  # no Streamlit call before it: that could raise again


class _Turn:
    """Draws one visitor's ticket into `slot`: place and estimated wait with a Leave button
    while it waits, then that it runs, until its first item (the page then shows its own
    progress)."""

    def __init__(self, line: HeavyWork, ticket: Ticket, visitor: str, slot):
        self.line, self.ticket, self.visitor, self.slot = line, ticket, visitor, slot
        self.waiting_message = None  # the part of `slot` that changes while in line
        self.away_since: float | None = None
        self.show_status()

    def show_status(self) -> bool:
        """Redraw the status; False once the visitor's session is gone."""
        place = self.line.place(self.ticket)
        if place == 0:
            started = self.ticket.started or time.monotonic()
            self.slot.info(t("heavy_work.running", seconds=time.monotonic() - started),
                           icon="⏳")
        else:
            if self.waiting_message is None:  # the button once: a second one would clash
                with self.slot.container():
                    self.waiting_message = st.empty()
                    st.button(t("heavy_work.leave"), key=f"heavy_work.leave.{self.ticket.kind}",
                              icon="🚪")  # its click reruns the script, which leaves the line
            self.waiting_message.info(t(
                "heavy_work.waiting", place=place,
                wait=_wait_text(self.line.estimated_wait(self.ticket))), icon="🚶")
        return self.here()

    def updates(self) -> Iterator[Any]:
        """The job's items as they come, redrawing the status while none comes."""
        first = True
        while self.here():
            try:
                item = self.ticket.updates.get(timeout=REFRESH_SECONDS)
            except queue.Empty:
                if self.ticket.done.is_set() and self.ticket.updates.empty():
                    break
                if first:  # after that the page shows the job's progress itself
                    self.show_status()
                continue
            if first:
                self.slot.empty()
                first = False
            yield item
        if self.ticket.error is not None:
            self.slot.error(t("common.error"), icon="⚠️")

    def here(self) -> bool:
        """Whether the visitor is still connected. Streamlit stops the script of a session
        that disconnects, which leaves the line; this is the backstop should a stop never
        arrive. A short absence (a phone's network blip, which reconnects to the same
        session) is forgiven. AppTest's stand-in runtime answers yes."""
        if not runtime.exists() or runtime.get_instance().is_active_session(self.visitor):
            self.away_since = None
            return True
        self.away_since = self.away_since or time.monotonic()
        return time.monotonic() - self.away_since < GONE_AFTER_SECONDS


def _wait_text(seconds: float) -> str:
    if seconds < 60:  # in steps of 5 s: a countdown to the second would promise too much
        return t("heavy_work.seconds", seconds=max(5, 5 * math.ceil(seconds / 5)))
    return t("heavy_work.minutes", minutes=math.ceil(seconds / 60))
