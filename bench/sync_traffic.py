"""Bytes a phone sends and receives to fill in and submit the whole hotel form with 5 photos, against the
answers and photos themselves.

Run: ``python bench/sync_traffic.py [--concept hotel-stay] [--photos 5] [--goal 1.5]``

Drives the app's API with the test client the way static/js/sync.js does when every answer goes out as the
auditor gives it (the most requests the sync ever makes): one PUT per answer with its change time and sync_id,
one multipart POST per photo with its client_id, then the submit with its operation id. Every byte of each
exchange is counted — request line, headers and body; status line, headers and body. The baseline, measured in
the same run, is the payload alone: each answer's JSON value and each photo file. Exits 1 over the goal.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import uuid
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from form_weight import bench_app, build_world, logged_in_client  # noqa: E402  (bench/ is the script's folder)


def photo(seed: int) -> bytes:
    """A phone photo as the app sends it: 2048 px on the long side, JPEG 0.85, real-looking detail."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    small = Image.new("RGB", (64, 48))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(64 * 48)])
    image = small.resize((2048, 1536), Image.BICUBIC).filter(ImageFilter.DETAIL)
    noise = Image.effect_noise((2048, 1536), 24).convert("RGB")
    out = io.BytesIO()
    Image.blend(image, noise, 0.15).save(out, "JPEG", quality=85)
    return out.getvalue()


def answer_for(standard) -> object:
    """A plausible answer of each type, as the form sends it."""
    return {"yesno": "yes", "scale": standard.max or 5, "number": 3,
            "choice": standard.options[0].key if standard.options else "",
            "text": "Warm welcome, asked for our names."}.get(standard.type)


class Meter:
    """Count each exchange's bytes as they cross the network (HTTP/1.1 framing)."""

    def __init__(self):
        self.total = 0

    def exchange(self, client, method: str, path: str, **kwargs):
        from werkzeug.test import EnvironBuilder

        def build():  # a builder per use: encoding a multipart body reads its files
            fresh = {k: ({n: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for n, v in v.items()}
                         if k == "data" else v) for k, v in kwargs.items()}
            return EnvironBuilder(path=path, method=method, **fresh)

        environ = build().get_environ()
        body = int(environ.get("CONTENT_LENGTH") or 0)
        request_headers = {k[5:]: v for k, v in environ.items() if k.startswith("HTTP_")}
        request_headers.update({k: environ[k] for k in ("CONTENT_TYPE", "CONTENT_LENGTH") if environ.get(k)})
        response = client.open(build())
        sent = len(f"{method} {path} HTTP/1.1\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in request_headers.items())
        sent += 2 + body + len(f"Cookie: {client.get_cookie('session').value}\r\n")
        received = len(f"HTTP/1.1 {response.status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in response.headers)
        received += 2 + len(response.get_data())
        self.total += sent + received
        return response


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concept", default="hotel-stay")
    parser.add_argument("--photos", type=int, default=5)
    parser.add_argument("--goal", type=float, default=1.5)
    args = parser.parse_args(argv)

    from auditapp.extensions import db
    from auditapp.visits.models import Visit
    from auditapp.visits.services import form_of

    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp)
        with app.app_context():
            email, visit_id = build_world(app, args.concept)
            standards = [st for _tp, st in form_of(db.session.get(Visit, visit_id)).standards()]
            client, token = logged_in_client(app, email)
            headers = {"X-CSRFToken": token, "Accept": "application/json"}
            meter, payload = Meter(), 0

            visited = datetime.now().strftime("%Y-%m-%dT%H:%M")
            meter.exchange(client, "PUT", f"/api/v1/visits/{visit_id}/answers", headers=headers, json={
                "answers": [], "staff": [], "sync_id": str(uuid.uuid4()), "visited_at": visited, "remarks": "",
                "changed_at": datetime.now(timezone.utc).isoformat()})
            payload += len(json.dumps(visited))
            # Required photos first, so the submit is complete when the form asks for at most --photos of them.
            photo_standards = sorted((st for st in standards if st.photo != "none"), key=lambda st: st.photo != "required")
            for st in standards:
                value = answer_for(st)
                if value is None:
                    continue
                payload += len(json.dumps(value))
                body = {"answers": [{"standard": st.key, "value": value, "comment": "",
                                     "changed_at": datetime.now(timezone.utc).isoformat()}],
                        "staff": [], "sync_id": str(uuid.uuid4())}
                response = meter.exchange(client, "PUT", f"/api/v1/visits/{visit_id}/answers", headers=headers, json=body)
                if response.status_code != 200:
                    print(f"{st.key}: HTTP {response.status_code} {response.get_json()}", file=sys.stderr)
                    return 1
            answers_sent, answers_payload = meter.total, payload
            for i in range(args.photos):
                data = photo(i)
                payload += len(data)
                target = photo_standards[i % len(photo_standards)].key
                response = meter.exchange(client, "POST", f"/api/v1/visits/{visit_id}/photos", headers=headers,
                                          data={"file": (data, f"photo{i}.jpg"),
                                                "client_id": str(uuid.uuid4()), "standard": target},
                                          content_type="multipart/form-data")
                if response.status_code != 201:
                    print(f"photo {i}: HTTP {response.status_code} {response.get_json()}", file=sys.stderr)
                    return 1
            response = meter.exchange(client, "POST", f"/api/v1/visits/{visit_id}/submit", headers=headers,
                                      json={"operation": str(uuid.uuid4())})
            submitted = response.status_code == 200

    ratio = meter.total / payload
    print(f"Filling in '{args.concept}' ({len(standards)} standards) with {args.photos} photos, one answer per request:")
    print(f"  the answers and photos themselves (baseline): {payload:>12,} bytes")
    print(f"  sent and received over the network:          {meter.total:>12,} bytes")
    print(f"  of which the answers: {answers_sent:,} bytes over the network for {answers_payload:,} bytes of answers "
          f"({answers_sent / len(standards):,.0f} per answer)")
    print(f"  submit accepted: {'yes' if submitted else 'no (missing answers or photos: the traffic still counts)'}")
    print(f"ratio {ratio:.2f}x (goal <= {args.goal:g}x) {'OK' if ratio <= args.goal else 'OVER'}")
    return 0 if ratio <= args.goal else 1


if __name__ == "__main__":
    sys.exit(main())
