"""Benchmark the report queries against plain SQL GROUP BYs over the same rows, and the visit PDF against reportlab.

Run: ``python bench/reports.py [--runs 7] [--scales 1,4] [--backends sqlite,postgresql] [--no-pdf]``

Seeds 200 branches x 5 years x 2 approved visits a month (about 24,000 visits of the hotel-stay concept, with their
touchpoint score rows and every answer) into a temporary SQLite file, inserted in bulk with
``session.execute(insert(...), rows)``; then the same at 4x the visits. When PostgreSQL 15 binaries are installed
(as for the tests) the same runs on a throwaway cluster.

Timed, median of ``runs`` after one warm-up, as an admin (whose scope is every branch, the largest network):

* branch report: ``reports.build.branch_report`` (12 months: overall, the network of all branches, phases,
  touchpoints, failed standards, version marks) against the same numbers from hand-written SQL GROUP BYs run
  straight on the DBAPI connection;
* heatmap alone: ``reports.queries.touchpoint_cells`` against one plain GROUP BY over the score rows;
* league table: ``reports.queries.league`` (every branch, a month and the month before) against a plain GROUP BY;
* overview: ``reports.build.overview`` (league, ranking and the branches x touchpoints heatmap) against plain SQL.

Goal: each <= 2 x the plain SQL; and a visit PDF with 20 photos within 2 x reportlab embedding the same JPEGs
(``bench/visit_pdf.py``'s ``measure()``).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import sqlalchemy as sa  # noqa: E402

from auditapp import create_app  # noqa: E402
from auditapp.accounts.models import User  # noqa: E402
from auditapp.branches.models import Branch, Region  # noqa: E402
from auditapp.concepts.loader import load_file  # noqa: E402
from auditapp.concepts.models import Concept, ConceptVersion  # noqa: E402
from auditapp.concepts.services import import_concept  # noqa: E402
from auditapp.extensions import db  # noqa: E402
from auditapp.reports import build, queries  # noqa: E402
from auditapp.reports.periods import default_range, parse_period, periods_between  # noqa: E402
from auditapp.scoring import score_visit, standard_results  # noqa: E402
from auditapp.visits.models import Answer, StandardScore, StandardScoreRole, TouchpointScore, Visit  # noqa: E402

GOAL = 2.0
BRANCHES = 200
YEARS = 5
PER_MONTH = 2
LAST_MONTH = date(2026, 10, 1)
CONCEPT_FILE = REPO / "service_concepts" / "hotel-stay.yaml"


# --- seeding --------------------------------------------------------------------------------------------------


def _answer(st, r: random.Random):
    """A plausible answer: mostly good, sometimes not, now and then n/a."""
    if st.na and r.random() < 0.05:
        return "na"
    if st.type == "yesno":
        return "yes" if r.random() < 0.8 else "no"
    if st.type == "scale":
        return r.randint(int(st.min), int(st.max))
    if st.type == "choice":
        return r.choice(st.options).key
    if st.type == "number":
        return r.randint(0, 10)
    if st.type == "text":
        return r.choice(("Fine", "Friendly staff", "Had to wait"))
    return ""


def seed(per_month: int, seed_value: int = 7) -> dict:
    """Fill the empty database: regions, branches, users, the concept and years of approved visits, in bulk."""
    r = random.Random(seed_value)
    import_concept(load_file(CONCEPT_FILE))
    version = db.session.scalar(sa.select(ConceptVersion))
    content = version.content
    form = content.for_channel("visit")
    standards = [st for _, st in form.standards()]
    db.session.execute(sa.insert(Region), [{"id": i + 1, "name": f"Region {i + 1}"} for i in range(10)])
    db.session.execute(sa.insert(Branch), [{"id": b + 1, "code": f"B{b + 1:03d}", "name": f"Branch {b + 1}",
                                            "city": "Utrecht", "address": "", "phone": "", "region_id": b % 10 + 1}
                                           for b in range(BRANCHES)])
    db.session.execute(sa.insert(User), [
        {"id": 1, "email": "admin@example.test", "name": "Admin", "role": "admin", "password_hash": None},
        {"id": 2, "email": "auditor@example.test", "name": "Auditor", "role": "auditor", "password_hash": None}])
    db.session.commit()
    months = []
    first = date(LAST_MONTH.year - YEARS, LAST_MONTH.month, 1)
    for p in periods_between(first, LAST_MONTH, "month")[1:]:
        months.append(p.start)
    visit_id = answer_id = score_id = standard_id = 0
    visits, answers, scores, standard_rows, role_rows = [], [], [], [], []

    def flush():
        if visits:
            db.session.execute(sa.insert(Visit), visits)
            db.session.execute(sa.insert(TouchpointScore), scores)
            db.session.execute(sa.insert(StandardScore), standard_rows)
            if role_rows:
                db.session.execute(sa.insert(StandardScoreRole), role_rows)
            db.session.execute(sa.insert(Answer), answers)
            db.session.commit()
            for rows in (visits, answers, scores, standard_rows, role_rows):
                rows.clear()

    for b in range(1, BRANCHES + 1):
        for month in months:
            for k in range(per_month):
                visit_id += 1
                day = min(28, 1 + (k * 28) // per_month + r.randrange(28 // per_month))
                at = datetime(month.year, month.month, day, 12 + r.randrange(8), r.randrange(60))
                values = {st.key: _answer(st, r) for st in standards}
                result = score_visit(content, "visit", values)
                visits.append({"id": visit_id, "concept_version_id": version.id, "branch_id": b, "auditor_id": 2,
                               "channel": "visit", "persona_key": None, "status": "approved",
                               "due_date": at.date(), "visited_at": at, "remarks": "", "score": result.visit,
                               "submitted_at": at + timedelta(hours=5), "reviewed_at": at + timedelta(days=1),
                               "created_at": at, "updated_at": at})
                for phase, tp in form.touchpoints():
                    score_id += 1
                    scores.append({"id": score_id, "visit_id": visit_id, "branch_id": b,
                                   "concept_id": version.concept_id, "phase_key": phase.key,
                                   "touchpoint_key": tp.key, "visited_on": at.date(),
                                   "score": result.touchpoints[tp.key], "weight": tp.weight})
                for res in standard_results(content, "visit", values):  # what approval writes
                    standard_id += 1
                    standard_rows.append({"id": standard_id, "visit_id": visit_id, "branch_id": b,
                                          "concept_id": version.concept_id, "phase_key": res.phase,
                                          "touchpoint_key": res.touchpoint, "standard_key": res.standard,
                                          "visited_on": at.date(), "score": res.score, "weight": res.weight,
                                          "critical": res.critical})
                    role_rows += [{"standard_score_id": standard_id, "role_key": role} for role in res.roles]
                for key, value in values.items():
                    answer_id += 1
                    answers.append({"id": answer_id, "visit_id": visit_id, "standard_key": key, "value": value,
                                    "comment": "", "updated_at": at})
        if b % 20 == 0:
            flush()
    flush()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return {"visits": visit_id, "score_rows": score_id, "answers": answer_id,
            "concept_id": version.concept_id, "version_id": version.id}


# --- the plain SQL side ---------------------------------------------------------------------------------------


def _month_sql(dialect: str, column: str) -> str:
    return f"strftime('%Y-%m', {column})" if dialect == "sqlite" else f"to_char({column}, 'YYYY-MM')"


def plain_branch_report(conn, dialect: str, concept_id: int, branch_id: int, start: date, end: date) -> list:
    """The branch report's numbers as hand-written GROUP BYs: touchpoints, overall, network, phases, answers."""
    ts_month, v_month = _month_sql(dialect, "visited_on"), _month_sql(dialect, "v.visited_at")
    ph_month = _month_sql(dialect, "p.visited_on")
    s, e = (datetime.combine(d, datetime.min.time()) for d in (start, end))
    if dialect == "sqlite":
        s, e = s.isoformat(" "), e.isoformat(" ")
    p = {"c": concept_id, "b": branch_id, "ds": start, "de": end, "s": s, "e": e}
    versions = "(SELECT id FROM concept_versions WHERE concept_id = :c)"
    statements = [
        f"SELECT touchpoint_key, {ts_month} AS period, avg(score), count(score) FROM touchpoint_scores "
        f"WHERE concept_id = :c AND branch_id = :b AND visited_on >= :ds AND visited_on < :de "
        f"GROUP BY touchpoint_key, period",
        f"SELECT {v_month} AS period, avg(v.score), count(v.score) FROM visits v WHERE v.status = 'approved' "
        f"AND v.concept_version_id IN {versions} AND v.branch_id = :b AND v.visited_at >= :s AND v.visited_at < :e "
        f"GROUP BY period",
        f"SELECT {v_month} AS period, avg(v.score), count(v.score) FROM visits v WHERE v.status = 'approved' "
        f"AND v.concept_version_id IN {versions} AND v.visited_at >= :s AND v.visited_at < :e GROUP BY period",
        f"SELECT p.phase_key, {ph_month} AS period, avg(p.score), count(p.score) FROM ("
        f"SELECT visit_id, phase_key, visited_on, sum(weight * score) / nullif(sum(CASE WHEN score IS NOT NULL "
        f"THEN weight END), 0) AS score FROM touchpoint_scores WHERE concept_id = :c AND branch_id = :b "
        f"AND visited_on >= :ds AND visited_on < :de GROUP BY visit_id, phase_key, visited_on) p "
        f"GROUP BY p.phase_key, period",
        "SELECT standard_key, sum(CASE WHEN score = 0 THEN 1 ELSE 0 END), count(*) FROM standard_scores "
        "WHERE concept_id = :c AND branch_id = :b AND visited_on >= :ds AND visited_on < :de GROUP BY standard_key",
    ]
    return [conn.execute(sa.text(sql), p).all() for sql in statements]


