"""A branch as the API shows it (docs/architecture.md, Interfaces)."""

from marshmallow import Schema, fields


class BranchSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    city = fields.String(required=True)
    region = fields.String(required=True, attribute="region_name")
