"""Road damage detection: one detector interface over three runtimes (ONNX, TFLite, OpenCV DNN for Darknet).

* :mod:`.boxes`: letterbox, the YOLO output layouts (v5, v8/v11, Darknet/Yolo-Fastest, end-to-end), NMS;
* :mod:`.runtimes`: onnxruntime, the LiteRT interpreter (de-quantisation of INT8 models), OpenCV DNN;
* :mod:`.detector`: :class:`Detector` (``detect(image)`` → :class:`Detection` with the damage code) and
  :func:`load_detector` from a model manifest (:mod:`kotacerdas.roads.models`).
"""

from kotacerdas.roads.detection.detector import Detection, Detector, load_detector

__all__ = ["Detection", "Detector", "load_detector"]
