"""Duplicate partners are offered with reasons; merging moves everything and is recorded; dismissing sticks."""

from sqlalchemy import select

from kotacerdas.ascn.services import partners, registry
from kotacerdas.ascn.store.tables import AscnMergeReview, AscnPartnership
from kotacerdas.core.db import session_scope


def pair_names(candidates):
    return [set(c.names) for c in candidates]


def test_the_demo_duplicate_is_offered_and_merged_on_decision(ascn_db):
    with session_scope(ascn_db) as s:
        offered = partners.duplicates(s)
        assert {"Asian Development Bank", "Bank Pembangunan Asia"} in pair_names(offered)
        adb = registry.get_partner(s, "adb")
        dup = registry.get_partner(s, "bank-pembangunan-asia")
        city = registry.get_city(s, "phnom-penh")
        registry.create_partnership(s, dup, city, {"type": "finance"})
        out = partners.merge(s, adb, dup, None)
        assert out == {"kept": "adb", "merged": "bank-pembangunan-asia", "partnerships_moved": 1}
    with session_scope(ascn_db) as s:
        assert registry.get_partner(s, "bank-pembangunan-asia").slug == "adb"  # follows the merge
        assert "Bank Pembangunan Asia" in partners.aliases(s, registry.get_partner(s, "adb").id)
        assert s.scalar(select(AscnPartnership).where(AscnPartnership.partner_id == dup.id)) is None
        assert {"Asian Development Bank", "Bank Pembangunan Asia"} not in pair_names(partners.duplicates(s))
        assert s.scalar(select(AscnMergeReview.decision)) == "merged"


def test_a_dismissed_pair_is_not_offered_again(ascn_db):
    with session_scope(ascn_db) as s:
        partners.dismiss(s, registry.get_partner(s, "adb"), registry.get_partner(s, "bank-pembangunan-asia"), None)
    with session_scope(ascn_db) as s:
        assert partners.duplicates(s) == []
