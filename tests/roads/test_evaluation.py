"""Scoring a detector: IoU and greedy matching, the challenge F1 with at most five boxes per image, per-class figures,
VOC average precision against a hand-computed value, the submission CSV, the YOLO and VOC readers (bad lines named);
on the real RDD2022 samples, YOLO and VOC labels score the same with a real model."""

from __future__ import annotations

import json
import shutil

import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.evaluation import (
    Box,
    average_precision,
    evaluate,
    iou,
    read_submission,
    read_voc,
    read_yolo_labels,
    submission_csv,
    write_voc,
)


def test_iou():
    assert iou(Box("D40", 0, 0, 10, 10), Box("D40", 5, 0, 15, 10)) == pytest.approx(50 / 150)
    assert iou(Box("D40", 0, 0, 10, 10), Box("D40", 20, 20, 30, 30)) == 0.0


def test_challenge_f1_counts_five_boxes_per_image_and_the_class():
    truth = [Box("D40", 0, 0, 100, 100), Box("D00", 200, 0, 220, 100)]
    preds = [
        Box("D40", 0, 0, 100, 90, 0.9),  # TP (IoU 0.9)
        Box("D10", 200, 0, 220, 100, 0.8),  # right place, wrong class: FP, and D00 is missed
        Box("D40", 0, 0, 100, 95, 0.7),  # duplicate: FP
        *(Box("D20", 500 + k, 0, 510 + k, 10, 0.6) for k in range(3)),  # FP, FP, and a sixth box left out
    ]
    r = evaluate([(preds, truth)])
    assert (r.tp, r.fp, r.fn) == (1, 4, 1)
    assert r.precision == pytest.approx(0.2) and r.recall == pytest.approx(0.5)
    assert r.f1 == pytest.approx(2 * 0.2 * 0.5 / 0.7)
    assert r.per_class["D40"].as_dict()["precision"] == 0.5 and r.per_class["D00"].fn == 1
    out = r.as_dict()
    assert set(out) >= {"f1", "precision", "recall", "map50", "per_class"} and set(out["per_class"]) == {
        "D00",
        "D10",
        "D20",
        "D40",
    }


def test_average_precision_by_hand():
    # 3 ground truths; ranked TP, FP, TP, TP -> precision 1, 1/2, 2/3, 3/4 at recall 1/3, 1/3, 2/3, 1
    # monotone precision: 1 up to recall 1/3, then 0.75 -> AP = 1/3 * 1 + 2/3 * 0.75 = 0.8333
    assert average_precision([0.9, 0.8, 0.7, 0.6], [True, False, True, True], 3) == pytest.approx(0.8333, abs=1e-4)


def test_submission_round_trip():
    text = submission_csv([("a.jpg", [Box("D40", 1.4, 2.6, 30, 40, 0.9), Box("D43", 0, 0, 1, 1, 0.99)]), ("b.jpg", [])])
    assert text.splitlines() == ["ImageId,PredictionString", "a.jpg,4 1 3 30 40", "b.jpg,"]
    back = read_submission(text)
    assert back["a.jpg"][0].code == "D40" and back["b.jpg"] == []


def test_label_readers_name_the_bad_line(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("3 0.5 0.5 0.2 0.1\n\n0 0.1 0.1 0.1 0.1\n")
    boxes = read_yolo_labels(good, 600, 600)
    assert [b.code for b in boxes] == ["D40", "D00"] and boxes[0].x1 == pytest.approx(240)
    bad = tmp_path / "b.txt"
    bad.write_text("3 0.5 0.5 0.2 0.1\n9 0.5 0.5 0.2 0.1\n")
    with pytest.raises(RoadsError, match="b.txt line 2"):
        read_yolo_labels(bad, 600, 600)
    broken = tmp_path / "c.xml"
    broken.write_text("<annotation><object><name>D40</name>")
    with pytest.raises(RoadsError, match="c.xml"):
        read_voc(broken)
    path = write_voc(tmp_path / "d.xml", "d.jpg", 600, 400, boxes)
    back, size = read_voc(path)
    assert size == (600, 400) and [b.code for b in back] == ["D40", "D00"] and back[0].x1 == 240


def test_rdd2022_samples_score_the_same_as_yolo_and_voc(shared_dir, models_dir, tmp_path):
    import cv2

    from kotacerdas.roads.detection import load_detector
    from kotacerdas.roads.evaluation import evaluate_folder
    from kotacerdas.roads.models import get_model
    from tests.roads.camera import SAMPLES

    images, labels = shared_dir / SAMPLES / "images", shared_dir / SAMPLES / "labels"
    voc = tmp_path / "voc"
    voc.mkdir()
    for img in sorted(images.glob("*.jpg")):
        h, w = cv2.imread(str(img)).shape[:2]
        write_voc(voc / f"{img.stem}.xml", img.name, w, h, read_yolo_labels(labels / f"{img.stem}.txt", w, h))
    detector = load_detector(get_model(models_dir, "rdd-fastest"))
    a = evaluate_folder(detector, images, labels).evaluation.as_dict()
    b = evaluate_folder(detector, images, voc).evaluation.as_dict()
    assert a == b and a["images"] == 10
    assert sum(c["ground_truth"] for c in a["per_class"].values()) == 11
    assert 0 < a["f1"] <= 1 and a["map50"] is not None
    # an unreadable image in the set is named
    broken = tmp_path / "broken"
    shutil.copytree(images, broken)
    (broken / "zz_truncated.jpg").write_bytes((images / "Japan_001608.jpg").read_bytes()[:200])
    with pytest.raises(RoadsError, match="zz_truncated.jpg"):
        evaluate_folder(detector, broken, labels)


def test_eval_command(shared_dir, models_dir, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kotacerdas.roads.cli import cli
    from tests.roads.camera import SAMPLES

    monkeypatch.setenv("KOTACERDAS_DATA_DIR", str(models_dir))
    from kotacerdas.core.config import get_settings

    get_settings.cache_clear()
    sub = tmp_path / "submission.csv"
    args = ["eval", "--images", str(shared_dir / SAMPLES / "images"), "--labels", str(shared_dir / SAMPLES / "labels")]
    r = CliRunner().invoke(cli, [*args, "--model", "pothole", "--json", "--submission", str(sub)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output[r.output.index("{") :])
    assert set(out["per_class"]) == {"D00", "D10", "D20", "D40"} and out["per_class"]["D10"]["tp"] == 0
    rows = sub.read_text().splitlines()
    assert rows[0] == "ImageId,PredictionString" and len(rows) == 11
    assert all(
        g.split()[0] == "4"
        for r_ in rows[1:]
        for g in [" ".join(r_.split(",")[1].split()[k : k + 5]) for k in range(0, len(r_.split(",")[1].split()), 5)]
        if g
    )
    table = CliRunner().invoke(cli, [*args, "--model", "pothole"])
    assert "mAP@0.5" in table.output and "D40" in table.output
    missing = CliRunner().invoke(cli, [*args, "--model", "nope"])
    assert missing.exit_code == 2 and "nope" in missing.output
