"""Benchmark the photo pipeline against plain Pillow, so we know what validation and cleaning cost on a 12 MP photo.

Run: ``python bench/photos.py [--runs 7] [--photo PATH] [--reference-encoder plain|same] [--progressive]``

Each measurement runs in a fresh subprocess (cold Pillow caches, an honest peak RSS). Inside the child, time and
memory are measured around the work only: interpreter start-up, imports and reading the file are excluded, and
memory is the peak RSS during the work minus the RSS just before it (on Linux the high-water mark is reset through
/proc/self/clear_refs first, so start-up peaks cannot hide the work's own peak). The app pipeline is loaded from its
file, not through the ``auditapp`` package, so whatever the package ``__init__`` imports does not count.

The goal is checked on the first call in each fresh process, as a worker meets its first photo (lazy plugin imports
included on both sides); the best of three further calls in the same process is printed for information.

Goals: pipeline time <= 1.3 x reference, pipeline peak memory <= 1.2 x reference.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("AUDITAPP_PHOTO_SAMPLES") or REPO.parent / "shared/testdata/photos")
CANDIDATES = ("olympus_corrupt_exif_12mp.jpg", "hdr_iphone_hdr_YES.jpg")
TIME_GOAL = 1.3
MEMORY_GOAL = 1.2

CHILD = r"""
import importlib.util, io, json, math, os, resource, sys, time
kind, photo, pipeline_file, ref_encoder, progressive = sys.argv[1:6]
from PIL import Image, ImageOps
if kind == "pipeline":
    spec = importlib.util.spec_from_file_location("bench_pipeline", pipeline_file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    module._PROGRESSIVE = progressive == "yes"
    def work(data):
        return module.process_photo(data)
else:
    extra = {"optimize": True, "progressive": progressive == "yes"} if ref_encoder == "same" else {}
    def work(data):
        im = Image.open(io.BytesIO(data))
        w, h = im.size
        s = 1600 / max(w, h)
        if s < 1:
            im.draft("RGB", (math.ceil(w * s), math.ceil(h * s)))
        im = ImageOps.exif_transpose(im)
        im.thumbnail((1600, 1600))
        out = io.BytesIO()
        im.save(out, "JPEG", quality=82, **extra)
        im.thumbnail((320, 320))
        thumb = io.BytesIO()
        im.save(thumb, "JPEG", quality=82, **extra)
        return out.getvalue(), thumb.getvalue()
def current_kb():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def reset_peak():
    # Linux: forget the high-water mark of start-up and file reading, so only the work's own peak counts.
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
with open(photo, "rb") as f:
    data = f.read()
reset_peak()
before = current_kb()
t0 = time.perf_counter()
work(data)
elapsed = time.perf_counter() - t0
after = peak_kb()
warm = []
for _ in range(3):
    t0 = time.perf_counter()
    work(data)
    warm.append(time.perf_counter() - t0)
print(json.dumps({"time": elapsed, "warm": min(warm), "rss_kb": after, "extra_kb": max(after - before, 1)}))
"""


def pick_photo(explicit: str | None) -> tuple[Path, str]:
    """Use the given photo, a real 12 MP sample if the shared test data is there, or a generated noisy one."""
    if explicit:
        return Path(explicit), "given on the command line"
    for name in CANDIDATES:
        if (SAMPLES / name).is_file():
            return SAMPLES / name, "real sample"
    from PIL import Image

    path = Path(tempfile.gettempdir()) / "auditapp_bench_4000x3000.jpg"
    if not path.exists():
        Image.effect_noise((4000, 3000), 60).convert("RGB").save(path, quality=90)
    return path, "generated 4000x3000 noise (shared samples not found)"


def run_child(kind: str, photo: Path, ref_encoder: str, progressive: bool) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON report."""
    pipeline_file = REPO / "auditapp/photos/pipeline.py"
    result = subprocess.run(
        [
            sys.executable, "-c", CHILD, kind, str(photo), str(pipeline_file), ref_encoder,
            "yes" if progressive else "no",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"{kind} run failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    """Measure both sides, print medians and ratios, and exit non-zero when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--photo")
    parser.add_argument(
        "--reference-encoder",
        choices=("plain", "same"),
        default="plain",
        help="plain: baseline JPEG (default, stricter); same: the pipeline's encoder settings (optimize, and progressive with --progressive)",
    )
    parser.add_argument(
        "--progressive",
        action="store_true",
        help="run the pipeline with progressive instead of baseline JPEG output, to see what progressive costs",
    )
    args = parser.parse_args()

    photo, origin = pick_photo(args.photo)
    from PIL import Image

    with Image.open(photo) as im:
        size = im.size
    print(f"photo: {photo} ({size[0]}x{size[1]}, {photo.stat().st_size / 1e6:.1f} MB, {origin})")
    print(
        f"runs: {args.runs} fresh subprocesses each, alternating; reference encoder: {args.reference_encoder}; "
        f"pipeline output: {'progressive (--progressive)' if args.progressive else 'baseline'}"
    )

    results: dict[str, list[dict]] = {"pipeline": [], "reference": []}
    for _ in range(args.runs):
        for kind in results:
            results[kind].append(run_child(kind, photo, args.reference_encoder, args.progressive))

    def med(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in results[kind])

    t_pipe, t_ref = med("pipeline", "time"), med("reference", "time")
    m_pipe, m_ref = med("pipeline", "extra_kb") / 1024, med("reference", "extra_kb") / 1024
    r_pipe, r_ref = med("pipeline", "rss_kb") / 1024, med("reference", "rss_kb") / 1024
    w_pipe, w_ref = med("pipeline", "warm"), med("reference", "warm")
    t_ratio, m_ratio = t_pipe / t_ref, m_pipe / m_ref
    t_ok, m_ok = t_ratio <= TIME_GOAL, m_ratio <= MEMORY_GOAL

    print(
        f"time    pipeline {t_pipe:.3f} s   reference {t_ref:.3f} s   "
        f"ratio {t_ratio:.3f} (goal <= {TIME_GOAL})  {'OK' if t_ok else 'MISSED'}"
    )
    print(
        f"        warm (3 more calls in the same process, best): pipeline {w_pipe:.3f} s   reference {w_ref:.3f} s   "
        f"ratio {w_pipe / w_ref:.2f} (for information: a server worker is warm after its first photo)"
    )
    print(
        f"memory  pipeline {m_pipe:.1f} MB  reference {m_ref:.1f} MB  "
        f"ratio {m_ratio:.3f} (goal <= {MEMORY_GOAL})  {'OK' if m_ok else 'MISSED'}   "
        "(peak RSS during the work minus RSS before it)"
    )
    print(
        f"        absolute peak RSS during the work: pipeline {r_pipe:.1f} MB, reference {r_ref:.1f} MB "
        "(interpreter and imports included; only the pipeline loads pillow_heif)"
    )
    return 0 if t_ok and m_ok else 1


if __name__ == "__main__":
    sys.exit(main())
