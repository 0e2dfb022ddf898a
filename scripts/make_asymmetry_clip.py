#!/usr/bin/env python3
"""Makes a clip with a known facial asymmetry from Debian's face photo, for the asymmetry tests.

The photo (grace_hopper.jpg) is placed on a grey 1280x720 canvas as in make_sample.py, rotated about
its centre (256, 300) by a roll that swings smoothly between -ROLL and +ROLL degrees:
    roll(n) = ROLL * sin(2*pi*n / (N - 1))                   (positive = counter-clockwise on screen)
and before that, in the photo, the patient's left mouth corner (the image-right one, at photo pixel
(302.7, 275.4), where dlib's 68-point model puts it) is lifted by a local warp:
    lift(n) = LIFT * sin(pi*n / (N - 1))**2                  pixels, 0 at both ends, LIFT mid-clip
    a photo point p moves up by lift(n) * exp(-|p - corner|^2 / (2 * 14^2))
so the corner itself rises by lift(n) and the rest of the face (the other corner is 70 px away) does
not move. Frames: 30000/1001 fps, libx264 CRF 16. <out>_frames.csv lists frame, lift_px, roll_deg.

Usage: make_asymmetry_clip.py PHOTO OUT.mp4 LIFT_PX ROLL_DEG FRAMES
"""
import math
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_sample import FPS_DEN, FPS_NUM, H, W, read_photo, sample_bilinear  # noqa: E402

CORNER = (302.7, 275.4)
SIGMA = 14.0


def frame(photo, lift, roll):
    r = math.radians(roll)
    c, s = math.cos(r), math.sin(r)
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float64)
    # Inverse of: x' = c(x-256) + s(y-300) + W/2, y' = -s(x-256) + c(y-300) + H/2.
    dx, dy = xs - W / 2, ys - H / 2
    px = c * dx - s * dy + 256
    py = s * dx + c * dy + 300
    # The lifted photo at p shows the original photo at p + (0, displacement): content moves up.
    weight = np.exp(-((px - CORNER[0]) ** 2 + (py - CORNER[1]) ** 2) / (2 * SIGMA ** 2))
    return sample_bilinear(photo, px, py + lift * weight)


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    photo_path, out = sys.argv[1], sys.argv[2]
    lift_max, roll_max, n_frames = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    photo = read_photo(photo_path)
    tmp = out + ".partial.mp4"
    enc = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-y",
         "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{W}x{H}", "-framerate", f"{FPS_NUM}/{FPS_DEN}", "-i", "-",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p", "-f", "mp4", tmp],
        stdin=subprocess.PIPE)
    rows = ["frame,lift_px,roll_deg"]
    for n in range(n_frames):
        t = n / max(1, n_frames - 1)
        lift = lift_max * math.sin(math.pi * t) ** 2
        roll = roll_max * math.sin(2 * math.pi * t)
        enc.stdin.write(frame(photo, lift, roll).tobytes())
        rows.append(f"{n},{lift:.6f},{roll:.6f}")
    enc.stdin.close()
    if enc.wait() != 0:
        sys.exit("ffmpeg failed")
    with open(os.path.splitext(out)[0] + "_frames.csv", "w") as f:
        f.write("\n".join(rows) + "\n")
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