def plain_heatmap(conn, dialect: str, concept_id: int, branch_id: int, start: date, end: date) -> list:
    sql = (f"SELECT touchpoint_key, {_month_sql(dialect, 'visited_on')} AS period, avg(score), count(score) "
           "FROM touchpoint_scores WHERE concept_id = :c AND branch_id = :b AND visited_on >= :ds "
           "AND visited_on < :de GROUP BY touchpoint_key, period")
    return conn.execute(sa.text(sql), {"c": concept_id, "b": branch_id, "ds": start, "de": end}).all()


def plain_league(conn, dialect: str, concept_id: int, start: datetime, middle: datetime, end: datetime) -> list:
    """Each branch's mean visit score and n in the previous and the current month, plus the branch names."""
    if dialect == "sqlite":
        start, middle, end = (d.isoformat(" ") for d in (start, middle, end))
    sql = ("SELECT branch_id, avg(CASE WHEN visited_at >= :m THEN score END), count(CASE WHEN visited_at >= :m "
           "THEN score END), avg(CASE WHEN visited_at < :m THEN score END), count(CASE WHEN visited_at < :m "
           "THEN score END) FROM visits WHERE status = 'approved' AND concept_version_id IN (SELECT id FROM "
           "concept_versions WHERE concept_id = :c) AND visited_at >= :s AND visited_at < :e GROUP BY branch_id")
    rows = conn.execute(sa.text(sql), {"c": concept_id, "s": start, "m": middle, "e": end}).all()
    names = conn.execute(sa.text("SELECT b.id, b.code, b.name, r.name FROM branches b LEFT JOIN regions r "
                                 "ON r.id = b.region_id ORDER BY b.code")).all()
    return [rows, names]


