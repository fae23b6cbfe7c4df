"""Classroom mode's logic and its presenter view in AppTest: which address the join code
holds, the link it encodes, the switch in and out, the room in a real Redis, and who may share
(following across two replicas is in test_hall_browser.py)."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from deploy.hall import free_port, start_room_store, stop_processes
from tests.apptest import run_page
from ui import classroom
from ui.room import RedisRoom, the_room
from ui.gallery import DEMOS, HOME_PAGE


@pytest.mark.parametrize("setting, host, network, expected", [
    # a deployment's own address wins
    ("https://dl.example.org/gallery/", "127.0.0.1:8501", "10.0.0.5",
     ("https://dl.example.org/gallery", None)),
    # the address the lecturer's browser used, when it is not this machine's loopback
    ("", "192.168.1.20:8501", "10.0.0.5", ("http://192.168.1.20:8501", None)),
    ("", "lecture-pc.local:8502", None, ("http://lecture-pc.local:8502", None)),
    # on localhost: this machine's network address, same port
    ("", "localhost:8501", "192.168.1.20", ("http://192.168.1.20:8501", None)),
    ("", "127.0.0.1:8502", "10.1.2.3", ("http://10.1.2.3:8502", None)),
    ("", "[::1]:8501", "10.1.2.3", ("http://10.1.2.3:8501", None)),
    # offline on localhost: no code, a hint
    ("", "localhost:8501", None, (None, "no_network")),
    ("", "localhost:8501", "127.0.1.1", (None, "no_network")),
    # a wrong setting is said, and the automatic address used
    ("hall:8501", "localhost:8501", "10.1.2.3", ("http://10.1.2.3:8501", "bad_setting")),
    ("ftp://x", "localhost:8501", None, (None, "bad_setting")),
    ("", "", None, (None, "no_network")),
    ("", "bad host:port", None, (None, "no_network")),
])
def test_the_public_address(setting, host, network, expected):
    assert classroom.public_base_url(setting, host, network) == expected


def test_the_link_holds_the_page_and_its_state_but_not_the_presenter_view():
    base = "http://10.0.0.5:8501"
    assert classroom.page_link(base, "", {"present": "1"}) == base
    assert classroom.page_link(base, "speech", {"present": "1", "seed": "7", "lang": "en",
                                                "text": "Hi, hall!"}) == (
        "http://10.0.0.5:8501/speech?seed=7&lang=en&text=Hi%2C+hall%21")


def test_the_qr_code_decodes_to_the_link():
    link = "http://10.0.0.5:8501/word_vectors?e=king+-+man+%2B+woman&lang=hu"
    picture = Image.open(io.BytesIO(classroom.qr_png(link)))
    assert [result.text for result in zxingcpp.read_barcodes(picture)] == [link]


def test_the_presenter_view_from_the_url_and_out_of_it(monkeypatch):
    monkeypatch.setenv("DEMO_PUBLIC_URL", "http://hall.example:8501")
    app = run_page(HOME_PAGE, query={"present": "1"})
    assert not app.exception
    assert app.toggle(key="present").value is True
    assert [code.value for code in app.code] == ["http://hall.example:8501"]
    # the code (decoded in the browser test) beside a link to each demo, instead of the cards
    assert len(app.get("image")) == 1
    assert [link.proto.page for link in app.get("page_link")] == [demo.key for demo in DEMOS]
    app.button(key="classroom.leave").click().run()
    assert app.toggle(key="present").value is False
    assert "present" not in app.query_params
    assert not app.code


def test_without_the_presenter_view_there_is_no_bar():
    app = run_page(HOME_PAGE)
    assert app.toggle(key="present").value is False
    assert not app.code and not [b for b in app.button if b.key == "classroom.leave"]
    assert len(app.get("image")) == len(DEMOS)


def test_the_room_goes_through_a_real_redis():
    port = free_port()
    store = start_room_store(port)
    try:
        room = RedisRoom(f"redis://127.0.0.1:{port}/0")
        assert room.current() is None
        assert room.share("speech", {"seed": "7", "text": "Hi!"})
        shared = room.current()
        assert (shared.path, shared.query) == ("speech", {"seed": "7", "text": "Hi!"})
        assert room.share("gan", {}) and room.current().shared_at > shared.shared_at
    finally:
        stop_processes([store])


def test_an_unreachable_store_means_nothing_shared_not_an_error():
    room = RedisRoom(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    assert room.current() is None
    assert room.share("speech", {}) is False


def test_only_the_lecturer_may_share(monkeypatch):
    monkeypatch.setenv("DEMO_LECTURER_KEY", "correct horse")
    app = run_page("app_pages/speech.py", query={"present": "1", "seed": "31"})
    assert not [toggle for toggle in app.toggle if toggle.key == "classroom.share"]
    app.text_input(key="classroom.key_input").input("wrong").run()
    assert not [toggle for toggle in app.toggle if toggle.key == "classroom.share"]
    app.text_input(key="classroom.key_input").input("correct horse").run()
    app.toggle(key="classroom.share").set_value(True).run()
    shared = the_room().current()
    assert shared.path == "speech" and shared.query["seed"] == "31"
    assert "present" not in shared.query


def test_a_visitor_opens_what_the_lecturer_shares():
    the_room().share("speech", {"seed": "77", "text": "Follow me.", "lang": "en"})
    app = run_page(HOME_PAGE)
    offer = app.button(key="classroom.open_shared")
    assert offer.label == "The lecturer is on Speech synthesis: open the same"
    offer.click().run()
    assert not app.exception
    assert app.number_input(key="speech.seed").value == 77
    assert app.text_area(key="speech.text").value == "Follow me."


def test_without_a_lecturer_key_nobody_shares(monkeypatch):
    monkeypatch.delenv("DEMO_LECTURER_KEY", raising=False)
    app = run_page("app_pages/speech.py", query={"present": "1"})
    assert not [toggle for toggle in app.toggle if toggle.key == "classroom.share"]
    assert not [box for box in app.text_input if box.key == "classroom.key_input"]
    locked = app.toggle(key="classroom.share_locked")
    assert locked.disabled and "DEMO_LECTURER_KEY" in locked.help
