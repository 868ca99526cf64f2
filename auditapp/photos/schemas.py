"""The shapes of photo requests and of a photo as the API shows it; the image itself is checked by the pipeline."""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from ..concepts.definition import MAX_KEY
from ..domain_error import N_, Message
from ..fields import Minutes, QuerySchema, Text

MAX_CAPTION = 500


class PhotoPatchSchema(Schema):
    """`PATCH /photos/{id}`: a new caption."""

    REFUSED = N_("The caption could not be saved.")

    class Meta:
        unknown = RAISE

    caption = Text(MAX_CAPTION, required=True)


class PhotoFile(fields.Field):
    """An uploaded file part; a plain form value under that name is not a photo."""

    def __init__(self, **kwargs: Any):
        super().__init__(metadata={"type": "string", "format": "binary",
                                   "description": "JPEG, PNG, WebP or HEIC/HEIF."}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise ValidationError(Message(N_("must be a file")))
        return value


class PhotoUploadSchema(Schema):
    """`POST /visits/{id}/photos`, multipart."""

    REFUSED = N_("The photo could not be attached.")

    class Meta:
        unknown = EXCLUDE  # a form may carry more, such as its CSRF token

    file = PhotoFile(required=True, error_messages={"required": Message(N_("is required"))})
    standard = Text(MAX_KEY, metadata={"description": "The standard the photo documents."})
    touchpoint = Text(MAX_KEY, metadata={"description": "The touchpoint, for a photo of no one standard."})
    client_id = fields.UUID(metadata={"description": "Chosen by the client; sending it again answers the stored photo."})
    caption = Text(MAX_CAPTION, load_default="")


class PhotoFileQuerySchema(QuerySchema):
    size = fields.String(validate=validate.OneOf(["thumbnail"]), metadata={"description": "The ≤ 320 px thumbnail."})


class PhotoSchema(Schema):
    """A photo as the API shows it (docs/architecture.md, Interfaces): its links are the only way to the file."""

    id = fields.Integer(required=True)
    client_id = fields.String(required=True, allow_none=True, metadata={"format": "uuid"})
    standard = fields.String(required=True, allow_none=True, attribute="standard_key")
    touchpoint = fields.String(required=True, allow_none=True, attribute="touchpoint_key")
    caption = fields.String(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    taken_at = Minutes(required=True, allow_none=True, metadata={"description": "From the photo's EXIF, when it had one."})
    url = fields.Function(lambda p: url_for("photos_api.photo_file", photo_id=p.id), required=True,
                          metadata={"type": "string"})
    thumbnail_url = fields.Function(lambda p: url_for("photos_api.photo_file", photo_id=p.id, size="thumbnail"),
                                    required=True, metadata={"type": "string"})

