"""The knowledge base: good practices, the search index over practices and projects, embeddings and search.

Every write of a practice or a project calls :func:`index` in the same transaction, so full text
(FTS5 triggers, PostgreSQL's expression index) is always current. Embeddings are computed apart,
by :func:`refresh_embeddings` (a background task after writes, and the ``ascn embed`` command),
because embedding a whole knowledge base takes seconds; until a document is embedded, search
still finds it by full text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework
from kotacerdas.ascn.embedding import DEFAULT_MODEL, embedder, passages, to_bytes
from kotacerdas.ascn.errors import AscnError, Checks
from kotacerdas.ascn.ranking import blend
from kotacerdas.ascn.store import search as store
from kotacerdas.ascn.store.tables import AscnCity, AscnEmbedding, AscnPractice, AscnProject, AscnSearchDoc
from kotacerdas.core.db import run_write, session_scope
from kotacerdas.core.errors import NotFound
from kotacerdas.core.i18n import N_

MODES = ("semantic", "hybrid", "fulltext")
#: The default search, chosen by measurement (bench/ascn_search.py); full text answers when nothing is embedded.
DEFAULT_MODE = "semantic"
#: How many candidates each search contributes to the fusion.
DEPTH = 50
BATCH = 32


def slugify(text: str) -> str:
    """A URL name from ``text`` (ASCII letters, digits and dashes)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "item"


def practice_text(p: AscnPractice) -> tuple[str, str]:
    """The title and the searchable text of a practice."""
    return p.title, "\n".join(x for x in (p.title, p.summary, p.body, p.lessons) if x)


def project_text(p: AscnProject) -> tuple[str, str]:
    """The title and the searchable text of a project (English and its local language)."""
    return p.title, "\n".join(x for x in (p.title, p.summary, p.local_title, p.local_summary, p.lead_agency) if x)


def index(session: Session, kind: str, ref_id: int, title: str, body: str, lang: str) -> AscnSearchDoc:
    """Create or update the search document of a practice or a project (same transaction as the record)."""
    digest = hashlib.sha256((title + "\x00" + body).encode()).hexdigest()
    doc = session.scalar(select(AscnSearchDoc).where(AscnSearchDoc.kind == kind, AscnSearchDoc.ref_id == ref_id))
    if doc is None:
        doc = AscnSearchDoc(kind=kind, ref_id=ref_id, title=title[:300], body=body, lang=lang, text_sha256=digest)
        session.add(doc)
    elif doc.text_sha256 != digest or doc.lang != lang:
        doc.title, doc.body, doc.lang, doc.text_sha256 = title[:300], body, lang, digest
    session.flush()
    return doc


def index_practice(session: Session, p: AscnPractice) -> None:
    title, body = practice_text(p)
    index(session, "practice", p.id, title, body, p.lang)


def index_project(session: Session, p: AscnProject) -> None:
    title, body = project_text(p)
    index(session, "project", p.id, title, body, p.local_lang or "en")


def unindex(session: Session, kind: str, ref_id: int) -> None:
    session.execute(delete(AscnSearchDoc).where(AscnSearchDoc.kind == kind, AscnSearchDoc.ref_id == ref_id))


# -- practices ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeInput:
    title: str
    lang: str = "en"
    summary: str = ""
    body: str = ""
    lessons: str = ""
    city: str | None = None
    project_id: int | None = None
    focus_areas: Sequence[str] = ()
    year: int | None = None
    source: str = ""
    source_url: str = ""
    slug: str | None = None
    is_demo: bool = False


