"""Every page registered in the gallery runs without an exception, in both languages."""

import pytest

from tests.apptest import run_page
from ui.gallery import DEMOS, HOME_PAGE
from ui.i18n import TEXTS

PAGES = [HOME_PAGE] + [demo.page for demo in DEMOS]


@pytest.mark.parametrize("lang", ["en", "hu"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_cleanly(page, lang):
    app = run_page(page, lang=lang)
    assert not app.exception, app.exception
    assert not app.error, [element.value for element in app.error]
    assert app.title, "every page shows a title"


def test_home_page_lists_every_demo():
    app = run_page(HOME_PAGE, lang="en")
    headings = " ".join(element.value for element in app.subheader)
    for demo in DEMOS:
        assert TEXTS[f"{demo.key}.title"]["en"] in headings
