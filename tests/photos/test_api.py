"""Photo upload, caption, delete and download through /api/v1, with real phone photos and hostile files."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from auditapp.extensions import db
from auditapp.photos.models import Photo

from .helpers import encode, jpeg_markers, noisy_image, png_bomb

pytest.importorskip("pillow_heif").register_heif_opener()  # so the test can look at the HEIC source

APP1 = 0xE1  # the JPEG segment that carries EXIF and XMP
APP2 = 0xE2  # ICC profiles


def upload(auth, visit, data: bytes, filename: str = "photo.jpg", **form):
    fields = {"file": (io.BytesIO(data), filename), **form}
    return auth.api("POST", f"/api/v1/visits/{visit.id}/photos", data=fields, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    base = Path(app.config["UPLOAD_DIR"])
    return [p for p in base.rglob("*") if p.is_file()] if base.exists() else []


def photo_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Photo.id)))


@pytest.fixture
def mine(factory, auth):
    visit = factory.visit()
    auth.login(visit.auditor)
    return visit


@pytest.fixture
def jpeg() -> bytes:
    return encode(noisy_image((800, 600)), "JPEG", quality=85)


def switch_user(auth, user) -> None:
    auth.client.post("/logout", data={"csrf_token": auth.csrf})
    auth.login(user)


@pytest.mark.parametrize("name, portrait", [
    ("hdr_iphone_hdr_YES.jpg", None),
    ("mobile_iphone_13_pro_max.HEIC", None),
    ("orientation_portrait_6.jpg", True),
    ("orientation_portrait_8.jpg", True),
    ("orientation_landscape_3.jpg", False),
    ("gps_DSCN0010.jpg", None),
])
def test_real_phone_photo_is_stored_small_upright_and_clean(auth, mine, samples, name, portrait):
    path = samples / name
    if not path.is_file():
        pytest.skip(f"{path} not found: this real photo is needed for this test")
    response = upload(auth, mine, path.read_bytes(), filename=name, standard="clean", caption="Table 4")
    assert response.status_code == 201, response.json
    data = response.json
    assert data["standard"] == "clean" and data["touchpoint"] == "table" and data["caption"] == "Table 4"

    served = auth.api("GET", data["url"])
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]
    img = Image.open(io.BytesIO(served.data))
    img.load()
    assert img.format == "JPEG" and max(img.size) <= 1600
    assert (img.width, img.height) == (data["width"], data["height"])
    assert not img.getexif() and "exif" not in img.info and "icc_profile" not in img.info
    assert APP1 not in jpeg_markers(served.data) and APP2 not in jpeg_markers(served.data)
    assert b"Exif" not in served.data[:65536] and b"GPS" not in served.data[:65536]

    with Image.open(path) as original:
        transposed = original.getexif().get(0x0112, 1) in (5, 6, 7, 8)
        upright = (original.height, original.width) if transposed else original.size
    if portrait is not None:
        assert (img.height > img.width) is portrait
    assert (img.width > img.height) == (upright[0] > upright[1])

    thumb = auth.api("GET", data["thumbnail_url"])
    assert thumb.status_code == 200 and "private" in thumb.headers["Cache-Control"]
    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 320
    assert APP1 not in jpeg_markers(thumb.data)


def test_photo_is_hidden_from_other_auditors_and_other_managers(auth, factory, mine, jpeg):
    data = upload(auth, mine, jpeg, standard="clean").json
    mine.status = "submitted"  # a manager sees a visit once it has been submitted
    db.session.commit()
    for user in (factory.user("auditor"), factory.user("manager", branches=(factory.branch(),))):
        switch_user(auth, user)
        for url in (data["url"], data["thumbnail_url"]):
            response = auth.api("GET", url)
            assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    switch_user(auth, factory.user("manager", branches=(mine.branch,)))
    assert auth.api("GET", data["url"]).status_code == 200


def test_anonymous_download_is_401(client, auth, mine, jpeg):
    data = upload(auth, mine, jpeg).json
    client.post("/logout", data={"csrf_token": auth.csrf})
    assert client.get(data["url"]).status_code == 401


def test_same_client_id_twice_gives_one_photo(auth, mine, jpeg):
    client_id = str(uuid.uuid4())
    first = upload(auth, mine, jpeg, client_id=client_id, standard="clean")
    second = upload(auth, mine, jpeg, client_id=client_id, standard="clean")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["id"] == second.json["id"] and first.json["client_id"] == client_id
    assert photo_count() == 1


def test_same_picture_under_two_client_ids_is_two_photos_one_file(app, auth, mine, jpeg):
    a = upload(auth, mine, jpeg, client_id=str(uuid.uuid4()))
    b = upload(auth, mine, jpeg, client_id=str(uuid.uuid4()))
    assert (a.status_code, b.status_code) == (201, 201) and a.json["id"] != b.json["id"]
    assert len(stored_files(app)) == 2  # one image and one thumbnail, shared by content hash


@pytest.mark.parametrize("form, field", [
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"standard": "rings"}, "standard"),
    ({"standard": "nonsense"}, "standard"),
    ({"touchpoint": "phone"}, "touchpoint"),
    ({"caption": "x" * 501}, "caption"),
])
def test_bad_photo_fields_are_refused(app, auth, mine, jpeg, form, field):
    response = upload(auth, mine, jpeg, **form)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert photo_count() == 0 and stored_files(app) == []


def test_missing_file_is_422(auth, mine):
    response = auth.api("POST", f"/api/v1/visits/{mine.id}/photos", data={"standard": "clean"},
                        content_type="multipart/form-data")
    assert response.status_code == 422 and response.json["error"]["fields"] == {"file": "is required"}


def tiff() -> bytes:
    return encode(noisy_image((64, 64)), "TIFF")


def truncated_jpeg() -> bytes:
    data = encode(noisy_image((1200, 900)), "JPEG", quality=90)
    return data[: len(data) // 2]


HOSTILE = {
    "png-bomb-40000": (lambda: png_bomb(40_000, 40_000), "bomb.png"),
    "truncated-jpeg": (truncated_jpeg, "cut.jpg"),
    "svg-with-script": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg"),
    "html-as-jpg": (lambda: b"<!doctype html><html><body><script>alert(1)</script></body></html>", "photo.jpg"),
    "tiff": (tiff, "scan.tiff"),
    "zero-bytes": (lambda: b"", "empty.jpg"),
    "over-photo-limit": (lambda: b"\xff\xd8\xff\xe0" + b"\0" * (15 * 1024 * 1024 + 10), "huge.jpg"),
    "over-request-limit": (lambda: b"\xff\xd8\xff\xe0" + b"\0" * (21 * 1024 * 1024), "huger.jpg"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_with_a_message_and_nothing_stored(app, auth, mine, case):
    make, filename = HOSTILE[case]
    response = upload(auth, mine, make(), filename=filename, standard="clean", client_id=str(uuid.uuid4()))
    assert 400 <= response.status_code < 500, response.data[:200]
    assert response.is_json
    message = response.json["error"]["message"]
    assert len(message) > 20
    if case.startswith("over-"):
        assert response.status_code == 413
        assert " MB" in message
    assert photo_count() == 0
    assert stored_files(app) == []


def test_request_over_the_limit_names_the_limit(app, auth, mine):
    response = upload(auth, mine, b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    assert f"{app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB" in response.json["error"]["message"]


def test_caption_can_be_changed(auth, mine, jpeg):
    photo = upload(auth, mine, jpeg).json
    response = auth.api("PATCH", f"/api/v1/photos/{photo['id']}", json={"caption": "  Door handle  "})
    assert response.status_code == 200 and response.json["caption"] == "Door handle"
    assert db.session.get(Photo, photo["id"]).caption == "Door handle"
    bad = auth.api("PATCH", f"/api/v1/photos/{photo['id']}", json={"caption": 5})
    assert bad.status_code == 422 and "caption" in bad.json["error"]["fields"]


def test_delete_removes_row_and_file(app, auth, mine, jpeg):
    photo = upload(auth, mine, jpeg).json
    assert len(stored_files(app)) == 2
    response = auth.api("DELETE", f"/api/v1/photos/{photo['id']}")
    assert response.status_code == 204
    assert photo_count() == 0 and stored_files(app) == []
    assert auth.api("GET", photo["url"]).status_code == 404
    assert auth.api("DELETE", f"/api/v1/photos/{photo['id']}").status_code == 404


def test_photos_of_a_submitted_visit_cannot_change(auth, mine, jpeg):
    photo = upload(auth, mine, jpeg).json
    mine.status = "submitted"
    db.session.commit()
    assert upload(auth, mine, jpeg).status_code == 409
    assert auth.api("PATCH", f"/api/v1/photos/{photo['id']}", json={"caption": "x"}).status_code == 409
    assert auth.api("DELETE", f"/api/v1/photos/{photo['id']}").status_code == 409
    assert photo_count() == 1


def test_another_auditor_cannot_upload_edit_or_delete(auth, factory, mine, jpeg):
    photo = upload(auth, mine, jpeg).json
    switch_user(auth, factory.user("auditor"))
    assert upload(auth, mine, jpeg).status_code == 404
    assert auth.api("PATCH", f"/api/v1/photos/{photo['id']}", json={"caption": "x"}).status_code == 404
    assert auth.api("DELETE", f"/api/v1/photos/{photo['id']}").status_code == 404
    assert photo_count() == 1


def test_upload_needs_the_csrf_header(client, auth, mine, jpeg):
    response = client.post(f"/api/v1/visits/{mine.id}/photos", data={"file": (io.BytesIO(jpeg), "a.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and response.json["error"]["code"] == "csrf"
    assert photo_count() == 0


def test_photos_appear_in_the_visit(auth, mine, jpeg):
    photo = upload(auth, mine, jpeg, standard="clean").json
    data = auth.api("GET", f"/api/v1/visits/{mine.id}").json
    assert data["photos"] == [photo]
    assert set(photo) >= {"id", "client_id", "standard", "url", "thumbnail_url"}
