"""The adversarial patch page, headless (AppTest): patch, perturbation and training controls."""

import pytest

from backend import adversarial_patch as ap
from backend.data.skimage_photos import HELD_OUT
from tests.apptest import run_page

PAGE = "app_pages/adversarial_patch.py"


def top5_lists(app) -> list[list[str]]:
    """The class names of each top-5 list on the page, in order (patch tab first)."""
    names = [bar.proto.text.removeprefix("🎯 ").rsplit(" · ", 1)[0]
             for bar in app.get("progress")]
    return [names[i:i + 5] for i in range(0, len(names), 5)]


def test_the_toaster_patch_turns_the_coffee_into_a_toaster():
    app = run_page(PAGE, lang="en")
    assert not app.exception
    assert app.radio(key="adversarial_patch.which").value == "toaster"
    before, after, *_ = top5_lists(app)
    assert before[0] in HELD_OUT["coffee"]
    assert after[0] == "toaster"
    assert any("ms on cpu" in caption.value for caption in app.caption)


def test_a_tiny_patch_does_not_fool_it():
    app = run_page(PAGE, lang="en")
    app.slider(key="adversarial_patch.coverage").set_value(2).run()
    assert not app.exception
    assert top5_lists(app)[1][0] in HELD_OUT["coffee"]


def test_fgsm_any_wrong_class_changes_the_answer():
    app = run_page(PAGE, lang="en")
    app.selectbox(key="adversarial_patch.attack_target").set_value(-1)
    app.slider(key="adversarial_patch.epsilon").set_value(4).run()
    assert not app.exception
    before, after = top5_lists(app)[2:4]
    assert before[0] in HELD_OUT["coffee"] and after[0] != before[0]


def test_targeted_pgd_reaches_the_toaster():
    app = run_page(PAGE, lang="en")
    app.radio(key="adversarial_patch.method").set_value("pgd")
    app.selectbox(key="adversarial_patch.attack_target").set_value(ap.CLASS_NAMES.index("toaster"))
    app.slider(key="adversarial_patch.epsilon").set_value(4).run()
    assert not app.exception
    assert top5_lists(app)[3][0] == "toaster"


def test_training_your_own_patch_selects_it_at_once(monkeypatch):
    monkeypatch.setitem(ap.QUICK_TRAINING, "steps", 2)
    monkeypatch.setitem(ap.QUICK_TRAINING, "size", 64)
    app = run_page(PAGE, lang="en")
    app.selectbox(key="adversarial_patch.train_target").set_value(ap.CLASS_NAMES.index("banana"))
    app.button(key="adversarial_patch.train_start").click().run()
    assert not app.exception
    patches = app.radio(key="adversarial_patch.which")
    assert patches.value == "own" and "your own: banana" in patches.options
    assert any("your own: banana" in success.value and "2 training steps" in success.value
               for success in app.success)
    # The page goes on with the new patch: another size still works and keeps it.
    app.slider(key="adversarial_patch.coverage").set_value(25).run()
    assert not app.exception and app.radio(key="adversarial_patch.which").value == "own"


@pytest.mark.parametrize("photo", ["chelsea", "upload"])
def test_page_speaks_hungarian(photo):
    app = run_page(PAGE, lang="hu")
    app.selectbox(key="adversarial_patch.photo").set_value(photo).run()
    assert not app.exception
    assert app.title[0].value == "Adversarial patch"
    if photo == "upload":
        assert any("Tölts fel" in info.value for info in app.info)
    else:
        assert top5_lists(app)[0][0] in HELD_OUT["chelsea"]
