#!/usr/bin/env python3
"""OpenFace 3.0's trained PyTorch checkpoints -> the three ONNX files `facemirror process --models DIR` runs.

    python3 -m venv .exportenv && .exportenv/bin/pip install -r scripts/models/requirements-export.txt
    .exportenv/bin/python scripts/models/export_openface3.py WEIGHTS_DIR OUT_DIR [--check-image FACE.jpg]

WEIGHTS_DIR holds OpenFace 3.0's files as published on Hugging Face (nutPace/openface_weights):
Alignment_RetinaFace.pth, Landmark_98.pkl, MTL_backbone.pth. Each is loaded the way OpenFace 3.0's own
code loads it (openface-test 0.1.26: face_detection.py, STAR/demo.py `Alignment`, multitask_model.py),
exported with the I/O contract of the seed system's ONNX files (names, opset 17, fixed or free dims as
below), run by PyTorch and ONNX Runtime on the same inputs, and written only if the two agree within
TOLERANCE. OUT_DIR then holds

    retinaface_mobilenet025_coreml.onnx  input [1,3,height,width] -> loc, conf, landms [1,num_priors,*]
    star_landmark_98_coreml.onnx         input_image [1,3,256,256] -> landmarks [1,98,2]
    mtl_efficientnet_b0_coreml.onnx      input_face [1,3,224,224] -> emotion_output, gaze_output, au_output
    manifest.json                        SHA-256 and size of each file and checkpoint, versions, parity

Exit status: 0 written and checked; 1 a checkpoint could not be loaded or the check failed (nothing is
left in OUT_DIR in that case except what was there before); 2 bad arguments.
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile

# Parity PyTorch vs ONNX Runtime: max |a - b| <= TOLERANCE * max(1, max |a|) per output. The TorchScript
# exporter and ORT reassociate float sums; on natural images OpenFace's networks differ by <= 1e-4.
TOLERANCE = 1e-3

CHECKPOINTS = {
    "retinaface": "Alignment_RetinaFace.pth",
    "star": "Landmark_98.pkl",
    "mtl": "MTL_backbone.pth",
}
OUTPUTS = {
    "retinaface": "retinaface_mobilenet025_coreml.onnx",
    "star": "star_landmark_98_coreml.onnx",
    "mtl": "mtl_efficientnet_b0_coreml.onnx",
}
OPSET = 17


class ExportError(Exception):
    pass


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def torch_load(torch, path, trust_pickle):
    # OpenFace calls torch.load(path, map_location=cpu). Since torch 2.6 that means weights_only=True,
    # which refuses arbitrary pickled objects; --trust-pickle allows them (only for files you trust).
    try:
        return torch.load(path, map_location="cpu", weights_only=not trust_pickle)
    except Exception as e:  # noqa: BLE001 - torch raises several types here
        hint = "" if trust_pickle else " (if the file is OpenFace's own and holds more than tensors, add --trust-pickle)"
        raise ExportError(f"cannot read {path}: {e}{hint}") from e


def require_all_keys(model, state_dict, path):
    """OpenFace's RetinaFace loader uses strict=False and only asserts that *some* key matched; a
    checkpoint missing keys would silently keep random weights, so refuse it here."""
    wanted = set(model.state_dict().keys())
    have = set(state_dict.keys())
    missing = sorted(wanted - have)
    if missing:
        raise ExportError(f"{path}: {len(missing)} of the network's {len(wanted)} weights are missing, "
                          f"e.g. {missing[:3]}; not an OpenFace 3.0 checkpoint for this network")


def load_retinaface(torch, path, trust_pickle):
    from openface.Pytorch_Retinaface.data import cfg_mnet
    from openface.Pytorch_Retinaface.detect import remove_prefix
    from openface.Pytorch_Retinaface.models.retinaface import RetinaFace

    # pretrain=False only skips loading ImageNet backbone weights that the checkpoint overwrites.
    net = RetinaFace(cfg=dict(cfg_mnet, pretrain=False), phase="test")
    loaded = torch_load(torch, path, trust_pickle)
    if not isinstance(loaded, dict):
        raise ExportError(f"{path}: expected a state dict, found {type(loaded).__name__}")
    # Pytorch_Retinaface/detect.py load_model: a 'state_dict' entry if present, 'module.' prefixes dropped.
    state = remove_prefix(loaded["state_dict"], "module.") if "state_dict" in loaded else remove_prefix(loaded, "module.")
    require_all_keys(net, state, path)
    net.load_state_dict(state, strict=False)
    return net.eval()


def load_star(torch, path, trust_pickle):
    from argparse import Namespace
    from openface.STAR.lib import utility

    config = utility.get_config(Namespace(config_name="alignment"))
    net = utility.get_net(config)
    checkpoint = torch_load(torch, path, trust_pickle)
    # STAR/demo.py Alignment: net.load_state_dict(checkpoint["net"]) (strict).
    if not isinstance(checkpoint, dict) or "net" not in checkpoint:
        raise ExportError(f"{path}: expected STAR's training checkpoint, a dict with a 'net' entry")
    try:
        net.load_state_dict(checkpoint["net"])
    except RuntimeError as e:
        raise ExportError(f"{path}: does not fit STAR's 98-point StackedHGNetV1: {e}") from e
    net.eval()

    class LastStackLandmarks(torch.nn.Module):
        """OpenFace uses output[-1] of StackedHGNetV1.forward, the last stack's landmarks."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return self.inner(x)[-1]

    return LastStackLandmarks(net).eval()


