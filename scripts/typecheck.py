"""Type checking with a baseline that only shrinks.

    python scripts/typecheck.py           # mypy over src/; fails on any error not in the baseline
    python scripts/typecheck.py --update  # after fixing errors: write the smaller baseline (never a larger one)

The baseline (``scripts/mypy-baseline.json``) counts the errors mypy still reports per file and error code, so line
numbers may move freely; a new error (a new file, a new code, or one more of an old code) fails, and fixing errors
is rewarded with a prompt to shrink the baseline. ``--update`` refuses to grow it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "mypy-baseline.json"
LINE = re.compile(r"^(?P<file>[^:]+):\d+(?::\d+)?: error: .*\[(?P<code>[a-z0-9-]+)\]$")


def current() -> Counter[str]:
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context", "--no-pretty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode not in (0, 1):
        print(out.stdout + out.stderr, file=sys.stderr)
        raise SystemExit(f"mypy failed to run (exit {out.returncode})")
    counts: Counter[str] = Counter()
    for line in out.stdout.splitlines():
        m = LINE.match(line.strip())
        if m:
            counts[f"{m['file']}::{m['code']}"] += 1
    return counts


def main() -> int:
    counts = current()
    baseline = Counter(json.loads(BASELINE.read_text())) if BASELINE.exists() else Counter()
    worse = {k: (baseline.get(k, 0), v) for k, v in counts.items() if v > baseline.get(k, 0)}
    better = {k: (v, counts.get(k, 0)) for k, v in baseline.items() if counts.get(k, 0) < v}
    if "--update" in sys.argv:
        if worse and BASELINE.exists():
            print(
                "refusing to grow the baseline:",
                *(f"  {k}: {a} -> {b}" for k, (a, b) in sorted(worse.items())),
                sep="\n",
            )
            return 1
        BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n")
        print(f"baseline: {sum(counts.values())} errors in {len({k.split('::')[0] for k in counts})} files")
        return 0
    if worse:
        print("new type errors (fix them; the baseline only shrinks):")
        for k, (a, b) in sorted(worse.items()):
            print(f"  {k}: {a} -> {b}")
        subprocess.run([sys.executable, "-m", "mypy", *sorted({k.split("::")[0] for k in worse})], cwd=ROOT)
        return 1
    total, was = sum(counts.values()), sum(baseline.values())
    print(f"type check: {total} known errors (baseline {was}), none new")
    if better:
        print("fewer errors than the baseline: run `python scripts/typecheck.py --update` to shrink it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
