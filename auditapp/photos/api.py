"""Photo upload and download under /api/v1; files are served only to those who may see the visit."""

from __future__ import annotations

from flask import Response, current_app, render_template, send_file
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..api import ApiBlueprint
from ..domain_error import N_, not_found
from ..errors import json_error, wants_json
from ..extensions import db
from ..templating import format_number
from ..visits.queries import visible_visit
from . import services
from .models import Photo
from .schemas import PhotoFileQuerySchema, PhotoPatchSchema, PhotoSchema, PhotoUploadSchema

bp = ApiBlueprint("photos_api", __name__, description="Photos of a visit: upload, caption, remove, download.")


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge):
    """Name the limit, so an auditor knows to send a smaller photo (HTML form posts land here too)."""
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
    message = _("The upload is larger than %(limit)s MB. Please send a smaller photo, or fewer at once.",
                limit=format_number(limit))
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
@bp.arguments(PhotoUploadSchema, location="multipart")
@bp.response(201, PhotoSchema, description="Stored.")
@bp.alt_response(200, schema=PhotoSchema, description="Already stored under this client_id.", success=True)
@bp.refusals(400, 404, 409, 413, 422)
def upload(form: dict, visit_id: int):
    """Attach a photo; the same client_id again answers 200 with the existing photo.

    JPEG, PNG, WebP or HEIC/HEIF. Stored re-encoded (≤ 1600 px, thumbnail ≤ 320 px) without EXIF, GPS, XMP or
    ICC data.
    """
    visit = visible_visit(current_user, visit_id)
    max_bytes = current_app.config["PHOTO_MAX_BYTES"]
    client_id = form.get("client_id")
    upload = services.PhotoUpload(data=form["file"].read(max_bytes + 1), standard=form.get("standard") or None,
                                  touchpoint=form.get("touchpoint") or None, caption=form["caption"],
                                  client_id=str(client_id) if client_id else None)
    photo, created = services.add_photo(visit, current_user, upload, _store(), max_bytes)
    return photo, 201 if created else 200


@bp.route("/photos/<int:photo_id>", endpoint="photo")
class PhotoView(MethodView):
    """One view for both methods: with two rules on one path, an id beyond MAX_ID would be a 405, not a 404."""

    @bp.arguments(PhotoPatchSchema)
    @bp.response(200, PhotoSchema, description="The photo.")
    @bp.refusals(400, 404, 409, 422)
    def patch(self, body: dict, photo_id: int):
        """Change a photo's caption."""
        photo = _photo(photo_id)
        return services.update_caption(photo, current_user, body["caption"])

    @bp.response(204, description="Removed.")
    @bp.refusals(400, 404, 409)
    def delete(self, photo_id: int):
        """Remove a photo."""
        photo = _photo(photo_id)
        services.delete_photo(photo, current_user, _store())
        return Response(status=204)


@bp.get("/photos/<int:photo_id>/file")
@bp.arguments(PhotoFileQuerySchema, location="query")
@bp.response(200, {"type": "string", "format": "binary"}, content_type="image/jpeg", description="JPEG")
@bp.refusals(404, 422)
def photo_file(query: dict, photo_id: int):
    """The photo as JPEG, to users who may see its visit (Cache-Control: private)."""
    photo = _photo(photo_id)
    path = _store().path(photo.file_key, thumbnail=query.get("size") == "thumbnail")
    if not path.exists():
        raise not_found(N_("The photo file is missing."))
    response = send_file(path, mimetype="image/jpeg", max_age=3600, conditional=True, etag=True)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