def plain_overview(conn, dialect: str, concept_id: int, start: datetime, middle: datetime, end: datetime) -> list:
    league = plain_league(conn, dialect, concept_id, start, middle, end)
    heat = conn.execute(sa.text(
        "SELECT branch_id, touchpoint_key, avg(score), count(score) FROM touchpoint_scores WHERE concept_id = :c "
        "AND visited_on >= :ds AND visited_on < :de GROUP BY branch_id, touchpoint_key"),
        {"c": concept_id, "ds": middle.date(), "de": end.date()}).all()
    return [*league, heat]


# --- timing ---------------------------------------------------------------------------------------------------


def median_time(work, runs: int) -> tuple[float, object]:
    """Median wall time of ``runs`` calls after one warm-up call."""
    result = work()
    times = []
    for _ in range(runs):
        db.session.expire_all()
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(url: str, per_month: int, runs: int) -> list[tuple[str, float, float]]:
    """Seed a fresh database and time every report against its plain SQL; return (name, app s, plain s)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_DIR": tempfile.mkdtemp(prefix="auditapp-bench-")})
    results = []
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        info = seed(per_month)
        print(f"  seeded {info['visits']:,} visits, {info['score_rows']:,} score rows, {info['answers']:,} answers "
              f"in {time.perf_counter() - started:.1f} s")
        dialect = db.engine.dialect.name
        admin = db.session.get(User, 1)
        concept = db.session.get(Concept, info["concept_id"])
        branch = db.session.get(Branch, BRANCHES // 2)
        first, last = default_range(LAST_MONTH, "month")
        start, end = first, periods_between(first, last)[-1].end
        month = parse_period(LAST_MONTH.strftime("%Y-%m"), "month")
        previous = month.previous()

        with db.engine.connect() as conn:
            cases = [
                ("branch report (12 months)",
                 lambda: build.branch_report(admin, branch, concept, "month", first, last),
                 lambda: plain_branch_report(conn, dialect, concept.id, branch.id, start, end)),
                ("heatmap query alone",
                 lambda: queries.touchpoint_cells(admin, concept.id, "month", start, end, branch_id=branch.id),
                 lambda: plain_heatmap(conn, dialect, concept.id, branch.id, start, end)),
                ("league table (1 month + previous)",
                 lambda: queries.league(admin, concept.id, month),
                 lambda: plain_league(conn, dialect, concept.id, previous.start_at, month.start_at, month.end_at)),
                ("overview (league + heatmap)",
                 lambda: build.overview(admin, concept, month),
                 lambda: plain_overview(conn, dialect, concept.id, previous.start_at, month.start_at,
                                        month.end_at)),
            ]
            for name, app_work, plain_work in cases:
                app_s, app_result = median_time(app_work, runs)
                plain_s, _ = median_time(plain_work, runs)
                results.append((name, app_s, plain_s))
            league = queries.league(admin, concept.id, month)
            assert len(league) == BRANCHES and sum(r.current.n for r in league) == BRANCHES * per_month
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return results


def report(results: list[tuple[str, float, float]]) -> bool:
    """Print app time, plain SQL time and their ratio per case; tell whether all met the goal."""
    print(f"  {'':36} {'app':>10} {'plain SQL':>10} {'ratio':>7}")
    ok = True
    for name, app_s, plain_s in results:
        ratio = app_s / plain_s
        ok &= ratio <= GOAL
        print(f"  {name:36} {app_s * 1000:8.1f} ms {plain_s * 1000:8.1f} ms {ratio:6.2f}x"
              f"{'' if ratio <= GOAL else '  > goal'}")
    return ok


def pdf_figures(runs: int = 5) -> bool:
    """The 20-photo visit PDF against reportlab embedding the same JPEGs, and what the photo section costs."""
    import dataclasses

    import visit_pdf  # bench/visit_pdf.py
    from reportlab import rl_config

    from auditapp.reports.pdf import visit_report_pdf

    m = visit_pdf.measure(runs=runs)
    print(f"visit PDF, {m['photos']} photos ({m['photo_bytes'] / 1e6:.1f} MB), {m['touchpoints']} touchpoints, "
          f"{m['standards']} standards: {m['report_s'] * 1000:.1f} ms")
    print(f"  reportlab embedding the same JPEGs (defaults, ASCII85): {m['baseline_s'] * 1000:.1f} ms -> "
          f"{m['ratio']:.2f}x (goal <= {m['goal']:.0f}x)")
    print(f"  reportlab embedding them with binary streams: {m['baseline_binary_s'] * 1000:.1f} ms -> "
          f"{m['ratio_vs_binary']:.2f}x for the whole report")
    with tempfile.TemporaryDirectory() as tmp:
        photos = visit_pdf.make_jpegs(Path(tmp))
        report = visit_pdf.sample_report(photos)
        bare_s, _ = visit_pdf._median_time(lambda: visit_report_pdf(dataclasses.replace(report, photos=())), runs)
        full_s, _ = visit_pdf._median_time(lambda: visit_report_pdf(report), runs)
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            binary_s, _ = visit_pdf._median_time(lambda: visit_pdf.baseline_pdf(photos), runs)
        finally:
            rl_config.useA85 = saved
    print(f"  the photo section alone (report minus the same report without photos): {(full_s - bare_s) * 1000:.1f} ms"
          f" -> {(full_s - bare_s) / binary_s:.2f}x the binary-stream embedding (captions and layout included)")
    return m["ok"]


def postgres_url():
    """Start a throwaway PostgreSQL cluster as the tests do, or None when the binaries are missing."""
    sys.path.insert(0, str(REPO / "tests"))
    from postgres import Cluster, find_bindir  # noqa: E402  (tests/postgres.py)

    bindir = find_bindir()
    if bindir is None:
        return None, None
    cluster = Cluster(bindir)
    cluster.start()
    return cluster, cluster.create_database("auditapp_bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scales", default="1,4", help="multiples of 2 visits a month, comma separated")
    parser.add_argument("--backends", default="sqlite,postgresql",
                        help="sqlite and/or postgresql (the latter only where its binaries are installed)")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    ok = True
    chosen = args.backends.split(",")
    backends = [("SQLite", None)] if "sqlite" in chosen else []
    cluster = None
    if "postgresql" in chosen:
        cluster, url = postgres_url()
        if url:
            backends.append(("PostgreSQL", url))
        else:
            print("PostgreSQL binaries not found: SQLite only")
    try:
        for label, url in backends:
            for scale in scales:
                per_month = PER_MONTH * scale
                print(f"{label}: {BRANCHES} branches x {YEARS} years x {per_month} visits a month ({scale}x), "
                      f"median of {args.runs}")
                with tempfile.TemporaryDirectory() as tmp:
                    ok &= report(run(url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}", per_month, args.runs))
    finally:
        if cluster is not None:
            cluster.stop()
    if not args.no_pdf:
        ok &= pdf_figures()
    print("goals met" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
