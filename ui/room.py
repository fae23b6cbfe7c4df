"""The room: the page (and its state) the lecturer shares, seen by every server process.

One server process (`make run`) keeps it in memory. A lecture hall's replicas (`make serve`)
share it through Redis, which deploy/hall.py starts on localhost and names in DEMO_ROOM_STORE
(e.g. redis://127.0.0.1:6380/0); a deployment over several machines points every replica at
one Redis. An unreachable store means "nothing shared" for followers and a failed share for
the lecturer: the pages keep working either way.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass

import redis

log = logging.getLogger(__name__)
KEY = "gallery:room"
TIMEOUT_SECONDS = 0.5  # a follower's poll or a share must never hang a page


@dataclass(frozen=True)
class SharedPage:
    path: str                # the page's URL path, "" for the home page
    query: dict[str, str]    # its state (query parameters)
    shared_at: int           # time.time_ns() of the share: followers move when it changes


class MemoryRoom:
    """The room of a single server process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._page: SharedPage | None = None

    def share(self, path: str, query: dict[str, str]) -> bool:
        with self._lock:
            self._page = SharedPage(path, dict(query), time.time_ns())
        return True

    def current(self) -> SharedPage | None:
        with self._lock:
            return self._page


class RedisRoom:
    """The room in Redis, one JSON value under KEY."""

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS,
                                            socket_connect_timeout=TIMEOUT_SECONDS)

    def share(self, path: str, query: dict[str, str]) -> bool:
        page = SharedPage(path, dict(query), time.time_ns())
        try:
            self._client.set(KEY, json.dumps(asdict(page)))
            return True
        except redis.RedisError as error:
            log.warning("could not share the page with the room: %s", error)
            return False

    def current(self) -> SharedPage | None:
        try:
            stored = self._client.get(KEY)
        except redis.RedisError as error:
            log.warning("could not read the room: %s", error)
            return None
        return None if stored is None else SharedPage(**json.loads(stored))


@functools.cache
def the_room() -> MemoryRoom | RedisRoom:
    """This process's view of the room: Redis when DEMO_ROOM_STORE names one."""
    url = os.environ.get("DEMO_ROOM_STORE", "").strip()
    return RedisRoom(url) if url else MemoryRoom()
