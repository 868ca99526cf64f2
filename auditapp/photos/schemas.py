"""The shapes of photo requests; the upload itself is multipart and checked by the photo pipeline."""

from __future__ import annotations

from marshmallow import RAISE, Schema

from ..fields import Text

MAX_CAPTION = 500


class PhotoPatchSchema(Schema):
    """`PATCH /photos/{id}`: a new caption."""

    class Meta:
        unknown = RAISE

    caption = Text(MAX_CAPTION, required=True)
