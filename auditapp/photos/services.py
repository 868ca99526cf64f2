"""Attach and remove visit photos: the pipeline cleans the file, the store keeps it, the row links it."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ..accounts.models import User
from ..database import begin_write, lock_name
from ..domain_error import N_, DomainError, Message, not_found
from ..extensions import db
from ..visits.models import Visit
from ..visits.services import form_of, require_editable, writing
from .models import Photo
from .schemas import MAX_CAPTION
from .pipeline import PhotoRejected, process_photo
from .storage import PhotoStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PhotoUpload:
    data: bytes
    standard: str | None = None
    touchpoint: str | None = None
    client_id: str | None = None
    caption: str = ""


def add_photo(visit: Visit, user: User, upload: PhotoUpload, store: PhotoStore, max_bytes: int) -> tuple[Photo, bool]:
    """Store a cleaned photo once per client_id; return (photo, created).

    A retry is answered with the stored photo even when the visit was submitted meanwhile (its first answer was
    lost, not its upload); the same client_id with another picture or standard is a client's mistake: 409."""
    if visit.auditor_id != user.id:
        raise not_found()
    errors: dict[str, str | Message] = {}
    client_id = None
    if upload.client_id:
        try:
            client_id = str(uuid.UUID(upload.client_id))
        except ValueError:
            errors["client_id"] = N_("must be a UUID")
    source = hashlib.sha256(upload.data).hexdigest()
    if client_id and (existing := _by_client_id(visit, client_id)) is not None:
        return _same_upload(existing, upload, source), False  # a retry: spare it the processing
    require_editable(visit, user)
    form = form_of(visit)
    touchpoint = upload.touchpoint or None
    if upload.standard:
        standard = form.standard(upload.standard)
        if standard is None:
            errors["standard"] = N_("is not a standard of this visit's form")
        elif standard.photo == "none":
            errors["standard"] = N_("takes no photos")
        else:
            touchpoint = form.touchpoint_of(standard.key).key
    elif touchpoint and form.touchpoint(touchpoint) is None:
        errors["touchpoint"] = N_("is not a touchpoint of this visit's form")
    if len(upload.caption) > MAX_CAPTION:
        errors["caption"] = Message(N_("must be at most %(max)d characters"), max=MAX_CAPTION)
    if errors:
        raise DomainError("invalid", N_("The photo could not be attached."), errors)
    try:
        processed = process_photo(upload.data, max_bytes=max_bytes)  # before the lock: the slow part
    except PhotoRejected as exc:
        raise DomainError(exc.code, exc.message, {"file": exc.message}) from None
    key = None
    try:
        with writing(visit):
            require_editable(visit, user)
            if client_id and (existing := _by_client_id(visit, client_id)) is not None:
                # the same upload won a race while this one was processed: no file
                return _same_upload(existing, upload, source), False
            # The file is written only by the upload that adds its row, under the key's lock (_drop_unused).
            lock_name(db.session, _lock(processed.sha256))
            key = store.save(processed)
            photo = Photo(visit_id=visit.id, client_id=client_id, standard_key=upload.standard or None,
                          touchpoint_key=touchpoint, caption=upload.caption.strip(), file_key=key,
                          width=processed.width, height=processed.height, size_bytes=len(processed.image),
                          taken_at=processed.taken_at, uploaded_by_id=user.id, source_sha256=source)
            db.session.add(photo)
            db.session.flush()
    except Exception:
        if key is not None:
            _drop_unused(store, key)
        raise
    log.info("photo %s added to visit %s", photo.id, visit.id)
    return photo, True


def _same_upload(photo: Photo, upload: PhotoUpload, source: str) -> Photo:
    """The stored photo, if the retry carries what the first upload carried (rows from before hashes pass)."""
    if (photo.source_sha256 not in (None, source) or (upload.standard or None) != photo.standard_key
            or (not upload.standard and (upload.touchpoint or None) != photo.touchpoint_key)):
        raise DomainError("conflict", N_("This client_id was already used for another photo."),
                          {"client_id": N_("was already used for another photo")})
    return photo


def _by_client_id(visit: Visit, client_id: str) -> Photo | None:
    return db.session.scalar(sa.select(Photo).where(Photo.visit_id == visit.id, Photo.client_id == client_id))


def _lock(key: str) -> str:
    return f"photo-file:{key}"


def _drop_unused(store: PhotoStore, key: str) -> None:
    """Remove a stored file unless a photo row refers to it; after the transaction that removed or failed to add
    its row, and under the key's lock, so an upload of the same picture cannot add a row in between."""
    begin_write(db.session)
    lock_name(db.session, _lock(key))
    if db.session.scalar(sa.select(Photo.id).where(Photo.file_key == key).limit(1)) is None:
        store.delete(key)
    db.session.commit()


def update_caption(photo: Photo, user: User, caption: str) -> Photo:
    """Change a photo's caption while the visit is still editable."""
    photo_id = photo.id
    with writing(photo.visit) as visit:
        require_editable(visit, user)
        if len(caption) > MAX_CAPTION:
            raise DomainError("invalid", N_("The caption could not be saved."),
                              {"caption": Message(N_("must be at most %(max)d characters"), max=MAX_CAPTION)})
        photo = _still_there(photo_id)
        photo.caption = caption.strip()
    return photo


def delete_photo(photo: Photo, user: User, store: PhotoStore) -> None:
    """Remove a photo; the file goes too unless another photo row shares its content."""
    photo_id = photo.id
    with writing(photo.visit) as visit:
        require_editable(visit, user)
        photo = _still_there(photo_id)
        key = photo.file_key
        db.session.delete(photo)
    _drop_unused(store, key)


def _still_there(photo_id: int) -> Photo:
    """The photo as the write transaction sees it: another request may have deleted it meanwhile."""
    photo = db.session.scalar(sa.select(Photo).where(Photo.id == photo_id))
    if photo is None:
        raise not_found(N_("No such photo."))
    return photo


def photo_store(upload_dir: str | Path) -> PhotoStore:
    return PhotoStore(Path(upload_dir) / "photos")
