"""A visitor without a browser: Streamlit's own websocket protocol, spoken from asyncio.

One `Visitor` is what one phone does to the server: it loads the page (so a load balancer can
set its stickiness cookie), opens the websocket `/_stcore/stream`, asks for a page's script run
with a `BackMsg.rerun_script`, reads the `ForwardMsg`s until `script_finished`, and fetches every
`/media/...` file the page refers to, as the browser does. Widget changes are sent the way the
browser sends them (checked frame by frame against Chromium's websocket traffic): the whole set
of widget states it has, one of them changed, plus the fragment the widget lives in, so that a
widget inside an `st.fragment` reruns only that fragment.

Widgets are addressed by their key: Streamlit's widget ids end in "-<key>", and the ids are
read from the elements the server sends.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import websockets
from google.protobuf.message import Message
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class VisitorError(Exception):
    """The server did not answer as a browser would expect (closed, an exception, a timeout)."""


async def http_get(url: str, cookies: dict[str, str] | None = None,
                   timeout: float = 30) -> tuple[int, dict[str, list[str]], bytes]:
    """A plain HTTP/1.1 GET (status, headers, body) with `Connection: close`: enough for the
    index page, health checks and media, without another client library."""
    parts = urlsplit(url)
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(parts.hostname, parts.port or 80), timeout)
    try:
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        cookie_line = ("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n"
                       if cookies else "")
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{cookie_line}"
                     "Connection: close\r\n\r\n".encode())
        raw = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines or len(lines[0].split()) < 2:
        raise VisitorError(f"no HTTP answer from {url}")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(lines[0].split()[1]), headers, body


def _walk_strings(message: Message, found: dict[str, list[str]]) -> None:
    """Collect widget ids ("$$ID-...") and media URLs ("/media/...") anywhere in a message."""
    for descriptor, value in message.ListFields():
        values = value if descriptor.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                _walk_strings(item, found)
            elif isinstance(item, str):
                if item.startswith("$$ID-"):
                    found["ids"].append(item)
                elif item.startswith("/media/"):
                    found["media"].append(item)


@dataclass
class RunResult:
    """One script run as the visitor saw it."""
    seconds: float                   # request sent -> script finished and its media fetched
    messages: int
    media_bytes: int
    texts: list[str] = field(default_factory=list)  # markdown/alert bodies, for assertions


class Visitor:
    """One protocol-level visitor of a Streamlit app at `base_url` (e.g. http://127.0.0.1:8501)."""

    def __init__(self, base_url: str, timeout: float = 60):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.widget_ids: dict[str, str] = {}          # key -> widget id
        self.fragments: dict[str, str] = {}           # widget id -> fragment id
        self.states: dict[str, WidgetState] = {}      # widget id -> last state sent
        self.media_seen: set[str] = set()             # the browser's cache of immutable media
        self.auto_reruns: dict[str, float] = {}       # fragment id -> seconds (run_every)
        self.texts: list[str] = []                    # the current run's texts, as they arrive
        self.page_name = ""
        self.page_script_hash = ""
        self.query_string = ""
        self._socket = None

    async def connect(self) -> None:
        """Load the index page (cookies, as a browser does), then open the websocket."""
        status, headers, _ = await http_get(self.base_url + "/", timeout=self.timeout)
        if status != 200:
            raise VisitorError(f"index page answered {status}")
        for line in headers.get("set-cookie", []):
            cookie = SimpleCookie()
            cookie.load(line)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        ws_url = "ws" + self.base_url[len("http"):] + "/_stcore/stream"
        cookie_header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self._socket = await asyncio.wait_for(websockets.connect(
            ws_url, subprotocols=["streamlit"], max_size=None, compression=None,
            origin=self.base_url,
            additional_headers={"Cookie": cookie_header} if cookie_header else None),
            self.timeout)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    async def open_page(self, page_name: str, query_string: str = "") -> RunResult:
        """Run a page from scratch, as a browser does when it opens /<page_name>."""
        self.page_name, self.query_string = page_name, query_string
        self.page_script_hash = ""
        message = BackMsg()
        message.rerun_script.page_name = page_name
        message.rerun_script.query_string = query_string
        message.rerun_script.widget_states.SetInParent()
        return await self._run(message)

    async def send_page_request(self, page_name: str) -> None:
        """Ask for a page's run without waiting for it (the reload flood's visitors)."""
        message = BackMsg()
        message.rerun_script.page_name = page_name
        message.rerun_script.widget_states.SetInParent()
        await self._socket.send(message.SerializeToString())

    def widget_id(self, key: str) -> str:
        try:
            return self.widget_ids[key]
        except KeyError:
            raise VisitorError(f"no widget with key {key!r} on page {self.page_name}") from None

    async def set_widget(self, key: str, **value) -> RunResult:
        """Change one widget, e.g. set_widget("gan.end", string_array_value=["#4"]) or
        set_widget("gan.new", trigger_value=True); the keyword is a WidgetState field."""
        widget_id = self.widget_id(key)
        state = WidgetState(id=widget_id)
        for name, item in value.items():
            target = getattr(state, name)
            if isinstance(item, list):
                target.data.extend(item)
            else:
                setattr(state, name, item)
        message = BackMsg()
        client_state = message.rerun_script
        client_state.page_name = self.page_name
        client_state.page_script_hash = self.page_script_hash
        client_state.query_string = self.query_string
        if widget_id in self.fragments:
            client_state.fragment_id = self.fragments[widget_id]
        # Triggers (buttons) fire once: they are not kept in the states sent next time.
        sent = {**self.states, widget_id: state}
        client_state.widget_states.widgets.extend(sent.values())
        if not (state.HasField("trigger_value") or state.HasField("json_trigger_value")):
            self.states[widget_id] = state
        return await self._run(message)

    async def auto_rerun(self) -> RunResult:
        """Rerun the page's `st.fragment(run_every=...)` once, as the browser does on its
        timer (an animation's next frame). Raises VisitorError when none is running."""
        if not self.auto_reruns:
            raise VisitorError(f"no fragment reruns itself on page {self.page_name}")
        message = BackMsg()
        client_state = message.rerun_script
        client_state.page_name = self.page_name
        client_state.page_script_hash = self.page_script_hash
        client_state.query_string = self.query_string
        client_state.fragment_id = next(iter(self.auto_reruns))
        client_state.is_auto_rerun = True
        client_state.widget_states.widgets.extend(self.states.values())
        return await self._run(message)

    async def _run(self, message: BackMsg) -> RunResult:
        if not message.rerun_script.fragment_id:
            self.auto_reruns.clear()  # a whole run registers its timers again, as in a browser
        start = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        count, texts, media = 0, [], []
        self.texts = texts  # readable while the run goes on, e.g. a heavy job's place in line
        deadline = start + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise VisitorError(f"no script_finished within {self.timeout} s")
            try:
                raw = await asyncio.wait_for(self._socket.recv(), remaining)
            except websockets.ConnectionClosed as closed:
                raise VisitorError(f"websocket closed: {closed}") from None
            except asyncio.TimeoutError:
                continue
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            count += 1
            kind = forward.WhichOneof("type")
            if kind == "navigation":  # st.navigation names the page that actually ran
                self.page_script_hash = forward.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.auto_reruns[forward.auto_rerun.fragment_id] = forward.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for fragment_id in forward.stop_auto_rerun.fragment_ids:
                    self.auto_reruns.pop(fragment_id, None)
            elif kind == "delta":
                self._read_delta(forward, texts, media)
            elif kind == "script_finished":
                if forward.script_finished in FINISHED:
                    break
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise VisitorError("the page's script did not compile")
                # FINISHED_EARLY_FOR_RERUN: the server started another run; keep reading.
        media_bytes = 0
        for url in media:
            if url in self.media_seen:
                continue
            self.media_seen.add(url)
            status, _, body = await http_get(self.base_url + url, self.cookies, self.timeout)
            if status != 200:
                raise VisitorError(f"{url} answered {status}")
            media_bytes += len(body)
        return RunResult(time.perf_counter() - start, count, media_bytes, texts)

    def _read_delta(self, forward: ForwardMsg, texts: list[str], media: list[str]) -> None:
        delta = forward.delta
        if delta.WhichOneof("type") == "new_element":
            element = delta.new_element
            kind = element.WhichOneof("type")
            if kind == "exception":
                raise VisitorError(f"the page raised {element.exception.type}: "
                                   f"{element.exception.message}")
            if kind in ("markdown", "alert"):
                texts.append(getattr(element, kind).body)
            elif kind == "progress":
                texts.append(element.progress.text)
        found: dict[str, list[str]] = {"ids": [], "media": []}
        _walk_strings(delta, found)
        for widget_id in found["ids"]:
            key = widget_id.split("-", 2)[2] if widget_id.count("-") >= 2 else widget_id
            self.widget_ids[key] = widget_id
            if delta.fragment_id:
                self.fragments[widget_id] = delta.fragment_id
            else:
                self.fragments.pop(widget_id, None)
        media.extend(found["media"])


def canvas_value(png_data_url: str) -> str:
    """The JSON value streamlit-drawable-canvas sends for a drawing (as captured from
    Chromium): the picture as a PNG data URL, and fabric.js's description of the strokes,
    which the server keeps as `json_data` but does not compute with."""
    return json.dumps({"drawing": {"raw": {"version": "7.4.0", "objects": []},
                                   "data": png_data_url}})
