#!/usr/bin/env python3
"""Writes OpenFace 3.0's three checkpoint files with RANDOM weights, in the official files' formats, for
testing scripts/export_openface3.py where the trained weights cannot be downloaded.

    python scripts/random_openface3_checkpoints.py OUT_DIR [--image FACE.jpg]

Formats, as OpenFace 3.0's loaders read them (openface-test 0.1.26):
  Alignment_RetinaFace.pth  torch.save(state_dict) of RetinaFace(cfg_mnet) trained under DataParallel,
                            so every key starts with 'module.' (Pytorch_Retinaface's load_model strips it)
  Landmark_98.pkl           STAR's training checkpoint (STAR/lib/utility.py save_model): a dict with
                            'net', 'net_ema', 'optimizer', 'scheduler', 'epoch'; OpenFace loads 'net'
  MTL_backbone.pth          torch.save(MTL().state_dict())
Weights: torch.manual_seed(0) before each constructor, default initialisation; BatchNorm statistics are
then calibrated on the photo (cumulative average over jittered crops) so that activations stay in a
natural range, as for the shared replicas. The outputs mean nothing.
"""
import argparse
import os
from argparse import Namespace

import cv2
import numpy as np
import torch


def calibrate_batchnorm(net, batches):
    bns = [m for m in net.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    net.eval()
    for m in bns:
        m.train()
    with torch.no_grad():
        for x in batches:
            net(x)
    net.eval()


def crops(image, size, count, rng):
    h, w = image.shape[:2]
    out = []
    for _ in range(count):
        side = int(min(h, w) * rng.uniform(0.6, 0.95))
        y, x = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
        patch = cv2.resize(image[y:y + side, x:x + side], (size, size), interpolation=cv2.INTER_AREA)
        if rng.uniform() < 0.5:
            patch = patch[:, ::-1]
        out.append(patch)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--image", default="/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg")
    args = parser.parse_args()
    image = cv2.imread(args.image, cv2.IMREAD_COLOR)
    if image is None:
        parser.error(f"cannot read {args.image}")
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(0)

    from openface.Pytorch_Retinaface.data import cfg_mnet
    from openface.Pytorch_Retinaface.models.retinaface import RetinaFace
    torch.manual_seed(0)
    retina = RetinaFace(cfg=dict(cfg_mnet, pretrain=False), phase="test")
    batches = []
    for scale in (0.8, 1.0):
        img = cv2.resize(image, None, fx=scale, fy=scale).astype(np.float32) - np.array((104, 117, 123), np.float32)
        batches.append(torch.from_numpy(img.transpose(2, 0, 1)[None].copy()))
    calibrate_batchnorm(retina, batches)
    torch.save({"module." + k: v for k, v in retina.state_dict().items()},
               os.path.join(args.out, "Alignment_RetinaFace.pth"))

    from openface.STAR.lib import utility
    config = utility.get_config(Namespace(config_name="alignment"))
    torch.manual_seed(0)
    star = utility.get_net(config)
    batch = np.stack([c.astype(np.float32) / 255 * 2 - 1 for c in crops(image, 256, 8, rng)]).transpose(0, 3, 1, 2)
    calibrate_batchnorm(star, [torch.from_numpy(batch.copy())])
    optimizer = torch.optim.Adam(star.parameters(), lr=config.learn_rate, betas=config.betas, weight_decay=config.weight_decay)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=config.milestones, gamma=config.gamma)
    torch.save({"net": star.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "epoch": config.max_epoch - 1, "net_ema": star.state_dict()},
               os.path.join(args.out, "Landmark_98.pkl"))

    from openface.model.MTL import MTL
    torch.manual_seed(0)
    mtl = MTL()
    mean, std = np.array((0.485, 0.456, 0.406), np.float32), np.array((0.229, 0.224, 0.225), np.float32)
    faces = [(cv2.cvtColor(c, cv2.COLOR_BGR2RGB).astype(np.float32) / 255 - mean) / std for c in crops(image, 224, 8, rng)]
    calibrate_batchnorm(mtl, [torch.from_numpy(np.stack(faces).transpose(0, 3, 1, 2).copy())])
    torch.save(mtl.state_dict(), os.path.join(args.out, "MTL_backbone.pth"))
    print(f"wrote random-weight Alignment_RetinaFace.pth, Landmark_98.pkl, MTL_backbone.pth to {args.out}")


if __name__ == "__main__":
    main()