def load_mtl(torch, path, trust_pickle):
    from openface.model.MTL import MTL

    net = MTL()
    state = torch_load(torch, path, trust_pickle)
    if not isinstance(state, dict):
        raise ExportError(f"{path}: expected a state dict, found {type(state).__name__}")
    # multitask_model.py: model.load_state_dict(torch.load(path)) (strict).
    try:
        net.load_state_dict(state)
    except RuntimeError as e:
        raise ExportError(f"{path}: does not fit OpenFace 3.0's MTL network: {e}") from e
    return net.eval()


def check_inputs(np, cv2, image):
    """Natural-image inputs for the parity check (STAR is chaotic on pixel noise: its CoordConv channel
    thresholds a heatmap, so 1e-6 differences flip pixels). Preprocessed as OpenFace does."""
    retina = []
    for h, w in ((640, 640), (480, 352)):
        img = cv2.resize(image, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
        img -= np.array((104, 117, 123), np.float32)
        retina.append(img.transpose(2, 0, 1)[None].copy())
    side = min(image.shape[:2])
    y0, x0 = (image.shape[0] - side) // 2, (image.shape[1] - side) // 2
    square = image[y0:y0 + side, x0:x0 + side]
    star = cv2.resize(square, (256, 256), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255 * 2 - 1
    rgb = cv2.cvtColor(cv2.resize(square, (224, 224), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)
    mtl = (rgb.astype(np.float32) / 255 - np.array((0.485, 0.456, 0.406), np.float32)) / np.array((0.229, 0.224, 0.225), np.float32)
    return {
        "retinaface": retina,
        "star": [star.transpose(2, 0, 1)[None].copy()],
        "mtl": [mtl.transpose(2, 0, 1)[None].copy()],
    }


def default_image(np, cv2):
    """A smooth image when no photo is given: seeded noise blurred to face-photo frequencies."""
    rng = np.random.default_rng(0)
    noise = rng.uniform(0, 255, (480, 480, 3)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(noise, (0, 0), 12) * 4 - 384, 0, 255).astype(np.uint8)


def export(torch, name, net, sample, path):
    kwargs = dict(opset_version=OPSET, do_constant_folding=True, dynamo=False)
    with torch.no_grad():
        if name == "retinaface":
            torch.onnx.export(net, sample, path, input_names=["input"], output_names=["loc", "conf", "landms"],
                              dynamic_axes={"input": {2: "height", 3: "width"}, "loc": {1: "num_priors"},
                                            "conf": {1: "num_priors"}, "landms": {1: "num_priors"}}, **kwargs)
        elif name == "star":
            torch.onnx.export(net, sample, path, input_names=["input_image"], output_names=["landmarks"], **kwargs)
        else:
            torch.onnx.export(net, sample, path, input_names=["input_face"],
                              output_names=["emotion_output", "gaze_output", "au_output"], **kwargs)
    if name == "retinaface":
        # The exporter leaves the outputs' shapes unknown with free input dims; state them as the seed's
        # file does ([1, num_priors, 4|2|10]); the parity run below checks them at two input sizes.
        import onnx
        model = onnx.load(path)
        for output, width in zip(model.graph.output, (4, 2, 10)):
            dims = output.type.tensor_type.shape.dim
            del dims[:]
            for value in (1, "num_priors", width):
                d = dims.add()
                if isinstance(value, int):
                    d.dim_value = value
                else:
                    d.dim_param = value
        onnx.save(model, path)
    else:
        # Fixed shapes: fold the shape arithmetic (timm's TF-"SAME" padding) as the seed's files were.
        import onnx
        import onnxsim
        model, ok = onnxsim.simplify(onnx.load(path))
        if not ok:
            raise ExportError(f"onnx-simplifier could not verify its simplification of {name}")
        onnx.save(model, path)


def parity(torch, ort, net, path, inputs, tolerance):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    output_names = [o.name for o in session.get_outputs()]
    worst = {}
    with torch.no_grad():
        for x in inputs:
            expected = net(torch.from_numpy(x))
            expected = expected if isinstance(expected, (tuple, list)) else (expected,)
            got = session.run(None, {input_name: x})
            for oname, e, g in zip(output_names, expected, got):
                e = e.numpy()
                if e.shape != g.shape:
                    raise ExportError(f"{os.path.basename(path)} {oname}: PyTorch shape {e.shape}, ONNX Runtime {g.shape}")
                diff = float(abs(e - g).max())
                scale = max(1.0, float(abs(e).max()))
                previous = worst.get(oname)
                if previous is None or diff / scale > previous["max_abs_diff"] / previous["scale"]:
                    worst[oname] = {"max_abs_diff": diff, "scale": scale, "allowed": tolerance * scale}
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog="See docs/models.md, 'OpenFace 3.0's trained weights'.")
    parser.add_argument("weights", help="folder with Alignment_RetinaFace.pth, Landmark_98.pkl, MTL_backbone.pth")
    parser.add_argument("out", help="folder for the ONNX files and manifest.json (created)")
    parser.add_argument("--check-image", help="a face photo for the PyTorch/ONNX Runtime check (default: a smooth synthetic image)")
    parser.add_argument("--only", choices=sorted(CHECKPOINTS), action="append",
                        help="export only these networks (repeatable; default: all three)")
    parser.add_argument("--trust-pickle", action="store_true",
                        help="let torch.load unpickle arbitrary objects (needed only for checkpoints holding more than tensors)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE,
                        help=f"allowed max |PyTorch - ONNX Runtime| per output, times max(1, max |output|) (default {TOLERANCE})")
    parser.add_argument("--overwrite", action="store_true", help="replace ONNX files already in OUT")
    args = parser.parse_args()

    names = args.only or ["retinaface", "star", "mtl"]
    missing = [CHECKPOINTS[n] for n in names if not os.path.isfile(os.path.join(args.weights, CHECKPOINTS[n]))]
    if missing:
        parser.error(f"{args.weights} lacks {', '.join(missing)} (OpenFace 3.0's file names, as on Hugging Face nutPace/openface_weights)")
    existing = [OUTPUTS[n] for n in names if os.path.exists(os.path.join(args.out, OUTPUTS[n]))]
    if existing and not args.overwrite:
        parser.error(f"{args.out} already holds {', '.join(existing)}; add --overwrite to replace")

    import cv2
    import numpy as np
    import onnx
    import onnxruntime as ort
    import torch

    if args.check_image:
        image = cv2.imread(args.check_image, cv2.IMREAD_COLOR)
        if image is None:
            parser.error(f"cannot read the image {args.check_image}")
    else:
        image = default_image(np, cv2)
    inputs = check_inputs(np, cv2, image)
    loaders = {"retinaface": load_retinaface, "star": load_star, "mtl": load_mtl}

    os.makedirs(args.out, exist_ok=True)
    manifest = {
        "format": "facemirror-openface3-export/1",
        "tolerance": f"max |pytorch - onnxruntime| <= {args.tolerance} * max(1, max |pytorch|) per output",
        "files": {},
    }
    staged = tempfile.mkdtemp(prefix=".export-", dir=args.out)
    try:
        failures = []
        for name in names:
            source = os.path.join(args.weights, CHECKPOINTS[name])
            print(f"{name}: loading {source}", file=sys.stderr, flush=True)
            net = loaders[name](torch, source, args.trust_pickle)
            target = os.path.join(staged, OUTPUTS[name])
            print(f"{name}: exporting {OUTPUTS[name]}", file=sys.stderr, flush=True)
            export(torch, name, net, torch.from_numpy(inputs[name][0]), target)
            onnx.checker.check_model(target, full_check=True)
            worst = parity(torch, ort, net, target, inputs[name], args.tolerance)
            for oname, w in worst.items():
                verdict = "ok" if w["max_abs_diff"] <= w["allowed"] else "TOO FAR"
                print(f"{name}: {oname} max |PyTorch - ORT| {w['max_abs_diff']:.3g} (allowed {w['allowed']:.3g}) {verdict}",
                      file=sys.stderr, flush=True)
                if verdict != "ok":
                    failures.append(f"{name} {oname}")
            manifest["files"][OUTPUTS[name]] = {
                "network": name, "sha256": sha256(target), "bytes": os.path.getsize(target),
                "source": CHECKPOINTS[name], "source_sha256": sha256(source), "parity": worst,
                "check_image": os.path.abspath(args.check_image) if args.check_image else "synthetic (seeded, blurred)",
                "versions": {"torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__,
                             "opset": OPSET},
            }
        if failures:
            raise ExportError("PyTorch and ONNX Runtime differ beyond the tolerance for " + ", ".join(failures) + "; nothing written")
        for name in names:
            os.replace(os.path.join(staged, OUTPUTS[name]), os.path.join(args.out, OUTPUTS[name]))
        previous = os.path.join(args.out, "manifest.json")
        if os.path.isfile(previous):  # an --only run keeps the other networks' entries
            with open(previous) as f:
                kept = json.load(f).get("files", {})
            manifest["files"] = {**{k: v for k, v in kept.items() if os.path.isfile(os.path.join(args.out, k))},
                                 **manifest["files"]}
        with open(os.path.join(staged, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(os.path.join(staged, "manifest.json"), os.path.join(args.out, "manifest.json"))
    except ExportError as e:
        print(f"export_openface3: {e}", file=sys.stderr)
        return 1
    finally:
        for leftover in os.listdir(staged):
            os.remove(os.path.join(staged, leftover))
        os.rmdir(staged)
    print(f"wrote {', '.join(OUTPUTS[n] for n in names)} and manifest.json to {args.out}; "
          f"run: facemirror process VIDEO --models {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
