"""Every route, HTML and API, fed hostile input as every role on both databases: 4xx or a page, never a 5xx."""

from __future__ import annotations

import time

import pytest

from .sweep import Sweep
from .world import build_world


def test_no_route_answers_hostile_input_with_5xx(app, factory, backend, capsys):
    world = build_world(factory, app.config["UPLOAD_DIR"])
    # The sweep's hostile logins all come from one address; the limit on failed logins has its own tests
    # (tests/accounts/test_revocation.py) and would otherwise lock the roles out halfway through the sweep.
    app.config["LOGIN_ATTEMPTS"] = "1000000 per minute"
    sweep = Sweep(app, world)
    started = time.monotonic()
    sweep.run()
    with capsys.disabled():
        print(f"\nhostile sweep on {backend}: {sweep.sent} requests in {time.monotonic() - started:.0f}s, "
              f"{len(sweep.broken)} broken")
    every = {(m, r.endpoint) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}}
    assert every <= set(sweep.counts), f"never attacked: {sorted(every - set(sweep.counts))}"
    if sweep.broken:
        pytest.fail(f"{len(sweep.broken)} of {sweep.sent} hostile requests broke:\n"
                    + "\n".join(map(str, sweep.broken[:80])), pytrace=False)
