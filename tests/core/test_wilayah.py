"""The real admin-area facts shipped for Kota Makassar and Kabupaten Banyuwangi."""

import re

import pytest

from kotacerdas.core import wilayah_banyuwangi as areas_banyuwangi
from kotacerdas.core import wilayah_makassar as areas_makassar


@pytest.mark.parametrize(("module", "kecamatan", "villages"), [(areas_makassar, 15, 153), (areas_banyuwangi, 25, 217)])
def test_counts_codes_and_nesting(module, kecamatan, villages):
    assert len(module.KECAMATAN) == kecamatan
    assert len(module.VILLAGES) == villages
    kec = {c for c, _n, _b in module.KECAMATAN}
    codes = [v[0] for v in module.VILLAGES]
    assert len(set(codes)) == len(codes)
    for code, name, bps, lon, lat in module.VILLAGES:
        assert re.fullmatch(re.escape(module.CITY) + r"\.\d{2}\.[12]\d{3}", code), code
        assert code.rsplit(".", 1)[0] in kec and name.strip()
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{3}\.\d{3}", bps)
        assert 95 < lon < 141 and -11 < lat < 6


def test_makassar_is_all_kelurahan_and_known_names():
    assert all(v[0].split(".")[-1].startswith("1") for v in areas_makassar.VILLAGES)
    names = dict((c, n) for c, n, _b in areas_makassar.KECAMATAN)
    assert names["73.71.01"] == "Mariso" and names["73.71.15"] == "Kepulauan Sangkarrang"
    assert ("73.71.03.1003", "Maradekaya") in {(v[0], v[1]) for v in areas_makassar.VILLAGES}


def test_the_facts_match_the_real_boundary_file(shared_dir):
    """Every BPS code and name of the HDX/BPS 2020 boundaries of Makassar is in the table (read from ../shared)."""
    import json

    data = json.loads((shared_dir / "data/admin/id7371_kota_makassar/id7371_kota_makassar.geojson").read_text())
    ours = {v[2] for v in areas_makassar.VILLAGES}
    theirs = set()
    for f in data["features"]:
        c = f["properties"]["village_code"][2:]
        theirs.add(f"{c[:2]}.{c[2:4]}.{c[4:7]}.{c[7:]}")
    assert ours == theirs
