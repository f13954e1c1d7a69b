"""Query strings for both full-text engines, score blending and the retrieval measures."""

import math

from kotacerdas.ascn import ranking


def test_fulltext_queries_quote_every_word_so_no_operator_gets_through():
    assert ranking.fts5_match('flood "warning" OR NEAR(x)') == '"flood" OR "warning" OR "or" OR "near"'
    assert ranking.pg_tsquery("it's a test") == "'it' | 'test'"
    assert ranking.fts5_match("  ") == ""


def test_blend_scales_each_side_and_weights_the_semantic_one():
    fulltext = [(1, 10.0), (2, 5.0)]
    semantic = [(2, 0.9), (3, 0.5), (1, 0.1)]
    out = dict(ranking.blend(fulltext, semantic, weight=0.8))
    assert math.isclose(out[2], 0.8 * 1 + 0.2 * 0)
    assert math.isclose(out[1], 0.8 * 0 + 0.2 * 1)
    assert [i for i, _ in ranking.blend(fulltext, semantic, weight=0.8)] == [2, 3, 1]


def test_measures_against_hand_computed_values():
    relevant = {"a": 2, "b": 1}
    assert ranking.ndcg_at(["a", "b", "x"], relevant) == 1.0
    ideal = 3 / math.log2(2) + 1 / math.log2(3)
    assert math.isclose(ranking.ndcg_at(["x", "a"], relevant), (3 / math.log2(3)) / ideal)
    assert ranking.recall_at(["x", "b"], relevant) == 0.5
    assert ranking.precision_at([1, 2, 3, 4, 5, 6], {2, 6}) == 0.2


def test_words_keep_their_combining_marks():
    assert ranking.terms("น้ำท่วม") == ["น้ำท่วม"]  # Thai: flood
    assert ranking.terms("ភ្នំពេញ ຫຼວງພະບາງ ရန်ကုန်") == ["ភ្នំពេញ", "ຫຼວງພະບາງ", "ရန်ကုန်"]  # Khmer, Lao, Burmese
    assert ranking.terms("e\u0301cole Đà Nẵng") == ["école", "đà", "nẵng"]  # decomposed Latin joins up
    assert ranking.fts5_match("ระบบเตือนภัย น้ำท่วม") == '"ระบบเตือนภัย" OR "น้ำท่วม"'
    assert ranking.pg_tsquery("น้ำท่วม") == "'น้ำท่วม'"
