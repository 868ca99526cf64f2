"""A branch as the API shows it (docs/architecture.md, Interfaces)."""

from marshmallow import Schema, fields


class BranchSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    city = fields.String(required=True)
    region = fields.String(required=True, attribute="region_name")
    # Added in issue 9: a closed branch stays listed (its history is still read and filtered by), marked here.
    active = fields.Boolean(required=True, metadata={"description": "False when the branch is closed: its history "
                                                                    "stays, it gets no new visits."})
