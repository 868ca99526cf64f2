"""Does a failed login take as long for an unknown email as for a known one? If not, the answer's timing tells an
attacker which emails have accounts (issue 9: 5 ms against 136 ms before).

Run: ``python bench/login_timing.py [--runs 25]``

Posts the login form through the app (CSRF, form, throttle, password check, page) on a throwaway SQLite database,
alternating a wrong password for a known email and any password for an unknown one, and compares the medians.
The failed-login limit is raised for the run, as the bench fails on purpose. The baseline is the known email, measured
in the same run.

Goal: unknown / known between 0.8 and 1.25.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LOW, HIGH = 0.8, 1.25


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    runs = parser.parse_args().runs
    folder = tempfile.mkdtemp(prefix="auditapp-bench-")
    os.environ["AUDITAPP_INSTANCE_PATH"] = folder
    from auditapp import create_app
    from auditapp.accounts.services import NewUser, add_user
    from auditapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "SECRET_KEY": "bench",
                      "LOGIN_ATTEMPTS": "1000000 per minute", "UPLOAD_DIR": folder})
    with app.app_context():
        db.create_all()
        add_user(NewUser(email="known@example.test", name="Known", role="auditor",
                         password="harbour lantern quietly"))
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)

    def attempt(email: str) -> float:
        start = time.perf_counter()
        response = client.post("/login", data={"email": email, "password": "wrong password here",
                                               "csrf_token": token})
        elapsed = time.perf_counter() - start
        assert response.status_code == 422, response.status_code
        return elapsed

    attempt("known@example.test"), attempt("nobody@example.test")  # warm both paths
    known, unknown = [], []
    for _ in range(runs):
        known.append(attempt("known@example.test"))
        unknown.append(attempt("nobody@example.test"))
    k, u = statistics.median(known), statistics.median(unknown)
    ratio = u / k
    ok = LOW <= ratio <= HIGH
    print(f"failed login, known email:   median {k * 1000:.1f} ms over {runs} (baseline)")
    print(f"failed login, unknown email: median {u * 1000:.1f} ms over {runs}")
    print(f"ratio unknown/known {ratio:.3f} (goal {LOW}–{HIGH})  {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