def save_practice(session: Session, data: PracticeInput, city: AscnCity | None) -> AscnPractice:
    """Create the practice, or update the one with the same slug; index it."""
    checks = Checks()
    with checks.field():
        if not data.title.strip():
            raise AscnError(N_("A practice needs a title"), field="title")
    with checks.field():
        framework.check_code(framework.ASEAN_LANGUAGES, data.lang, "lang")
    with checks.field():
        framework.check_url(data.source_url, "source_url")
    with checks.field():
        framework.check_year(data.year, "year", *framework.YEARS)
    with checks.field():
        framework.check_codes(framework.FOCUS_AREAS, data.focus_areas, "focus_areas")
    checks.done()
    slug = data.slug or slugify(data.title)
    p = session.scalar(select(AscnPractice).where(AscnPractice.slug == slug))
    if p is None:
        p = AscnPractice(slug=slug)
        session.add(p)
    p.title, p.lang, p.summary, p.body, p.lessons = data.title.strip(), data.lang, data.summary, data.body, data.lessons
    p.city_pk = city.id if city else None
    p.project_id = data.project_id
    p.focus_areas = framework.check_codes(framework.FOCUS_AREAS, data.focus_areas, "focus_areas")
    p.year, p.source, p.source_url, p.is_demo = data.year, data.source, data.source_url, data.is_demo
    session.flush()
    index_practice(session, p)
    return p


def get_practice(session: Session, slug: str) -> AscnPractice:
    p = session.scalar(select(AscnPractice).where(AscnPractice.slug == slug))
    if p is None:
        raise NotFound(N_("No practice {slug} in the knowledge base"), field="slug", slug=slug)
    return p


# -- search ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One search result: what it is, its title, where to read it, and which search found it."""

    kind: str
    ref: str
    title: str
    lang: str
    url: str
    snippet: str
    score: float
    matched_by: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "lang": self.lang,
            "url": self.url,
            "snippet": self.snippet,
            "score": round(self.score, 6),
            "matched_by": list(self.matched_by),
        }


def rank(
    session: Session,
    query: str,
    *,
    mode: str = DEFAULT_MODE,
    kinds: Sequence[str] = store.KINDS,
    model: str = DEFAULT_MODEL,
) -> tuple[list[tuple[int, float]], dict[int, set[str]]]:
    """The ranked doc ids for ``query`` and which search found each one (``fulltext`` / ``semantic``).

    Semantic and hybrid search fall back to full text while no document is embedded by ``model``.
    """
    if mode not in MODES:
        raise AscnError(N_("{value} is not one of: {choices}"), field="mode", value=mode, choices=", ".join(MODES))
    if not query.strip():
        raise AscnError(N_("Say what to search for"), field="q")
    ft = store.fulltext(session, query, kinds, DEPTH) if mode != "semantic" else []
    sem: list[tuple[int, float]] = []
    if mode != "fulltext" and store.embedded_count(session, model):
        sem = store.semantic(session, embedder(model).queries([query])[0], model, kinds, DEPTH)
    elif mode == "semantic":
        ft = store.fulltext(session, query, kinds, DEPTH)
    found: dict[int, set[str]] = {}
    for name, rows in (("fulltext", ft), ("semantic", sem)):
        for i, _ in rows:
            found.setdefault(i, set()).add(name)
    if not sem:
        return ft, found
    if not ft:
        return sem, found
    return blend(ft, sem), found


