"""The F1 and mAP@0.5 of each real model in ``../shared/models`` on the ten RDD2022 sample images (``../shared``).

Each model (the one-class pothole YOLOv5n INT8 TFLite, the 8-class RDD2018 Yolo-Fastest Darknet) is installed from
``../shared/models`` (checksums verified) and scored with :func:`kotacerdas.roads.evaluation.evaluate_folder`, what
``kotacerdas roads eval`` runs: the road damage challenge's F1 (IoU >= 0.5, the class matching, five boxes per image),
precision and recall over D00/D10/D20/D40, per class, and mAP@0.5; the milliseconds per image on 2 threads too.

Context, not a comparison: the published winners of the Global Road Damage Detection Challenge reached an F1 of
about 0.67 (2020, test set of Japan, India and Czech images) and 0.76 (2022, the six-country RDD2022 test set),
with large ensembles trained on those datasets; ten images score nothing reliably, and the pothole model knows
only D40. The baseline in this script is the *label-free* one: predicting every image's most frequent class over
the whole image (what a model that learned nothing scores).

Run: ``.venv/bin/python bench/damage_models.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "data" / "roads" / "rdd2022-samples"
PUBLISHED = {"GRDDC 2020 best F1": 0.67, "GRDDC 2022 best F1": 0.76}


def main() -> int:
    if not (SHARED / "models").is_dir() or not SAMPLES.is_dir():
        print("../shared is absent: nothing measured")
        return 0
    import cv2

    from kotacerdas.roads.detection import load_detector
    from kotacerdas.roads.evaluation import Box, evaluate, evaluate_folder, image_files, read_yolo_labels
    from kotacerdas.roads.models import install_model

    cv2.setNumThreads(2)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kc-bench-models-") as tmp:
        for folder, name in (("pothole-yolov5n-int8", "pothole"), ("road-damage-yolo-fastest-320", "rdd-fastest")):
            manifest = install_model(SHARED / "models" / folder, name, tmp)
            detector = load_detector(manifest, threads=2)
            t = time.perf_counter()
            scored = evaluate_folder(detector, SAMPLES / "images", SAMPLES / "labels")
            ms = 1000 * (time.perf_counter() - t) / scored.evaluation.images
            rows.append((f"{name} ({manifest.runtime}, {', '.join(manifest.codes)})", scored.evaluation, ms))
    # the label-free baseline: the most frequent class as one box over each whole image
    items = []
    for img in image_files(SAMPLES / "images"):
        h, w = cv2.imread(str(img)).shape[:2]
        truth = read_yolo_labels(SAMPLES / "labels" / f"{img.stem}.txt", w, h)
        items.append(([Box("D00", 0, 0, w, h, 1.0)], truth))
    rows.append(("baseline: D00 over the whole image", evaluate(items), 0.0))
    print(f"{'model':<52}{'F1':>7}{'P':>7}{'R':>7}{'mAP50':>8}{'ms/img':>8}")
    for label, e, ms in rows:
        m = "–" if e.map50 is None else f"{e.map50:.3f}"
        print(f"{label:<52}{e.f1:>7.3f}{e.precision:>7.3f}{e.recall:>7.3f}{m:>8}{ms:>8.1f}")
    print("\nper class (F1 / AP50):")
    for label, e, _ms in rows[:2]:
        parts = [f"{c} {s.f1:.2f}/{(s.ap50 or 0):.2f}" for c, s in e.per_class.items()]
        print(f"  {label.split(' ')[0]:<14}" + "   ".join(parts))
    print(
        "\ncontext: "
        + ", ".join(f"{k} {v:.2f}" for k, v in PUBLISHED.items())
        + " (ensembles on the full test sets; 10 sample images here)"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
