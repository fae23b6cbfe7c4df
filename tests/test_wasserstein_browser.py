"""The Wasserstein page in Chromium: play trains the critic live, its heatmap redrawn each
frame, until pause; on a phone the GAN's "one step" moves the generator one step at a time."""

import re

from playwright.sync_api import expect

from harness.browser import assert_no_exception, number_in, open_app, settle

CRITIC_STATUS = re.compile(r"^Step (\d+) · E_μ\[f\] − E_ν\[f\] = ")
GAN_STATUS_HU = re.compile(r"^(\d+)\. generátor-lépés · ")


def test_play_trains_the_critic_live_until_pause(desktop_page, app_url):
    page = desktop_page
    open_app(page, app_url + "/wasserstein?lang=en")
    settle(page, page.get_by_role("tab", name="2. The critic (the dual)").click)
    assert number_in(page, CRITIC_STATUS) == 0
    heatmap = (page.locator("[data-testid='stImage']")
               .filter(has_text="The critic's value f(x) over the plane").locator("img"))
    expect(heatmap).to_be_visible()
    first = heatmap.get_attribute("src")
    button = page.locator(".st-key-wasserstein-play_critic button")
    expect(button).to_have_text("▶ Play")
    button.click()
    expect(button).to_have_text("⏸ Pause")
    # Each frame trains the critic a few steps and sends a new heatmap: two changes at least.
    expect(heatmap).not_to_have_attribute("src", first)
    second = heatmap.get_attribute("src")
    step = number_in(page, CRITIC_STATUS)
    expect(heatmap).not_to_have_attribute("src", second)
    expect(page.get_by_text(CRITIC_STATUS)).not_to_have_text(re.compile(rf"^Step {step} "))
    frame = number_in(page, CRITIC_STATUS) - step  # one frame's steps (two, if it missed one)
    assert frame > 0 and step > 0
    settle(page, button.click)
    expect(button).to_have_text("▶ Play")
    paused = number_in(page, CRITIC_STATUS)
    page.wait_for_timeout(2_000)  # several frames' time: nothing may move now
    later = number_in(page, CRITIC_STATUS)
    assert paused <= later <= paused + frame  # at most one frame that was in flight
    page.wait_for_timeout(1_500)
    assert number_in(page, CRITIC_STATUS) == later
    assert_no_exception(page)


def test_one_gan_step_at_a_time_on_a_phone(phone_page, app_url):
    page = phone_page
    open_app(page, app_url + "/wasserstein?lang=hu")
    tab = page.get_by_role("tab", name="3. Egy 2-D WGAN")
    tab.scroll_into_view_if_needed()
    settle(page, tab.tap)
    assert number_in(page, GAN_STATUS_HU) == 0
    step = page.locator(".st-key-wasserstein-step_gan button")
    expect(step).to_have_text("Egy lépés")
    step.scroll_into_view_if_needed()
    settle(page, step.tap)
    assert number_in(page, GAN_STATUS_HU) == 1
    settle(page, step.tap)
    assert number_in(page, GAN_STATUS_HU) == 2
    assert_no_exception(page)
