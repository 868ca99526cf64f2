"""Every response keeps the browser to our own origin."""

import pytest


@pytest.mark.parametrize("path", ["/login", "/static/css/app.css", "/api/v1/openapi.json", "/no-such-page"])
def test_responses_forbid_other_hosts_and_framing(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy  # no host is allowed besides our own
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
