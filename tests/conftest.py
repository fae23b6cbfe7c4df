"""Shared fixtures: everything on the CPU, one Streamlit server and one Chromium per session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DEMO_DEVICE", "cpu")
# As in backend/__init__.py, before any test module imports torch: idle OpenMP workers sleep
# instead of spinning, which on a busy 2-core machine is the difference of 10x.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@pytest.fixture(scope="session")
def app_url():
    from tests.browser import streamlit_server
    with streamlit_server("app.py") as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import expect, sync_playwright

    from tests.browser import launch_chromium
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        # Assertions wait for the page: Streamlit loads each element kind's code on first use
        # (images, charts), so an element can appear a moment after the script has finished.
        expect.set_options(timeout=30_000)
        yield browser
        browser.close()


@pytest.fixture
def desktop_page(chromium):
    from tests.browser import DESKTOP
    context = chromium.new_context(**DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(chromium):
    from tests.browser import PHONE
    context = chromium.new_context(**PHONE)
    yield context.new_page()
    context.close()
