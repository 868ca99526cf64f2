"""Benchmark the visit report PDF against plain reportlab placing the same 20 photos, so we know what the report costs.

Run: ``python bench/visit_pdf.py [--runs 5] [--out report.pdf]``

The report (about 25 touchpoints, 90 standards, a journey curve and 20 photos of 1600 x 1200 px, 300-500 KB each)
is timed against a baseline that only draws the same JPEG files onto one canvas page each
(``canvas.drawImage(path, ...)``). The baseline runs with reportlab's defaults (which ASCII85-encode every image)
and, for an honest second figure, with binary streams as the report uses. Median of ``runs`` after one warm-up.

Goal: report time <= 2 x baseline (reportlab defaults).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PIL import Image, ImageDraw  # noqa: E402
from reportlab import rl_config  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from auditapp.reports.content import (CurvePoint, HistoryItem, PhaseRow, PhotoItem, StandardRow,  # noqa: E402
                                      TouchpointRow, VisitReport)
from auditapp.reports.pdf import visit_report_pdf  # noqa: E402
from auditapp.scoring import band  # noqa: E402
from auditapp.vocabulary import Band, Channel  # noqa: E402
from auditapp.vocabulary import VisitStatus as S  # noqa: E402

GOAL = 2.0
PHOTOS = 20
PHASES = (
    ("orientation", "Orientation", ["Website search", "Online reviews", "Social media"]),
    ("booking", "Booking", ["Reservation by phone", "Online booking form", "Confirmation e-mail", "Deposit",
                            "Special requests"]),
    ("arrival", "Arrival & check-in", ["Parking", "Entrance", "Greeting at reception", "Check-in", "Room handover",
                                       "Luggage"]),
    ("stay", "Stay", ["Room cleanliness", "Breakfast", "Restaurant dinner", "Bar", "Spa", "Housekeeping",
                      "Complaint handling"]),
    ("after-sales", "After-sales", ["Check-out", "Invoice", "Follow-up e-mail", "Loyalty programme"]),
)
STANDARD_TEXTS = (
    "The employee greets the guest within ten seconds, with eye contact and a smile.",
    "The guest is addressed by name at least once.",
    "The employee offers help before the guest has to ask.",
    "Friendliness of the employee.",
    "Time waited before being helped.",
    "Which extra did the employee offer?",
    "The area is clean, tidy and free of clutter.",
    "The employee closes with a personal goodbye and invites the guest back.",
)
COMMENTS = ("", "", "Very friendly, remembered my name from the booking.", "Had to wait behind two other guests.",
            "No eye contact; busy with the phone.", "Offered breakfast but not the spa package that fits the persona.",
            "Table by the window was sticky – café area otherwise fine.")


def make_jpegs(folder: Path, count: int = PHOTOS, seed: int = 7) -> list[Path]:
    """Write realistic camera-sized JPEGs: shapes on a gradient with sensor-like noise, 300-500 KB each."""
    paths = []
    for k in range(count):
        r = random.Random(seed + k)
        w, h = 1600, 1200
        c1, c2 = (tuple(r.randrange(60, 200) for _ in range(3)) for _ in range(2))
        base = Image.composite(Image.new("RGB", (w, h), c1), Image.new("RGB", (w, h), c2),
                               Image.linear_gradient("L").resize((w, h)))
        draw = ImageDraw.Draw(base)
        for _ in range(25):
            x, y, s = r.randrange(w), r.randrange(h), r.randrange(40, 400)
            draw.rectangle([x, y, x + s, y + s * 0.7], fill=tuple(r.randrange(256) for _ in range(3)))
        image = Image.blend(base, Image.effect_noise((w, h), 40 + r.randrange(12)).convert("RGB"), 0.18)
        path = folder / f"photo-{k + 1:02d}.jpg"
        image.save(path, "JPEG", quality=80)
        paths.append(path)
    return paths


def sample_report(photos: list[Path], seed: int = 3) -> VisitReport:
    """Build a believable visit: 25 touchpoints, 90 standards, a few critical failures, the given photos."""
    r = random.Random(seed)
    touchpoint_names = [name for _, _, names in PHASES for name in names]
    per_touchpoint = [4] * 15 + [3] * 10  # 90 standards
    phases, curve, failures = [], [], []
    t = 0
    for phase_key, phase_name, names in PHASES:
        rows = []
        for name in names:
            standards = []
            for j in range(per_touchpoint[t]):
                critical = j == 0 and t % 6 == 2
                score = r.choice((1.0, 1.0, 1.0, 0.75, 0.5, 0.0, None))
                failed = critical and score == 0
                answer = {1.0: "Yes", 0.75: "4 / 5", 0.5: "Breakfast", 0.0: "No", None: "n/a"}[score]
                text = STANDARD_TEXTS[(t + j) % len(STANDARD_TEXTS)]
                standards.append(StandardRow(key=f"s{t}-{j}", text=text, type="yesno", answer=answer, score=score,
                                             comment=r.choice(COMMENTS), critical=critical, weight=r.choice((1, 1, 2)),
                                             failed_critical=failed))
                if failed:
                    failures.append(text)
            scored = [(s.weight, s.score) for s in standards if s.score is not None]
            value = None if not scored else 100 * sum(w * s for w, s in scored) / sum(w for w, _ in scored)
            if value is not None and any(s.failed_critical for s in standards):
                value = 0.0
            rows.append(TouchpointRow(key=f"tp{t}", name=name, score=value, band=_band(value), weight=1,
                                      staff=r.choice(("", "", "Receptionist (Anna)")), standards=tuple(standards)))
            t += 1
        values = [tp.score for tp in rows if tp.score is not None]
        mean = sum(values) / len(values) if values else None
        phases.append(PhaseRow(key=phase_key, name=phase_name, score=mean, band=_band(mean), touchpoints=tuple(rows)))
    flat = [(phase.name, tp) for phase in phases for tp in phase.touchpoints]
    scored = [(i, tp.score) for i, (_, tp) in enumerate(flat) if tp.score is not None]
    peak = max(scored, key=lambda item: item[1])[0] if scored else -1
    low = min(scored, key=lambda item: item[1])[0] if scored else -1
    end = scored[-1][0] if scored else -1
    for i, (phase_name, tp) in enumerate(flat):
        marks = frozenset(m for m, at in (("peak", peak), ("low", low), ("end", end)) if at == i)
        curve.append(CurvePoint(key=tp.key, label=tp.name, phase=phase_name, score=tp.score, marks=marks))
    values = [tp.score for _, tp in flat if tp.score is not None]
    total = sum(values) / len(values) if values else None
    at = datetime(2026, 4, 14, 19, 30, tzinfo=timezone.utc)
    return VisitReport(
        visit_id=4711, branch_code="AMS-01", branch_name="Hotel Centraal Amsterdam", city="Amsterdam",
        concept_name="Hotel stay", concept_version=3, channel=Channel.VISIT, persona="Business traveller",
        visited_at=at, auditor="Guest 7", status=S.APPROVED, score=total, band=_band(total), good=80, poor=60,
        critical_failures=tuple(failures), curve=tuple(curve), phases=tuple(phases),
        photos=tuple(PhotoItem(path=p, caption=f"{touchpoint_names[k % 25]} as found",
                               where=f"{touchpoint_names[k % 25]} – {STANDARD_TEXTS[k % 8]}")
                     for k, p in enumerate(photos)),
        remarks="Overall a pleasant stay. The check-in was quick, but nobody offered help with the luggage.\n\n"
                "Breakfast was excellent; the follow-up e-mail never arrived.",
        history=(HistoryItem(at - timedelta(days=9), "Scheduler", None, S.SCHEDULED, ""),
                 HistoryItem(at, "Guest 7", S.SCHEDULED, S.IN_PROGRESS, ""),
                 HistoryItem(at + timedelta(hours=20), "Guest 7", S.IN_PROGRESS, S.SUBMITTED, ""),
                 HistoryItem(at + timedelta(days=2), "M. de Vries", S.SUBMITTED, S.APPROVED,
                             "Thanks – clear photos.")),
    )


def _band(score: float | None) -> Band | None:
    """Band a score with the default thresholds (80 / 60)."""
    return band(score, 80, 60)


def baseline_pdf(photos: list[Path]) -> bytes:
    """Draw each JPEG on its own A4 page with plain reportlab: the cost of embedding alone."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    width, height = A4
    for path in photos:
        canvas.drawImage(str(path), 50, 200, width - 100, (width - 100) * 0.75)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _median_time(work, runs: int) -> tuple[float, bytes]:
    """Median wall time of ``runs`` calls after one warm-up call (fonts, imports)."""
    result = work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(runs: int = 5, out: Path | None = None) -> dict:
    """Time visit_report_pdf against the baseline and return the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        photos = make_jpegs(Path(tmp))
        report = sample_report(photos)
        report_s, pdf = _median_time(lambda: visit_report_pdf(report), runs)
        baseline_s, baseline = _median_time(lambda: baseline_pdf(photos), runs)
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            binary_s, _ = _median_time(lambda: baseline_pdf(photos), runs)
        finally:
            rl_config.useA85 = saved
        photo_bytes = sum(p.stat().st_size for p in photos)
        if out is not None:
            out.write_bytes(pdf)
    return {
        "photos": len(photos), "photo_bytes": photo_bytes,
        "touchpoints": sum(len(ph.touchpoints) for ph in report.phases),
        "standards": sum(len(tp.standards) for ph in report.phases for tp in ph.touchpoints),
        "runs": runs, "report_s": report_s, "report_pdf_bytes": len(pdf),
        "baseline_s": baseline_s, "baseline_pdf_bytes": len(baseline), "baseline_binary_s": binary_s,
        "ratio": report_s / baseline_s, "ratio_vs_binary": report_s / binary_s, "goal": GOAL,
        "ok": report_s / baseline_s <= GOAL,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 1 when the goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="also write the sample report here")
    args = parser.parse_args(argv)
    m = measure(args.runs, args.out)
    print(f"input: {m['photos']} JPEGs, {m['photo_bytes'] / 1e6:.1f} MB; {m['touchpoints']} touchpoints, "
          f"{m['standards']} standards; median of {m['runs']}")
    print(f"visit_report_pdf:              {m['report_s'] * 1000:8.1f} ms  ({m['report_pdf_bytes'] / 1e6:.2f} MB)")
    print(f"baseline, reportlab defaults:  {m['baseline_s'] * 1000:8.1f} ms  ({m['baseline_pdf_bytes'] / 1e6:.2f} MB)")
    print(f"baseline, binary streams:      {m['baseline_binary_s'] * 1000:8.1f} ms")
    print(f"ratio {m['ratio']:.2f} x (goal <= {m['goal']:.0f} x: {'met' if m['ok'] else 'MISSED'}); "
          f"against the binary baseline {m['ratio_vs_binary']:.2f} x")
    return 0 if m["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
