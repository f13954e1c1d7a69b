"""Look-alike organisations: spelling, acronyms and the same name in another language are offered, others not."""

from kotacerdas.ascn import duplicates
from kotacerdas.ascn.embedding import embedder


def test_plain_names_and_acronyms():
    assert duplicates.plain("PT Telkom Indonesia Tbk.") == "telkom indonesia"
    assert duplicates.acronym("Japan International Cooperation Agency") == "jica"
    assert duplicates.acronym("Ministry of Land and Transport") == "mlt"


def test_candidates_by_spelling_acronym_and_meaning_and_not_for_distinct_names():
    names = [
        "Asian Development Bank",
        "Bank Pembangunan Asia",
        "World Bank",
        "Japan International Cooperation Agency",
        "JICA",
        "Asian Devlopment Bank",
        "Universitas Indonesia",
    ]
    vectors = embedder().passages(names)
    found = {(c.a, c.b): c.reasons for c in duplicates.candidates([(i, [n]) for i, n in enumerate(names)], vectors)}
    assert (0, 1) in found and "another language" in found[(0, 1)][0]
    assert (3, 4) in found and "acronym" in found[(3, 4)][0]
    assert (0, 5) in found
    assert (0, 2) not in found and (1, 2) not in found and (2, 6) not in found


def test_answered_pairs_are_not_offered_again():
    records = [(1, ["Asian Development Bank"]), (2, ["Asian Devlopment Bank"])]
    assert duplicates.candidates(records)
    assert duplicates.candidates(records, skip={(1, 2)}) == []
