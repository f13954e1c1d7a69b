"""Every file reader stays within a memory bound on the malformed corpus (:mod:`tests.malformed`).

Each importer's reader runs in a subprocess whose address space is limited to :data:`LIMIT` (``RLIMIT_AS``),
on every file of its corpus: a zip bomb, an ERD header claiming a billion channels, a drive with a 10-day gap or
a 30,000-year clock jump must be refused with a :class:`~kotacerdas.core.errors.KotacerdasError` naming the
record, not a ``MemoryError``, a crash or a run past the time limit. The few files a reader accepts (counting
what it left out) are listed in ``ACCEPTED`` per reader.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import malformed

#: The memory bound of every reader (address space, so it counts what numpy merely reserves as well).
LIMIT = 1 << 30

READERS = {
    "survey": (
        malformed.survey_files,
        "from kotacerdas.roads.formats.survey import import_survey\n"
        "from kotacerdas.roads.processing import process_survey\n"
        "from kotacerdas.roads.roughness import default_calibration\n"
        "read = import_survey(path)\n"
        "process_survey(read.streams, default_calibration('uji'))\n"
        "note = read.report.excluded\n",
    ),
    "profile": (malformed.profile_files, "from kotacerdas.roads.iri import read_profile\nread_profile(path).iri()\n"),
    "reference": (
        lambda: malformed.reference_files() + malformed.profile_files(),
        "from kotacerdas.roads.services.vehicles import load_reference\nload_reference(path)\n",
    ),
    "osm": (malformed.osm_files, "from kotacerdas.network.osm import import_osm\nnote = import_osm(path).excluded\n"),
    "areas": (
        malformed.geojson_areas,
        "from kotacerdas.core.admin_areas import read_areas\nread_areas(path.read_bytes(), '35.10')\n",
    ),
    "stations": (
        lambda: malformed.station_csvs() + malformed.geojson_stations(),
        "from kotacerdas.bikes.services.stations import parse_stations\nparse_stations(path.read_bytes(), path.name)\n",
    ),
    "ascn": (
        malformed.spreadsheet_files,
        "from kotacerdas.ascn.formats.spreadsheet import read\nread(path.read_bytes(), path.name, 'partners')\n",
    ),
    "lorong": (
        malformed.spreadsheet_files,
        "from kotacerdas.lorong.formats.sheets import read_sheet\nread_sheet(path.read_bytes(), path.name)\n",
    ),
    "documents": (
        malformed.image_files,
        "from kotacerdas.ascn.formats.documents import sniff\nsniff(path)\n",
    ),
}

#: Files a reader accepts: what it leaves out is counted (``note``), or a later step refuses them.
ACCEPTED = {
    "survey": {"a GPS speed of inf", "a GPX speed of inf"},  # the speed becomes unknown, counted as bad_speed
    "osm": {"a latitude of 1e308", "a way without its nodes", "an extract of another city"},  # counted; city check
    # parsed rows; each is checked as it is stored (tests/test_malformed.py)
    "stations": {name for name, _f, _d in malformed.station_csvs() + malformed.geojson_stations()}
    - {name for name, _f, _d in malformed.generic(".csv")}
    - {"missing columns", "a 3 MB line", "features not a list", "a feature that is null", "properties not an object"}
    | {"empty"},
    "ascn": {"deep json"},  # a CSV of one column of brackets: refused by its header when imported
    "lorong": {"deep json"},
    "documents": {"a 60,000 x 60,000 PNG", "a truncated PNG"},  # stored as sent, never decoded
}

_RUNNER = """
import json, resource, sys, traceback
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from kotacerdas.core.errors import KotacerdasError
for line in sys.stdin:
    name, file = json.loads(line)
    path = Path(file)
    note = None
    try:
{body}
        out = {{"case": name, "outcome": "accepted", "note": note}}
    except KotacerdasError as exc:
        out = {{"case": name, "outcome": "refused", "message": exc.render("en")}}
    except BaseException as exc:
        out = {{"case": name, "outcome": "crash", "message": repr(exc)[:300]}}
    print(json.dumps(out, default=str), flush=True)
"""


def run_reader(reader: str, tmp_path: Path) -> list[dict]:
    """Run one reader on its corpus in a memory-limited subprocess; one outcome per file."""
    corpus, code = READERS[reader]
    lines = []
    for k, (name, filename, data) in enumerate(corpus()):
        path = tmp_path / f"{k}-{filename}"
        path.write_bytes(data)
        lines.append(json.dumps([name, str(path)]))
    body = "\n".join("        " + line for line in code.strip().splitlines())
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER.format(limit=LIMIT, body=body)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_refuses_the_malformed_corpus_within_a_memory_bound(reader, tmp_path):
    outcomes = run_reader(reader, tmp_path)
    assert len(outcomes) == len(READERS[reader][0]())
    crashed = [o for o in outcomes if o["outcome"] == "crash"]
    assert not crashed, crashed
    accepted = {o["case"] for o in outcomes if o["outcome"] == "accepted"}
    assert accepted <= ACCEPTED.get(reader, set()), sorted(accepted - ACCEPTED.get(reader, set()))
    for o in outcomes:
        if o["outcome"] == "refused":
            assert o["message"].strip() and "Traceback" not in o["message"]


def test_a_reader_past_the_bound_is_caught(tmp_path):
    """The bound is real: a reader that allocates 2 GiB is reported as a crash, not passed."""
    READERS["_greedy"] = (lambda: [("greedy", "g.bin", b"x")], "bytearray(2 << 30)\n")
    try:
        (outcome,) = run_reader("_greedy", tmp_path)
    finally:
        del READERS["_greedy"]
    assert outcome["outcome"] == "crash" and "MemoryError" in outcome["message"]
