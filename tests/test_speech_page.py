"""The speech page driven through its widgets with AppTest, on the real voice."""

from __future__ import annotations

import re

import pytest

from tests.apptest import full_heavy_line, run_page

PAGE = "app_pages/speech.py"
TEXT = "speech.text"


def players(app) -> int:
    return len(app.get("audio"))


def messages(app, kind: str) -> list[str]:
    return [element.value for element in getattr(app, kind)]


def phonemes(app) -> str:
    return app.code[0].value


def open_capitals_tab(app):
    """Select the second tab, as a click on it does: only the open tab's content runs."""
    app.session_state["speech.tab"] = app.tabs[1].label
    return app.run()


def test_the_lecture_sentence_is_spoken_on_arrival_with_its_phonemes_and_spectrogram():
    app = run_page(PAGE)
    assert not app.exception
    assert players(app) == 1
    assert phonemes(app) == "^ðə bˈʌsᵻz ˌɑːɹnt ðə pɹˈɑːbləm, ðeɪ ˈæktʃuːəli pɹəvˈaɪd ɐ səlˈuːʃən.$"
    made = next(m for m in messages(app, "markdown") if "of audio, made in" in m)
    seconds, factor = re.search(r"^([\d.]+) s of audio, made in [\d.]+ s: (\d+)× faster", made).groups()
    assert 2.5 < float(seconds) < 5 and int(factor) > 1
    assert app.get("plotly_chart")
    assert any(re.match(r"⏱ \d+ ms on cpu \(onnxruntime\)", c) for c in messages(app, "caption"))
    assert app.get("download_button")
    assert not messages(app, "success"), "the closed capitals tab did not run"


def test_the_capitals_tab_plays_both_bus_sentences_and_finds_them_identical():
    app = open_capitals_tab(run_page(PAGE))
    assert not app.exception and players(app) == 2
    assert any("identical bit for bit: 77\u202f824 samples" in s
               for s in messages(app, "success")), messages(app, "success")
    app.button(key="speech.exclaim").click().run()
    assert app.text_area(key=TEXT).value == "The buses aren't the problem! They actually provide a solution!"


def test_a_typed_sentence_and_a_slower_rate_make_longer_audio():
    app = run_page(PAGE)
    app.text_area(key=TEXT).input("Deep learning is fun.").run()
    assert phonemes(app).startswith("^dˈiːp lˈɜːnɪŋ")

    def seconds() -> float:
        made = next(m for m in messages(app, "markdown") if "of audio, made in" in m)
        return float(made.split(" s ")[0])

    normal = seconds()
    app.select_slider(key="speech.rate").set_value(2.0).run()
    assert not app.exception and seconds() > 1.5 * normal
    assert app.query_params["ls"] == "2.0" and app.query_params["text"] == "Deep learning is fun."


def test_three_seeds_give_three_players_and_three_timelines():
    app = run_page(PAGE)
    app.number_input(key="speech.seed").set_value(41).run()
    app.toggle(key="speech.three").set_value(True).run()
    assert not app.exception
    assert players(app) == 3
    captions = [c for c in messages(app, "caption") if c.startswith("seed ")]
    assert [c.split(":")[0] for c in captions] == ["seed 41", "seed 42", "seed 43"]
    durations = {c.split(": ")[1] for c in captions}
    assert len(durations) > 1, "the seeds sample different durations"
    figure = app.get("plotly_chart")[0].proto.spec
    assert figure.count('"type":"bar"') + figure.count('"type": "bar"') == 3


def test_a_preset_fills_the_box():
    app = run_page(PAGE)
    capitals = "The buses aren't the PROBLEM, they actually provide a SOLUTION."
    app.selectbox(key="speech.preset").select(capitals).run()
    assert app.text_area(key=TEXT).value == capitals
    assert app.selectbox(key="speech.preset").value is None  # acts as a menu of buttons
    assert phonemes(app).startswith("^ðə bˈʌsᵻz ˌɑːɹnt ðə pɹˈɑːbləm,")  # capitals: no change


@pytest.mark.parametrize("text, kind, message", [
    ("", "info", "Type an English sentence"),
    ("   ", "info", "Type an English sentence"),
    ("?!?!", "info", "nothing to read aloud"),
    ("🎉🎉🎉", "info", "cannot read these, so it left them out: 🎉"),
    ("Привет, hello!", "warning", "left them out: Привет"),
    ("wow " * 400, "warning", "longer than 1000 characters, so it was cut"),
])
def test_bad_text_gets_a_message_and_the_page_keeps_working(text, kind, message):
    app = run_page(PAGE)
    app.text_area(key=TEXT).input(text).run()
    assert not app.exception
    assert any(message in m for m in messages(app, kind)), messages(app, kind)
    spoken = kind == "warning"  # what is left is still spoken
    assert players(app) == int(spoken)
    app.text_area(key=TEXT).input("Back to normal.").run()
    assert not app.exception and players(app) == 1


def test_a_long_text_goes_through_the_heavy_work_line_and_is_then_shared(monkeypatch):
    from ui import heavy_work

    class ObservedLine(heavy_work.HeavyWork):
        """The real line, noting what was submitted to it."""
        submitted: list[str] = []

        def submit(self, visitor, kind, job, **options):
            self.submitted.append(kind)
            return super().submit(visitor, kind, job, **options)

    line = ObservedLine(workers=1, line_length=8)
    monkeypatch.setattr(heavy_work, "shared_line", lambda: line)
    long_text = "The critic estimates the Wasserstein distance. " * 8  # over 300 characters
    try:
        app = run_page(PAGE)
        app.text_area(key=TEXT).input(long_text).run()
        assert not app.exception and players(app) == 1
        assert line.submitted == ["speech"]
        another_visitor = run_page(PAGE)
        another_visitor.text_area(key=TEXT).input(long_text).run()
        assert players(another_visitor) == 1
        assert line.submitted == ["speech"], "the second visitor got the shared result"
    finally:
        line.shutdown()


def test_a_full_line_says_so_for_a_long_text(monkeypatch):
    with full_heavy_line(monkeypatch, "speech"):
        app = run_page(PAGE)
        app.text_area(key=TEXT).input("A long text that nobody asked for before. " * 9).run()
        assert not app.exception
        assert any("Please try again in a minute" in w for w in messages(app, "warning"))
        assert players(app) == 0
        assert not [c for c in messages(app, "caption") if c.startswith("⏱")]


def test_junk_url_parameters_fall_back_or_clamp():
    app = run_page(PAGE, query={"seed": "lots", "ls": "99", "ns": "-3", "nw": "x",
                                "text": "🎉" * 5000})
    assert not app.exception
    assert app.select_slider(key="speech.rate").value == 2.0
    assert app.slider(key="speech.noise_scale").value == 0.0
    assert app.number_input(key="speech.seed").value == 0
    assert any("nothing to read aloud" in m for m in messages(app, "info"))


def test_a_shared_url_opens_the_same_speech():
    app = run_page(PAGE, query={"seed": "7", "ls": "1.25", "text": "Hello, lecture hall!"})
    assert app.text_area(key=TEXT).value == "Hello, lecture hall!"
    assert app.number_input(key="speech.seed").value == 7
    assert app.select_slider(key="speech.rate").value == 1.25


def test_page_speaks_hungarian():
    app = run_page(PAGE, lang="hu")
    assert not app.exception
    assert app.title[0].value == "Beszédszintézis"
    assert any(re.match(r"⏱ \d+ ms, eszköz: cpu \(onnxruntime\)", c)
               for c in messages(app, "caption"))
    assert any("bitre azonos" in s for s in messages(open_capitals_tab(app), "success"))
