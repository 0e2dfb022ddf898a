#!/usr/bin/env python3
"""OpenFace 3.0's per-frame RetinaFace → STAR path in Python, landmarks of every frame as CSV.

Uses the functions of the shared reference script (`$FACEMIRROR_SHARED/bench/of3_reference.py`:
OpenFace's own pre- and post-processing in numpy/OpenCV, ONNX Runtime CPU): each frame's best
detection (score ≥ 0.5) and STAR's 98 points on it. Frames are read with OpenCV, as OpenFace reads
them. For a parity test of facemirror's `--raw` output on a lossless video (FFV1, bgr0), where both
decode the very same pixels.

Usage: star_reference.py VIDEO DETECTOR.onnx STAR.onnx OUT.csv
Needs the packages of `$FACEMIRROR_SHARED/bench/requirements.txt`.
"""
import csv
import os
import sys

shared = os.environ.get("FACEMIRROR_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
sys.path.insert(0, os.path.join(shared, "bench"))
import cv2  # noqa: E402
import of3_reference as ref  # noqa: E402


def main():
    video, detector, landmarks, out = sys.argv[1:5]
    det_s, star_s = ref.session(detector, 1), ref.session(landmarks, 1)
    cap = cv2.VideoCapture(video)
    rows = []
    n = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        dets = ref.detect(det_s, frame)
        row = [n]
        if len(dets) and dets[0][4] >= 0.5:
            pts = ref.star(star_s, frame, dets[0])
            row += [1] + [f"{v:.6f}" for v in pts[:, 0]] + [f"{v:.6f}" for v in pts[:, 1]]
        else:
            row += [0] + ["nan"] * 196
        rows.append(row)
        n += 1
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["frame", "success"] + [f"x_{i}" for i in range(98)] + [f"y_{i}" for i in range(98)])
        w.writerows(rows)


if __name__ == "__main__":
    main()
