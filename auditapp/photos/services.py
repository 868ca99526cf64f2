"""Attach and remove visit photos: the pipeline cleans the file, the store keeps it, the row links it."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ..accounts.models import User
from ..extensions import db
from ..visits.models import Visit
from ..domain_error import N_, DomainError, Message
from ..visits.services import form_of, require_editable
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
    """Store a cleaned photo once per client_id; return (photo, created)."""
    require_editable(visit, user)
    errors: dict[str, str | Message] = {}
    client_id = None
    if upload.client_id:
        try:
            client_id = str(uuid.UUID(upload.client_id))
        except ValueError:
            errors["client_id"] = N_("must be a UUID")
    if client_id:
        existing = db.session.scalar(sa.select(Photo).where(Photo.visit_id == visit.id, Photo.client_id == client_id))
        if existing is not None:
            return existing, False
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
        processed = process_photo(upload.data, max_bytes=max_bytes)
    except PhotoRejected as exc:
        raise DomainError(exc.code, exc.message, {"file": exc.message}) from None
    key = store.save(processed)
    photo = Photo(visit=visit, client_id=client_id, standard_key=upload.standard or None, touchpoint_key=touchpoint,
                  caption=upload.caption.strip(), file_key=key, width=processed.width, height=processed.height,
                  size_bytes=len(processed.image), taken_at=processed.taken_at, uploaded_by_id=user.id)
    db.session.add(photo)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # A retry raced us to the same client_id: answer with the photo that won.
        db.session.rollback()
        existing = db.session.scalar(sa.select(Photo).where(Photo.visit_id == visit.id, Photo.client_id == client_id))
        if existing is None:
            raise
        return existing, False
    log.info("photo %s added to visit %s", photo.id, visit.id)
    return photo, True


def update_caption(photo: Photo, user: User, caption: str) -> Photo:
    """Change a photo's caption while the visit is still editable."""
    require_editable(photo.visit, user)
    if len(caption) > MAX_CAPTION:
        raise DomainError("invalid", N_("The caption could not be saved."),
                          {"caption": Message(N_("must be at most %(max)d characters"), max=MAX_CAPTION)})
    photo.caption = caption.strip()
    db.session.commit()
    return photo


def delete_photo(photo: Photo, user: User, store: PhotoStore) -> None:
    """Remove a photo; the file goes too unless another photo row shares its content."""
    require_editable(photo.visit, user)
    key = photo.file_key
    db.session.delete(photo)
    db.session.commit()
    if not db.session.scalar(sa.select(Photo.id).where(Photo.file_key == key).limit(1)):
        store.delete(key)


def photo_store(upload_dir: str | Path) -> PhotoStore:
    return PhotoStore(Path(upload_dir) / "photos")
