"""Shared fixtures: everything on the CPU, one Streamlit server and one Chromium per session."""

from __future__ import annotations

import os

import pytest

from backend.process import tune_process

os.environ.setdefault("DEMO_DEVICE", "cpu")
tune_process()  # as the app does, before any test module imports torch


@pytest.fixture(scope="session")
def app_url():
    from harness.browser import streamlit_server
    with streamlit_server("app.py") as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import expect, sync_playwright

    from harness.browser import launch_chromium
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        # Assertions wait for the page: Streamlit loads each element kind's code on first use
        # (images, charts), so an element can appear a moment after the script has finished.
        expect.set_options(timeout=30_000)
        yield browser
        browser.close()


@pytest.fixture
def desktop_page(chromium):
    from harness.browser import DESKTOP
    context = chromium.new_context(**DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(chromium):
    from harness.browser import PHONE
    context = chromium.new_context(**PHONE)
    yield context.new_page()
    context.close()
