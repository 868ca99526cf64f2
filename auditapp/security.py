"""Response headers that keep pages to our own origin: no third-party host, no framing, no sniffing."""

from flask import Flask, Response, request

# Everything the app needs is served by itself (docs/architecture.md, Interfaces: no CDN); photos are previewed from blob: URLs.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint not in ("static", "offline.service_worker", "offline.manifest"):
            # Pages and JSON hold someone's data: no shared or back-button cache keeps a copy after logout.
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("HTTPS"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
