"""URL converters: a path id or key is a 404 unless it could name a row, so no database ever sees an absurd one."""

from werkzeug.routing import BaseConverter, IntegerConverter

from .concepts.definition import SLUG

# Primary keys are 32-bit integers on PostgreSQL; a larger id can name no row, and the driver would refuse it.
MAX_ID = 2**31 - 1


# No table has a row 0: an id beyond what a key can hold becomes this, so the view answers its usual 404.
NO_ROW = 0


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to what a primary key can hold: 9223372036854775808 is simply not found.

    The converter maps such an id to NO_ROW instead of refusing it: a refusal makes werkzeug's router answer 405
    when another method is routed on the same path (PATCH beside GET /visits/{id}), where a 404 is the truth."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)  # max: for the document

    def to_python(self, value: str) -> int:
        number = int(value)
        return NO_ROW if number > MAX_ID else number


class SlugConverter(BaseConverter):
    """A concept key as the loader allows it (`hotel-stay`): a NUL or a control character is simply not found."""

    regex = SLUG.pattern.removeprefix("^").removesuffix("$")
