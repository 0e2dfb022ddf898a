#!/usr/bin/env python3
"""How far each landmark smoothing is from where the face really is, on the bundled sample.

The sample (scripts/fixtures/make_sample.py) is one photo moved by a known rotation and translation per frame
(<sample>_frames.csv). The truth for a landmark is its photo position moved by each frame's
transform; its photo position is the median, over the frames of the unsmoothed run, of that frame's
fit mapped back into the photo (so the per-frame fit noise averages out and no smoothing is
assumed). Prints, per landmark CSV: median and max distance to the truth over all landmarks, and for
the glabella and the chin; with --still, the frame-to-frame jitter (median movement of a landmark
between consecutive frames) instead.

Usage: smoothing_accuracy.py FRAMES_CSV NONE_CSV [OTHER_CSV ...]
       smoothing_accuracy.py --still CSV [CSV ...]
"""
import csv
import statistics
import sys


def read_landmarks(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    n = sum(1 for k in rows[0] if k.startswith('x_'))
    pts = [[(float(r[f'x_{i}']), float(r[f'y_{i}'])) for i in range(n)] for r in rows]
    mid = [((float(r['glabella_x']), float(r['glabella_y'])), (float(r['chin_x']), float(r['chin_y']))) for r in rows]
    return pts, mid


def read_transforms(path):
    with open(path) as f:
        return [[float(r[k]) for k in ('m00', 'm01', 'm02', 'm10', 'm11', 'm12')] for r in csv.DictReader(f)]


def apply(m, p):
    return (m[0] * p[0] + m[1] * p[1] + m[2], m[3] * p[0] + m[4] * p[1] + m[5])


def invert(m):
    det = m[0] * m[4] - m[1] * m[3]
    a, b, c, d = m[4] / det, -m[1] / det, -m[3] / det, m[0] / det
    return [a, b, -(a * m[2] + b * m[5]), c, d, -(c * m[2] + d * m[5])]


def dist(p, q):
    return ((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5


def photo_points(points, transforms):
    """Per landmark: the median over frames of the fit mapped back into the photo."""
    back = [invert(m) for m in transforms]
    out = []
    for i in range(len(points[0])):
        mapped = [apply(back[n], points[n][i]) for n in range(len(points))]
        out.append((statistics.median(p[0] for p in mapped), statistics.median(p[1] for p in mapped)))
    return out


def main():
    args = sys.argv[1:]
    if args and args[0] == '--still':
        for path in args[1:]:
            pts, _ = read_landmarks(path)
            moves = [dist(pts[n][i], pts[n - 1][i]) for n in range(1, len(pts)) for i in range(len(pts[0]))]
            print(f'{path}: frame-to-frame jitter median {statistics.median(moves):.3f} px, mean {statistics.mean(moves):.3f} px')
        return 0
    transforms = read_transforms(args[0])
    truth_pts, truth_mid = read_landmarks(args[1])
    photo = photo_points(truth_pts, transforms)
    glabella = (statistics.median(apply(invert(transforms[n]), truth_mid[n][0])[0] for n in range(len(transforms))),
                statistics.median(apply(invert(transforms[n]), truth_mid[n][0])[1] for n in range(len(transforms))))
    chin = (statistics.median(apply(invert(transforms[n]), truth_mid[n][1])[0] for n in range(len(transforms))),
            statistics.median(apply(invert(transforms[n]), truth_mid[n][1])[1] for n in range(len(transforms))))
    for path in args[1:]:
        pts, mid = read_landmarks(path)
        errors = [dist(pts[n][i], apply(transforms[n], photo[i])) for n in range(len(pts)) for i in range(len(photo))]
        g = [dist(mid[n][0], apply(transforms[n], glabella)) for n in range(len(pts))]
        c = [dist(mid[n][1], apply(transforms[n], chin)) for n in range(len(pts))]
        print(f'{path}: all landmarks median {statistics.median(errors):.2f} px, max {max(errors):.2f}; '
              f'glabella median {statistics.median(g):.2f}, max {max(g):.2f}; chin median {statistics.median(c):.2f}, max {max(c):.2f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
