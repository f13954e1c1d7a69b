"""The three model runtimes behind one small interface: ONNX (onnxruntime), TFLite (LiteRT), Darknet (OpenCV DNN).

Each runtime takes the model's input image (``size`` × ``size`` RGB, uint8) and answers the raw output tables
(de-quantised to float32). They differ in what the model wants:

* :class:`OnnxRuntime`: float32 ``NCHW`` (or ``NHWC``) scaled to 0–1; onnxruntime's CPU provider;
* :class:`TfliteRuntime`: ``NHWC`` float32, or quantised uint8/int8 with the input's scale and zero point
  (``q = x / 255 / scale + zero_point``); outputs de-quantised with theirs (``(q - zero_point) × scale``);
* :class:`DarknetRuntime`: OpenCV 4.x's Darknet reader (OpenCV 5 dropped it) and every ``[yolo]`` output layer,
  concatenated.

The libraries are imported when a model is loaded, never at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError


class Runtime(Protocol):
    """Runs a model on one input image."""

    def run(self, image_rgb: np.ndarray) -> list[np.ndarray]:
        """The model's outputs (float32) for a ``size`` × ``size`` × 3 RGB uint8 image."""
        ...


def _load_error(model: str, reason: object) -> RoadsError:
    return RoadsError(
        N_("model {model} cannot be loaded: {reason}"), field="model", model=model, reason=str(reason)[:300]
    )


class OnnxRuntime:
    """An ONNX model on onnxruntime's CPU provider."""

    def __init__(self, path: Path, *, threads: int = 1, name: str = "") -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own, undocumented exception types
            raise _load_error(name or path.name, exc) from None
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        shape = list(inp.shape)
        self.nchw = len(shape) == 4 and shape[1] == 3
        self.half = "float16" in inp.type

    def run(self, image_rgb: np.ndarray) -> list[np.ndarray]:
        x = image_rgb.astype(np.float32) / 255.0
        x = x.transpose(2, 0, 1)[None] if self.nchw else x[None]
        if self.half:
            x = x.astype(np.float16)
        return [np.asarray(o, dtype=np.float32) for o in self.session.run(None, {self.input_name: x})]


class TfliteRuntime:
    """A TFLite model on the LiteRT interpreter (XNNPACK), float or quantised."""

    def __init__(self, path: Path, *, threads: int = 1, name: str = "") -> None:
        from ai_edge_litert.interpreter import Interpreter

        try:
            self.interpreter = Interpreter(model_path=str(path), num_threads=threads)
            self.interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise _load_error(name or path.name, exc) from None
        self.input = self.interpreter.get_input_details()[0]
        self.outputs = self.interpreter.get_output_details()

    def quantise(self, image_rgb: np.ndarray) -> np.ndarray:
        """The input tensor for an RGB uint8 image, quantised as the model's input wants."""
        dtype = self.input["dtype"]
        scale, zero = self.input["quantization"]
        if dtype == np.float32 or not scale:
            return (image_rgb.astype(np.float32) / 255.0)[None].astype(dtype)
        info = np.iinfo(dtype)
        q = np.round(image_rgb.astype(np.float32) / 255.0 / scale + zero)
        return np.clip(q, info.min, info.max).astype(dtype)[None]

    def run(self, image_rgb: np.ndarray) -> list[np.ndarray]:
        self.interpreter.set_tensor(self.input["index"], self.quantise(image_rgb))
        self.interpreter.invoke()
        out = []
        for d in self.outputs:
            y = self.interpreter.get_tensor(d["index"])
            scale, zero = d["quantization"]
            y = (y.astype(np.float32) - zero) * scale if scale else y.astype(np.float32)
            out.append(y)
        return out


class DarknetRuntime:
    """A Darknet model (``.cfg`` + ``.weights``) on OpenCV's DNN module."""

    def __init__(self, config: Path, weights: Path, *, threads: int = 1, name: str = "") -> None:
        import cv2

        cv2.setNumThreads(threads)
        try:
            self.net = cv2.dnn.readNetFromDarknet(str(config), str(weights))
        except cv2.error as exc:
            raise _load_error(name or weights.name, exc) from None
        self.net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        self.net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        self.names = self.net.getUnconnectedOutLayersNames()

    def run(self, image_rgb: np.ndarray) -> list[np.ndarray]:
        import cv2

        blob = cv2.dnn.blobFromImage(image_rgb, 1 / 255.0, swapRB=False, crop=False)
        self.net.setInput(blob)
        outs = self.net.forward(self.names)
        return [np.concatenate([np.asarray(o, dtype=np.float32).reshape(-1, o.shape[-1]) for o in outs])]
