#!/usr/bin/env python3
"""Makes facemirror's bundled sample clip from Debian's real face photo.

The photo (grace_hopper.jpg, 512 wide, 600 high, centre (256, 300)) is placed on a grey (128)
1280x720 canvas by a known affine map per frame, so tests can predict where every landmark goes.

For frame n of N (N = 60, 30000/1001 fps, pts of frame n = n * 1001/30000 s):
    angle a(n) = -8 + 16 * n / (N - 1) degrees, positive = counter-clockwise on screen (y axis down)
    tx(n) = 40 * sin(2*pi*n / N),  ty(n) = 20 * sin(4*pi*n / N)   pixels
    photo pixel (x, y) -> frame pixel (x', y'):
        x' =  cos(a) * (x - 256) + sin(a) * (y - 300) + 640 + tx
        y' = -sin(a) * (x - 256) + cos(a) * (y - 300) + 360 + ty
(pixel centres at integer coordinates; the same convention as OpenCV's getRotationMatrix2D).
Frames are sampled bilinearly and encoded with libx264 (yuv420p, CRF 18); a 440 Hz tone is the
AAC audio track. The per-frame matrices go to <out>_frames.csv (frame, pts_time_s, angle_deg_ccw,
tx, ty, m00, m01, m02, m10, m11, m12).

Usage: make_sample.py PHOTO OUT.mp4
"""
import math
import os
import subprocess
import sys

import numpy as np

W, H, N = 1280, 720, 60
FPS_NUM, FPS_DEN = 30000, 1001


def transform(n):
    a = -8.0 + 16.0 * n / (N - 1)
    tx = 40.0 * math.sin(2 * math.pi * n / N)
    ty = 20.0 * math.sin(4 * math.pi * n / N)
    r = math.radians(a)
    c, s = math.cos(r), math.sin(r)
    m = [c, s, -c * 256 - s * 300 + W / 2 + tx,
         -s, c, s * 256 - c * 300 + H / 2 + ty]
    return a, tx, ty, m


def read_photo(path):
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", path],
                           check=True, capture_output=True, text=True).stdout.strip().split(",")
    w, h = int(probe[0]), int(probe[1])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(h, w, 3).astype(np.float32)


def warp(photo, m):
    """Bilinear inverse mapping of every frame pixel into the photo; outside = grey 128."""
    a = np.array([[m[0], m[1]], [m[3], m[4]]])
    inv = np.linalg.inv(a)
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float64)
    dx, dy = xs - m[2], ys - m[5]
    sx = inv[0, 0] * dx + inv[0, 1] * dy
    sy = inv[1, 0] * dx + inv[1, 1] * dy
    return sample_bilinear(photo, sx, sy)


def sample_bilinear(photo, sx, sy):
    """The photo at photo coordinates (sx, sy) (arrays of the frame's shape), bilinear; outside = grey 128."""
    ph, pw = photo.shape[:2]
    padded = np.full((ph + 2, pw + 2, 3), 128, np.float32)
    padded[1:-1, 1:-1] = photo
    sx, sy = sx + 1, sy + 1
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = (sx - x0)[..., None], (sy - y0)[..., None]
    inside = (x0 >= 0) & (y0 >= 0) & (x0 < pw + 1) & (y0 < ph + 1)
    x0 = np.clip(x0, 0, pw).astype(np.int64)
    y0 = np.clip(y0, 0, ph).astype(np.int64)
    p = (padded[y0, x0] * (1 - fx) * (1 - fy) + padded[y0, x0 + 1] * fx * (1 - fy)
         + padded[y0 + 1, x0] * (1 - fx) * fy + padded[y0 + 1, x0 + 1] * fx * fy)
    p[~inside] = 128
    return np.clip(np.rint(p), 0, 255).astype(np.uint8)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    photo_path, out = sys.argv[1], sys.argv[2]
    photo = read_photo(photo_path)
    tmp = out + ".partial.mp4"
    duration = N * FPS_DEN / FPS_NUM
    enc = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-y",
         "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{W}x{H}", "-framerate", f"{FPS_NUM}/{FPS_DEN}", "-i", "-",
         "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={duration:.4f}",
         "-map", "0:v", "-map", "1:a",
         "-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p", "-g", "30", "-bf", "2",
         "-c:a", "aac", "-b:a", "96k", "-ac", "1", "-movflags", "+faststart", "-f", "mp4", tmp],
        stdin=subprocess.PIPE)
    rows = ["frame,pts_time_s,angle_deg_ccw,tx,ty,m00,m01,m02,m10,m11,m12"]
    for n in range(N):
        a, tx, ty, m = transform(n)
        enc.stdin.write(warp(photo, m).tobytes())
        rows.append(",".join([str(n), f"{n * FPS_DEN / FPS_NUM:.6f}", f"{a:.6f}", f"{tx:.6f}", f"{ty:.6f}"]
                             + [f"{v:.9f}" for v in m]))
    enc.stdin.close()
    if enc.wait() != 0:
        sys.exit("ffmpeg failed")
    csv_path = os.path.splitext(out)[0] + "_frames.csv"
    with open(csv_path + ".partial", "w") as f:
        f.write("\n".join(rows) + "\n")
    os.replace(csv_path + ".partial", csv_path)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
