"""Classroom mode: a presenter view for the projector, and a QR code that brings a room of
phones to the page (and the state) the projector shows.

The presenter view (the sidebar switch, or ?present=1 in the URL) hides the sidebar and the
page's header, sets projector-sized type, and puts a bar on top with the way out and the
"join" code. The code holds the current page's own URL, state included (every page keeps its
state in its query parameters), on an address the phones can reach: DEMO_PUBLIC_URL when set
(a deployment behind a proxy or with a host name), otherwise the address the lecturer's
browser used, unless that is this machine's loopback, in which case this machine's network
address on the same port.

"Share with the room" (in the presenter view) publishes the lecturer's page and state to the
room (ui/room.py) after every run; a visitor's home page offers to open it, and the sidebar's
follow switch keeps a visitor on it as it changes. Only the lecturer may share: a session that
typed DEMO_LECTURER_KEY (`make run` and `make serve` draw one and print it; never in a URL).
Without a key nobody shares: a visitor's address cannot tell the lecturer apart (behind
HAProxy everyone comes from 127.0.0.1).
"""

from __future__ import annotations

import io
import ipaddress
import os
import secrets
import socket
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from ui.gallery import DEMO_BY_KEY, HOME_PAGE
from ui.i18n import t
from ui.room import SharedPage, the_room

PRESENT = "present"          # the switch's session-state key and the URL parameter
PRIVATE_PARAMETERS = {PRESENT}  # never put into the link the room opens
SHARE, FOLLOW, LECTURER = "classroom.share", "classroom.follow", "classroom.lecturer"
SEEN = "classroom.seen"      # the shared_at of the last shared page this visitor followed
FOLLOW_SECONDS = 2           # how often a follower looks at the room
BAR = "classroom-bar"         # the presenter bar's container key (its CSS class: st-key-...)
# Projector type, and every pixel of a 1080-px-high screen for the demo: no sidebar or
# header, and the bar floats in the top right corner, beside the page's title.
PRESENTER_CSS = """
<style>
  html { font-size: 20px; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"] { display: none; }
  [data-testid="stMainBlockContainer"] { padding: 0.5rem 2rem 0.5rem 2rem; max-width: 100%; }
  [data-testid="stVerticalBlock"] { gap: 0.5rem; }
  h1 { padding: 0; font-size: 2.2rem; }
  .st-key-classroom-bar { position: fixed; top: 0.4rem; right: 2rem; z-index: 1000;
                          width: auto; background: white; }
  .st-key-classroom-bar:empty { display: none; }
  [data-testid="stImage"] img { max-height: 48vh; object-fit: contain; }
</style>
"""


def presenting() -> bool:
    """Whether this visitor is in the presenter view (first from ?present=1)."""
    if PRESENT not in st.session_state:
        st.session_state[PRESENT] = st.query_params.get(PRESENT) == "1"
    return st.session_state[PRESENT]


def presenter_switch() -> None:
    """The sidebar switch into the presenter view."""
    presenting()
    st.sidebar.toggle(t("classroom.present"), key=PRESENT, help=t("classroom.present_help"))


def _leave() -> None:
    st.session_state[PRESENT] = False


def presenter_bar(page_path: str) -> None:
    """In the presenter view: its styles, and a bar with the way out, the join code and
    sharing with the room, for the page at `page_path` ("" for the home page). Call it after
    the page has run, into a container placed above the page, so that the code and the
    shared state hold the state the page left in the URL."""
    if not presenting():
        st.query_params.pop(PRESENT, None)
        return
    st.query_params[PRESENT] = "1"  # a reload stays in the presenter view
    st.html(PRESENTER_CSS)
    with st.container(key=BAR, horizontal=True, vertical_alignment="center", width="content"):
        st.button(t("classroom.leave"), icon="✖️", on_click=_leave, key="classroom.leave")
        if st.button(t("classroom.join"), icon="📱", key="classroom.join"):
            join_dialog(page_path)
        share_switch()
    if st.session_state.get(SHARE) and may_share():
        if not the_room().share(page_path, shared_query()):
            st.warning(t("classroom.share_failed"), icon="📡")


def share_switch() -> None:
    """The lecturer's "share with the room", or the key field that unlocks it."""
    required = os.environ.get("DEMO_LECTURER_KEY", "")
    if may_share():
        st.toggle(t("classroom.share"), key=SHARE, help=t("classroom.share_help"))
    elif required:
        st.text_input(t("classroom.key"), type="password", key="classroom.key_input",
                      on_change=_check_key, args=(required,), help=t("classroom.key_help"),
                      placeholder=t("classroom.key"), label_visibility="collapsed",
                      width=220)
    else:
        st.toggle(t("classroom.share"), disabled=True, key="classroom.share_locked",
                  help=t("classroom.share_needs_key"))


def _check_key(required: str) -> None:
    typed = st.session_state.pop("classroom.key_input", "")
    st.session_state[LECTURER] = secrets.compare_digest(typed.encode(), required.encode())


