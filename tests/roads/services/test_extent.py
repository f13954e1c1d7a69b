"""A drive is filed only under a city it passes through."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.services.extent import check_in_city
from kotacerdas.roads.streams import Track


def track(lon: float, lat: float) -> Track:
    n = 5
    return Track(np.arange(n, dtype=float), np.full(n, lat), np.full(n, lon), np.full(n, 8.0), np.full(n, 5.0))


def test_a_drive_in_the_city_passes_and_one_elsewhere_is_refused(seeded):
    with session_scope(seeded) as s:
        banyuwangi = accounts.get_city(s, "35.10")
        check_in_city(s, banyuwangi, track(114.37, -8.21), "town.zip")
        with pytest.raises(RoadsError, match="nowhere in city 35.10") as err:
            check_in_city(s, banyuwangi, track(119.43, -5.15), "makassar.zip")  # Makassar's streets
        assert err.value.record == "makassar.zip" and err.value.field == "location"
        with pytest.raises(RoadsError):
            check_in_city(s, banyuwangi, track(0.0, 0.0), "null-island.zip")
