"""The speech page in Chromium: Speak gives a playable WAV whose length the browser reads, the
capitals tab runs when opened, and on a phone three seeds give three players."""

from playwright.sync_api import Page, expect

from harness.browser import assert_no_exception, open_app, settle

DURATIONS = "() => Array.from(document.querySelectorAll('audio'), audio => audio.duration)"


def first_player_seconds(page: Page) -> float:
    """The first player's duration as the browser decoded it from the served WAV."""
    page.wait_for_function(
        "() => { const a = document.querySelector('audio'); return a && a.duration > 0; }",
        timeout=30_000)
    return page.evaluate(DURATIONS)[0]


def test_speak_gives_a_playable_audio_element(desktop_page, app_url):
    page = desktop_page
    open_app(page, app_url + "/speech?lang=en")
    text = page.locator(".st-key-speech-text textarea")
    text.fill("Neural networks can speak.")
    settle(page, page.locator(".st-key-speech-speak button").click)
    assert_no_exception(page)
    expect(page.get_by_text("^nˈʊɹɹəl nˈɛtwɜːks kæn spˈiːk.$")).to_be_visible()
    seconds = first_player_seconds(page)
    assert 1.0 < seconds < 3.5
    audio = page.locator("audio").first
    assert audio.get_attribute("autoplay") is not None  # Speak plays the result at once
    # the browser can actually play it: metadata loaded, not an error
    assert page.evaluate("() => document.querySelector('audio').error") is None
    expect(page.get_by_text("of audio, made in")).to_be_visible()
    # the second tab runs when opened: the lecture's two sentences, identical for one seed
    settle(page, page.get_by_role("tab", name="Tacotron 2 and the capitals").click)
    expect(page.get_by_text("identical bit for bit")).to_be_visible()
    expect(page.locator("[data-testid='stTabPanel'] audio")).to_have_count(2)


def test_on_a_phone_three_seeds_give_three_players(phone_page, app_url):
    page = phone_page
    open_app(page, app_url + "/speech?lang=hu")
    toggle = page.locator(".st-key-speech-three label")
    toggle.scroll_into_view_if_needed()
    settle(page, lambda: toggle.tap())
    assert_no_exception(page)
    expect(page.get_by_text("seed 2:")).to_be_visible()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('audio')).filter(a => a.duration > 0)"
        ".length >= 3", timeout=30_000)
    durations = page.evaluate(DURATIONS)[:3]
    assert len(set(durations)) > 1, durations  # the seeds sample different durations
