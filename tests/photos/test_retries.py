"""A photo upload retried by a phone that lost the answer: the same client_id is one photo, never another picture."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits.models import Visit

from .helpers import encode, noisy_image
from .test_api import jpeg, mine, photo_count, upload  # noqa: F401  (fixtures)


def test_the_same_client_id_with_another_picture_is_refused(auth, mine, jpeg):
    client_id = str(uuid.uuid4())
    assert upload(auth, mine, jpeg, client_id=client_id, standard="clean").status_code == 201
    other = encode(noisy_image((640, 480)), "JPEG", quality=70)
    refused = upload(auth, mine, other, client_id=client_id, standard="clean")
    assert refused.status_code == 409 and "client_id" in refused.json["error"]["fields"]
    assert photo_count() == 1


def test_the_same_client_id_for_another_standard_is_refused(auth, mine, jpeg):
    client_id = str(uuid.uuid4())
    upload(auth, mine, jpeg, client_id=client_id, standard="clean")
    assert upload(auth, mine, jpeg, client_id=client_id, standard="entrance").status_code == 409
    assert upload(auth, mine, jpeg, client_id=client_id, touchpoint="table").status_code == 409


def test_a_retry_after_the_visit_was_submitted_gets_its_photo(auth, mine, jpeg):
    client_id = str(uuid.uuid4())
    first = upload(auth, mine, jpeg, client_id=client_id, standard="clean")
    db.session.execute(sa.update(Visit).where(Visit.id == mine.id).values(status="submitted"))
    db.session.commit()
    again = upload(auth, mine, jpeg, client_id=client_id, standard="clean")
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    fresh = upload(auth, mine, jpeg, client_id=str(uuid.uuid4()), standard="clean")
    assert fresh.status_code == 409  # a new photo on a submitted visit still is not allowed
    assert photo_count() == 1


def test_another_auditors_client_id_answers_404_not_their_photo(auth, factory, mine, jpeg):
    client_id = str(uuid.uuid4())
    upload(auth, mine, jpeg, client_id=client_id, standard="clean")
    stranger = factory.visit()
    assert upload(auth, stranger, jpeg, client_id=client_id, standard="clean").status_code == 404
    assert db.session.scalar(sa.select(Photo.source_sha256)) is not None
