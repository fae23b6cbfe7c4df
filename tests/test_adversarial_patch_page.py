"""The adversarial patch page, headless (AppTest): patch, perturbation and training controls."""

import re

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
    # The URL keeps the rest: a patch trained on the page is in no link.
    assert "patch" not in app.query_params and app.query_params["size"] == "25"


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


def scene_on_page(app) -> ap.SceneConfig:
    """What the widgets (and the caption under the photo) show."""
    hint = next(caption.value for caption in app.caption if caption.value.startswith("Click"))
    x, y = (int(share) / 100 for share in re.findall(r"(\d+)%", hint))
    return ap.SceneConfig(
        photo=app.selectbox(key="adversarial_patch.photo").value,
        patch=app.radio(key="adversarial_patch.which").value, x=x, y=y,
        coverage=app.slider(key="adversarial_patch.coverage").value,
        rotation=app.slider(key="adversarial_patch.rotation").value,
        method=app.radio(key="adversarial_patch.method").value,
        epsilon=app.slider(key="adversarial_patch.epsilon").value)


def top5_texts(app) -> list[str]:
    """Every top-5 bar with its probability: the same page shows the same numbers."""
    return [bar.proto.text for bar in app.get("progress")]


def test_a_link_opens_the_page_as_it_says():
    scene = ap.SceneConfig(photo="chelsea", patch="goldfish", x=0.7, y=0.6, coverage=12,
                           rotation=45, method="pgd", epsilon=4)
    app = run_page(PAGE, query=scene.to_query())
    assert not app.exception
    assert scene_on_page(app) == scene
    assert ap.SceneConfig.from_query(app.query_params) == scene
    before, _, original, _ = top5_lists(app)
    assert before[0] in HELD_OUT["chelsea"] and original == before


def test_the_url_follows_the_visitor_and_reopens_the_same_page():
    app = run_page(PAGE, lang="en")
    app.selectbox(key="adversarial_patch.photo").set_value("rocket")
    app.radio(key="adversarial_patch.which").set_value("pineapple")
    app.session_state["adversarial_patch.center"] = [0.65, 0.25]  # as a click there does
    app.slider(key="adversarial_patch.coverage").set_value(15)
    app.slider(key="adversarial_patch.rotation").set_value(-30)
    app.slider(key="adversarial_patch.epsilon").set_value(1).run()
    assert not app.exception
    shown = scene_on_page(app)
    assert shown == ap.SceneConfig(photo="rocket", patch="pineapple", x=0.65, y=0.25,
                                   coverage=15, rotation=-30, epsilon=1)
    assert ap.SceneConfig.from_query(app.query_params) == shown
    reopened = run_page(PAGE, query=dict(app.query_params))
    assert not reopened.exception
    assert scene_on_page(reopened) == shown
    assert top5_texts(reopened) == top5_texts(app)


def test_junk_in_the_url_falls_back_to_defaults_and_is_cleaned():
    app = run_page(PAGE, query={"photo": "upload", "patch": "own", "x": "nan", "y": "1e999",
                                "size": "-5", "rot": "9999", "attack": "deepfool",
                                "eps": "1e9"})
    assert not app.exception
    expected = ap.SceneConfig(coverage=2, rotation=180, epsilon=16)
    assert scene_on_page(app) == expected
    assert dict(app.query_params) == expected.to_query()


def test_an_uploaded_photo_stays_out_of_the_url_and_the_rest_stays_in():
    app = run_page(PAGE, lang="en")
    app.slider(key="adversarial_patch.coverage").set_value(12).run()
    app.selectbox(key="adversarial_patch.photo").set_value("upload").run()
    assert not app.exception
    assert any("never goes into the page's link" in caption.value for caption in app.caption)
    assert "photo" not in app.query_params and app.query_params["size"] == "12"
    app.run()  # a run without the tabs (no photo yet) keeps their settings...
    assert app.query_params["size"] == "12"
    app.selectbox(key="adversarial_patch.photo").set_value("clock").run()
    assert not app.exception  # ...for when there is a photo again
    assert app.slider(key="adversarial_patch.coverage").value == 12
    assert app.query_params["photo"] == "clock"
