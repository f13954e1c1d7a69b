"""Search on both backends: full text by words, semantic across languages, the index kept in step with writes."""

from sqlalchemy import select

from kotacerdas.ascn.services import knowledge
from kotacerdas.ascn.store.tables import AscnCity, AscnEmbedding, AscnSearchDoc
from kotacerdas.core.db import session_scope


def refs(hits):
    return [h.ref for h in hits]


def test_fulltext_finds_words_on_this_backend(ascn_db):
    with session_scope(ascn_db) as s:
        hits = knowledge.search(s, "posyandu imunisasi", mode="fulltext", kinds=("practice",))
        assert refs(hits)[0] == "posyandu-digital"
        assert hits[0].matched_by == ("fulltext",) and hits[0].url == "/ascn/knowledge/posyandu-digital"
        # stemming: "rivers" finds "river"
        assert "river-water-quality-monitoring" in refs(knowledge.search(s, "rivers", mode="fulltext", limit=5))


def test_semantic_search_crosses_languages_on_this_backend(embedded):
    with session_scope(embedded) as s:
        # an Indonesian query finds a practice written in English ...
        assert (
            refs(knowledge.search(s, "lampu jalan hemat energi", kinds=("practice",), limit=3))[0]
            == "smart-street-lighting"
        )
        # ... and an English query one written in Bahasa Indonesia
        assert refs(knowledge.search(s, "immunisation reminders for mothers", kinds=("practice",), limit=3))[0] == (
            "posyandu-digital"
        )
        hybrid = knowledge.search(s, "bank sampah", mode="hybrid", limit=5)
        assert "bank-sampah-digital" in refs(hybrid)
        projects = knowledge.search(s, "Smart Kampung Road Manager", kinds=("project",), limit=3)
        assert projects[0].kind == "project" and "Smart Kampung" in projects[0].title


def test_semantic_search_falls_back_to_fulltext_before_anything_is_embedded(ascn_db):
    from sqlalchemy import delete

    with session_scope(ascn_db) as s:
        s.execute(delete(AscnEmbedding))
    with session_scope(ascn_db) as s:
        hits = knowledge.search(s, "posyandu", limit=3)
        assert hits and hits[0].matched_by == ("fulltext",)


def test_writes_keep_the_index_current_and_only_changed_text_is_embedded_again(embedded):
    with session_scope(embedded) as s:
        p = knowledge.get_practice(s, "market-fire-detection")
        knowledge.save_practice(
            s,
            knowledge.PracticeInput(title=p.title, summary="Zanzibarian marmalade detectors", slug=p.slug),
            None,
        )
    with session_scope(embedded) as s:
        assert refs(knowledge.search(s, "zanzibarian", mode="fulltext"))[0] == "market-fire-detection"
    assert knowledge.refresh_embeddings(embedded)["embedded"] == 1
    assert knowledge.refresh_embeddings(embedded)["embedded"] == 0
    with session_scope(embedded) as s:
        docs = s.scalar(select(AscnSearchDoc.id).where(AscnSearchDoc.kind == "practice").limit(1))
        knowledge.unindex(s, "practice", s.get(AscnSearchDoc, docs).ref_id)
    with session_scope(embedded) as s:
        assert s.scalar(select(AscnEmbedding).where(AscnEmbedding.doc_id == docs)) is None


def test_a_thai_flood_query_finds_the_flood_practice_first_on_this_backend(ascn_db):
    """Thai words keep their tone marks and vowel signs: น้ำท่วม (flood) is one query word, not น | ำท | วม."""
    with session_scope(ascn_db) as s:
        city = s.scalar(select(AscnCity).where(AscnCity.slug == "bangkok"))
        knowledge.save_practice(
            s,
            knowledge.PracticeInput(
                title="ระบบเตือนภัย น้ำท่วม ในชุมชน",
                lang="th",
                summary="เซนเซอร์วัดระดับน้ำในคลอง ส่งข้อความเตือน น้ำท่วม ให้ชาวบ้านก่อนน้ำขึ้น",
                slug="thai-flood-warning",
            ),
            city,
        )
        knowledge.save_practice(
            s,
            knowledge.PracticeInput(
                title="การมีส่วนร่วม ของชุมชน ร่วม ร่วม ร่วม",
                lang="th",
                summary="น้ำ น้ำ น้ำ ร่วม ร่วม ร่วม การมีส่วนร่วม ของประชาชนในการวางแผนเมือง",
                slug="thai-participation",
            ),
            city,
        )
    with session_scope(ascn_db) as s:
        hits = knowledge.search(s, "น้ำท่วม", mode="fulltext", kinds=("practice",))
        assert refs(hits)[0] == "thai-flood-warning"
        assert "thai-participation" not in refs(hits)


def test_a_practice_and_its_linked_project_are_one_hit(ascn_db):
    from kotacerdas.ascn.store.tables import AscnPractice

    with session_scope(ascn_db) as s:
        practice = knowledge.get_practice(s, "posyandu-digital")
        assert practice.project_id is not None  # the demo links each practice to its project
        hits = knowledge.search(s, "posyandu imunisasi", mode="fulltext", limit=10)
        stories = []
        for h in hits:
            if h.kind == "practice":
                stories.append(s.scalar(select(AscnPractice.project_id).where(AscnPractice.slug == h.ref)))
            else:
                stories.append(int(h.ref))
        assert len(stories) == len(set(stories)), [h.title for h in hits]
        assert refs(hits)[0] == "posyandu-digital"
        assert str(practice.project_id) not in refs(hits)
        # a search of projects alone still finds the project
        assert str(practice.project_id) in refs(knowledge.search(s, "posyandu", mode="fulltext", kinds=("project",)))