def search(
    session: Session,
    query: str,
    *,
    mode: str = DEFAULT_MODE,
    kinds: Sequence[str] = store.KINDS,
    limit: int = 10,
    model: str = DEFAULT_MODEL,
) -> list[Hit]:
    """The knowledge base's and the projects' best matches for ``query``, best first.

    A practice and the project it is linked to tell one story: they are one hit, the practice (which links its
    project), at the better rank and score of the two and found by what found either; so a result list does not
    show each demo practice twice. A project whose practice was not found stays a hit of its own.
    """
    ranked, found = rank(session, query, mode=mode, kinds=kinds, model=model)
    docs = {d.id: d for d in session.scalars(select(AscnSearchDoc).where(AscnSearchDoc.id.in_([i for i, _ in ranked])))}
    practices = {
        p.id: p
        for p in session.scalars(
            select(AscnPractice).where(AscnPractice.id.in_([d.ref_id for d in docs.values() if d.kind == "practice"]))
        )
    }
    linked = dict(  # project id -> the practice linked to it
        session.execute(
            select(AscnPractice.project_id, AscnPractice.id).where(
                AscnPractice.project_id.in_([d.ref_id for d in docs.values() if d.kind == "project"])
            )
        ).all()
    )
    # one hit per story, at the better rank of the two: the practice's (it links its project), else the project's
    slots: dict[tuple[str, int], list] = {}  # story -> [doc id shown, score, found by]
    for i, score in ranked:
        d = docs[i]
        key = ("practice", linked[d.ref_id]) if d.kind == "project" and d.ref_id in linked else (d.kind, d.ref_id)
        slot = slots.setdefault(key, [i, score, set()])
        slot[2] |= found.get(i, set())
        if d.kind == "practice":
            slot[0] = i
    hits = []
    for i, score, by in list(slots.values())[:limit]:
        d = docs[i]
        if d.kind == "practice":
            p = practices[d.ref_id]
            ref, url, snippet = p.slug, f"/ascn/knowledge/{p.slug}", p.summary
        else:
            ref, url = str(d.ref_id), f"/ascn/projects/{d.ref_id}"
            snippet = d.body.split("\n", 2)[1] if "\n" in d.body else ""
        hits.append(Hit(d.kind, ref, d.title, d.lang, url, snippet[:240], score, tuple(sorted(by))))
    return hits


# -- embeddings ----------------------------------------------------------------------------------------


def stale_docs(session: Session, model: str) -> list[tuple[int, str, str]]:
    """``(doc id, text, checksum)`` of the documents with no current embedding of ``model``."""
    current = select(AscnEmbedding.doc_id).where(
        AscnEmbedding.model == model, AscnEmbedding.text_sha256 == AscnSearchDoc.text_sha256
    )
    rows = session.execute(
        select(AscnSearchDoc.id, AscnSearchDoc.body, AscnSearchDoc.text_sha256)
        .where(AscnSearchDoc.id.not_in(current))
        .order_by(AscnSearchDoc.id)
    ).all()
    return [(int(i), b, s) for i, b, s in rows]


def _store_vectors(session: Session, model: str, batch: list[tuple[int, str, str]], vectors) -> None:
    ids = [i for i, _, _ in batch]
    session.execute(delete(AscnEmbedding).where(AscnEmbedding.model == model, AscnEmbedding.doc_id.in_(ids)))
    alive = set(session.scalars(select(AscnSearchDoc.id).where(AscnSearchDoc.id.in_(ids))))
    for (doc_id, _, digest), vector in zip(batch, vectors, strict=True):
        if doc_id in alive:
            session.add(
                AscnEmbedding(
                    doc_id=doc_id, model=model, dim=int(vector.shape[0]), vector=to_bytes(vector), text_sha256=digest
                )
            )
    session.flush()


def embed_pending(session: Session, model: str = DEFAULT_MODEL) -> int:
    """Embed the stale documents in the caller's transaction (the demo loader and imports on the command line)."""
    todo = stale_docs(session, model)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        _store_vectors(session, model, batch, passages(model, [b for _, b, _ in batch]))
    return len(todo)


def refresh_embeddings(engine: Engine, model: str = DEFAULT_MODEL) -> dict:
    """Embed every document whose text changed since its embedding (or that has none); returns counts.

    Reads in one transaction, embeds outside any transaction, writes each batch in its own short
    write transaction: a long embedding run never holds the database's write lock.
    """
    with session_scope(engine) as session:
        todo = stale_docs(session, model)
    done = 0
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        vectors = passages(model, [b for _, b, _ in batch])
        run_write(engine, lambda session, batch=batch, vectors=vectors: _store_vectors(session, model, batch, vectors))
        done += len(batch)
    with session_scope(engine) as session:
        total = int(session.scalar(select(func.count()).select_from(AscnSearchDoc)) or 0)
    return {"model": model, "embedded": done, "documents": total}
