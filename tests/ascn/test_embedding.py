"""The default embedder loads its weights from its package (nothing downloaded) and retrieves across languages."""

import numpy as np
import pytest

from kotacerdas.ascn import embedding
from kotacerdas.ascn.errors import AscnError


def test_default_model_gives_unit_vectors_and_matches_across_languages(monkeypatch):
    # no network: a download attempt would fail
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    e = embedding.embedder()
    docs = e.passages(["community-based waste bank for recycling", "traffic signal timing at junctions"])
    assert docs.shape == (2, e.dim) and np.allclose(np.linalg.norm(docs, axis=1), 1, atol=1e-5)
    q = e.queries(["bank sampah daur ulang warga"])[0]
    assert docs[0] @ q > docs[1] @ q


def test_vectors_round_trip_and_unknown_models_are_named():
    v = embedding.normalise(np.array([3.0, 4.0]))[0]
    assert np.allclose(embedding.from_bytes(embedding.to_bytes(v), 2), [0.6, 0.8])
    with pytest.raises(AscnError):
        embedding.from_bytes(embedding.to_bytes(v), 3)
    with pytest.raises(AscnError) as err:
        embedding.embedder("no-such-model")
    assert "use-m3" in err.value.render("en")