def may_share() -> bool:
    """Whether this session is the lecturer's: it typed the lecturer key."""
    return bool(st.session_state.get(LECTURER)) and bool(os.environ.get("DEMO_LECTURER_KEY"))


def shared_query() -> dict[str, str]:
    return {key: value for key, value in st.query_params.to_dict().items()
            if key not in PRIVATE_PARAMETERS}


def follow_switch(page_path: str) -> None:
    """The sidebar switch that keeps this visitor on the lecturer's page and state."""
    st.sidebar.toggle(t("classroom.follow"), key=FOLLOW, help=t("classroom.follow_help"))
    if st.session_state[FOLLOW]:
        with st.sidebar:
            _follow(page_path)


@st.fragment(run_every=FOLLOW_SECONDS)
def _follow(page_path: str) -> None:
    shared = the_room().current()
    if shared is None:
        st.caption(t("classroom.nothing_shared"))
        return
    st.caption(t("classroom.following", page=_title(shared.path)))
    if shared.shared_at == st.session_state.get(SEEN):
        return
    st.session_state[SEEN] = shared.shared_at
    if (shared.path, shared.query) != (page_path, shared_query()):
        open_shared(shared)


def lecturer_offer() -> None:
    """On the home page: what the lecturer shares, one click away."""
    shared = the_room().current()
    if shared is None or presenting():
        return
    if st.button(t("classroom.lecturer_is_on", page=_title(shared.path)), icon="👩‍🏫",
                 key="classroom.open_shared", type="primary"):
        open_shared(shared)


def open_shared(shared: SharedPage) -> None:
    """Go to the shared page with its state. The page's own session state is dropped first,
    so that it reads its state from the URL again, as a page opened from a link does."""
    if shared.path and shared.path not in DEMO_BY_KEY:
        return  # a page this version of the gallery does not have
    for key in [key for key in st.session_state if key.startswith(f"{shared.path}.")]:
        del st.session_state[key]
    target = DEMO_BY_KEY[shared.path].page if shared.path else HOME_PAGE
    st.session_state[SEEN] = shared.shared_at
    st.switch_page(target, query_params=shared.query)


def _title(path: str) -> str:
    return DEMO_BY_KEY[path].title if path in DEMO_BY_KEY else t("app.home")


@st.dialog(" ", width="large")
def join_dialog(page_path: str) -> None:
    join_code(page_path, size=560)


def join_code(page_path: str, size: int = 420) -> None:
    """A big QR code of this page's link (its state included) and the address in text, or a
    hint when no address the phones could reach is known."""
    base, problem = public_base_url(os.environ.get("DEMO_PUBLIC_URL", ""),
                                    st.context.headers.get("Host", ""), network_address())
    if problem:
        st.warning(t(f"classroom.{problem}"), icon="📡")
    if base is None:
        return
    link = page_link(base, page_path, st.query_params.to_dict())
    code_column, text_column = st.columns(2, vertical_alignment="center")
    code_column.image(qr_png(link), width=size)
    text_column.markdown(t("classroom.scan"))
    text_column.code(link, language=None, wrap_lines=True)


def page_link(base: str, page_path: str, query: dict[str, str]) -> str:
    """The link a phone opens: the page at `page_path` with its state, without the
    presenter's own parameters."""
    shared = {key: value for key, value in query.items() if key not in PRIVATE_PARAMETERS}
    link = f"{base}/{page_path}".rstrip("/") if page_path else base
    return f"{link}?{urlencode(shared)}" if shared else link


def qr_png(text: str) -> bytes:
    """`text` as a QR code PNG, dark on white with the standard quiet zone."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def public_base_url(setting: str, host: str, network: str | None) -> tuple[str | None, str | None]:
    """(the base URL phones can open, or None; a classroom.* text key for a problem, or None).

    `setting` is DEMO_PUBLIC_URL ("" when unset), `host` the Host header the lecturer's
    browser sent ("name:port"), `network` this machine's network address."""
    setting = setting.strip()
    problem = None
    if setting:
        parts = urlsplit(setting)
        if parts.scheme in ("http", "https") and parts.hostname:
            return setting.rstrip("/"), None
        problem = "bad_setting"  # said, and the automatic address used instead
    try:
        parts = urlsplit(f"//{host}")
        name, port = parts.hostname, parts.port
    except ValueError:
        name, port = None, None
    if name and not _is_loopback(name):
        return f"http://{host}", problem
    if network and not _is_loopback(network):
        return f"http://{network}{f':{port}' if port else ''}", problem
    return None, problem or "no_network"


def _is_loopback(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name: phones resolve it as the lecturer's browser did


def network_address() -> str | None:
    """This machine's address on the network its default route leads to, or None offline.
    Connecting a UDP socket only picks the route: nothing is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: any routable address will do
            return probe.getsockname()[0]
        except OSError:
            return None
