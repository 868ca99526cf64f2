"""Photo upload and download under /api/v1; files are served only to those who may see the visit."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from ..api import api_blueprint, json_body
from ..domain_error import N_, DomainError, not_found
from ..errors import json_error, wants_json
from ..extensions import db
from ..fields import refused
from ..visits.queries import visible_visit
from ..visits.serialize import photo_json
from . import services
from .models import Photo
from .schemas import PhotoPatchSchema

bp = api_blueprint("photos_api", __name__)


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge):
    """Name the limit, so an auditor knows to send a smaller photo (HTML form posts land here too)."""
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
    message = _("The upload is larger than %(limit)s MB. Please send a smaller photo, or fewer at once.",
                limit=f"{limit:g}")
    if wants_json():
        return json_error(413, "too_large", message)
    return render_template("errors/error.html", code=413, message=message), 413


def _store():
    return services.photo_store(current_app.config["UPLOAD_DIR"])


def _photo(photo_id: int) -> Photo:
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        raise not_found(N_("No such photo."))
    visible_visit(current_user, photo.visit_id)  # 404 unless the viewer may see the visit
    return photo


@bp.post("/visits/<int:visit_id>/photos")
def upload(visit_id: int):
    visit = visible_visit(current_user, visit_id)
    file = request.files.get("file")
    if file is None:
        raise DomainError("invalid", N_("Choose a photo to upload."), {"file": N_("is required")})
    data = file.read(current_app.config["PHOTO_MAX_BYTES"] + 1)
    upload = services.PhotoUpload(data=data, standard=request.form.get("standard") or None,
                                  touchpoint=request.form.get("touchpoint") or None,
                                  client_id=request.form.get("client_id") or None,
                                  caption=request.form.get("caption", ""))
    photo, created = services.add_photo(visit, current_user, upload, _store(), current_app.config["PHOTO_MAX_BYTES"])
    return jsonify(photo_json(photo)), 201 if created else 200


@bp.patch("/photos/<int:photo_id>")
def update(photo_id: int):
    photo = _photo(photo_id)
    try:
        body = PhotoPatchSchema().load(json_body())
    except ValidationError as exc:
        raise refused(exc, N_("The caption could not be saved.")) from None
    services.update_caption(photo, current_user, body["caption"])
    return jsonify(photo_json(photo))


@bp.delete("/photos/<int:photo_id>")
def delete(photo_id: int):
    photo = _photo(photo_id)
    services.delete_photo(photo, current_user, _store())
    return "", 204


@bp.get("/photos/<int:photo_id>/file")
def photo_file(photo_id: int):
    photo = _photo(photo_id)
    path = _store().path(photo.file_key, thumbnail=request.args.get("size") == "thumbnail")
    if not path.exists():
        raise not_found(N_("The photo file is missing."))
    response = send_file(path, mimetype="image/jpeg", max_age=3600, conditional=True, etag=True)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
