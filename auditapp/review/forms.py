"""The review decision: approve, or return to the auditor with a comment."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from ..forms import PostedForm, Storable
from ..visits.schemas import MAX_COMMENT


class ReviewForm(PostedForm):
    comment = TextAreaField(_l("Comment for the auditor"), validators=[Length(max=MAX_COMMENT), Storable()],
                            render_kw={"rows": 4, "maxlength": MAX_COMMENT})
    approve = SubmitField(_l("Approve"))
    send_back = SubmitField(_l("Return to the auditor"))

    @property
    def decision(self) -> str | None:
        """Which button was pressed, in the words the review service takes."""
        if self.approve.data:
            return "approve"
        if self.send_back.data:
            return "return"
        return None
