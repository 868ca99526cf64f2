"""The OpenAPI 3.1 description of /api/v1, written by hand to match what the routes really do (DESIGN §5).

tests/test_openapi.py checks that every /api/v1 rule of the app is described here with its methods, and
that nothing is described that the app does not serve.
"""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _errors(*codes: int) -> dict[str, Any]:
    """The standard error answers of a route, plus 401 (every route needs a user)."""
    text = {
        400: "The body is not valid JSON, or the CSRF token is missing for a cookie session (`code: csrf`).",
        401: "Not logged in and no valid Bearer token: always JSON, never a redirect.",
        404: "No such resource, or one the caller may not see (existence is not revealed).",
        409: "The visit is not in a state that allows this (e.g. already submitted).",
        413: "The upload is larger than the request limit; the message names the limit in MB.",
        422: "Invalid input; `fields` names each bad field or standard with a message.",
    }
    return {str(code): _error(text[code]) for code in sorted({401, *codes})}


def _visit_id() -> dict[str, Any]:
    return {"name": "visit_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _photo_id() -> dict[str, Any]:
    return {"name": "photo_id", "in": "path", "required": True, "schema": {"type": "integer"}}


SCORE = {"type": ["number", "null"], "description": "0–100, unrounded; null when nothing is scored."}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "examples": ["invalid", "not_found", "not_editable", "csrf"]},
                "message": {"type": "string", "description": "A sentence for the person using the app."},
                "fields": {"type": "object", "additionalProperties": {"type": "string"},
                           "examples": [{"friendliness": "must be a whole number from 1 to 5"}]},
            }}},
    },
    "Branch": {
        "type": "object", "required": ["id", "code", "name", "city", "region"],
        "properties": {"id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"},
                       "city": {"type": "string"}, "region": {"type": "string"}},
    },
    "VisitSummary": {
        "type": "object",
        "required": ["id", "status", "channel", "branch", "concept", "persona", "due", "visited_at", "score"],
        "properties": {
            "id": {"type": "integer"},
            "status": {"enum": ["scheduled", "in_progress", "submitted", "returned", "approved", "cancelled"]},
            "channel": {"enum": ["visit", "call"]},
            "branch": {"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                                        "name": {"type": "string"}}},
            "concept": {"type": "object", "properties": {"key": {"type": "string"}, "name": {"type": "string"},
                                                         "version": {"type": "integer"}}},
            "persona": {"type": ["object", "null"], "properties": {
                "key": {"type": "string"}, "name": {"type": "string"}, "briefing": {"type": "string"}}},
            "due": {"type": "string", "format": "date"},
            "visited_at": {"type": ["string", "null"], "description": "The auditor's local time, YYYY-MM-DDTHH:MM."},
            "score": SCORE,
        },
    },
    "Standard": {
        "type": "object", "required": ["key", "text", "type"],
        "properties": {
            "key": {"type": "string"}, "text": {"type": "string"},
            "type": {"enum": ["yesno", "scale", "choice", "number", "text", "photo"]},
            "weight": {"type": "number"}, "critical": {"type": "boolean"},
            "na": {"type": "boolean", "description": "Whether \"na\" is an accepted value."},
            "photo": {"enum": ["none", "optional", "required"]}, "guidance": {"type": "string"},
            "min": {"type": "number", "description": "scale only"}, "max": {"type": "number", "description": "scale only"},
            "options": {"type": "array", "description": "choice only", "items": {
                "type": "object", "properties": {"key": {"type": "string"}, "label": {"type": "string"}}}},
            "unit": {"type": "string", "description": "number only"},
            "target": {"type": ["object", "null"], "description": "number only",
                       "properties": {"min": {"type": ["number", "null"]}, "max": {"type": ["number", "null"]}}},
        },
    },
    "Form": {
        "type": "object", "description": "Only the phases and touchpoints of the visit's channel, in journey order.",
        "properties": {"phases": {"type": "array", "items": {
            "type": "object", "properties": {
                "key": {"type": "string"}, "name": {"type": "string"},
                "touchpoints": {"type": "array", "items": {
                    "type": "object", "properties": {
                        "key": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
                        "record_staff": {"type": "boolean"},
                        "standards": {"type": "array", "items": _ref("Standard")}}}}}}}},
    },
    "AnswerValue": {
        "description": "\"yes\", \"no\", \"na\", a number, an option key or text, by the standard's type.",
        "type": ["string", "number", "null"],
    },
    "Answer": {
        "type": "object", "required": ["standard", "value", "comment"],
        "properties": {"standard": {"type": "string"}, "value": _ref("AnswerValue"), "comment": {"type": "string"}},
    },
    "Photo": {
        "type": "object", "required": ["id", "client_id", "standard", "url", "thumbnail_url"],
        "properties": {
            "id": {"type": "integer"}, "client_id": {"type": ["string", "null"], "format": "uuid"},
            "standard": {"type": ["string", "null"]}, "touchpoint": {"type": ["string", "null"]},
            "caption": {"type": "string"}, "width": {"type": "integer"}, "height": {"type": "integer"},
            "taken_at": {"type": ["string", "null"], "description": "From the photo's EXIF, when it had one."},
            "url": {"type": "string"}, "thumbnail_url": {"type": "string"},
        },
    },
    "Scores": {
        "type": "object", "required": ["visit", "phases", "touchpoints", "critical_failures"],
        "properties": {
            "visit": SCORE,
            "phases": {"type": "object", "additionalProperties": SCORE},
            "touchpoints": {"type": "object", "additionalProperties": SCORE},
            "critical_failures": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Visit": {
        "allOf": [_ref("VisitSummary"), {
            "type": "object",
            "required": ["remarks", "form", "answers", "photos", "scores", "editable"],
            "properties": {
                "remarks": {"type": "string"}, "duration_minutes": {"type": ["integer", "null"]},
                "started_at": {"type": ["string", "null"]}, "submitted_at": {"type": ["string", "null"]},
                "editable": {"type": "boolean"},
                "auditor": {"type": "string", "description": "A pseudonym (\"Guest 7\") for managers."},
                "thresholds": {"type": "object", "properties": {"good": {"type": "number"}, "poor": {"type": "number"}}},
                "form": _ref("Form"),
                "answers": {"type": "array", "items": _ref("Answer")},
                "photos": {"type": "array", "items": _ref("Photo")},
                "scores": _ref("Scores"),
                "missing": {"type": "object", "additionalProperties": {"type": "string"},
                            "description": "What submit would still refuse, keyed by standard or field."},
                "history": {"type": "array", "items": {"type": "object", "properties": {
                    "at": {"type": "string"}, "from": {"type": ["string", "null"]}, "to": {"type": "string"},
                    "comment": {"type": "string"}}}},
                "staff": {"type": "array", "description": "Only for admins, HR and the auditor.",
                          "items": {"type": "object", "properties": {"touchpoint": {"type": "string"},
                                                                     "name": {"type": "string"}}}},
            }}],
    },
    "AnswersUpdate": {
        "type": "object",
        "properties": {
            "answers": {"type": "array", "items": {
                "type": "object", "required": ["standard"],
                "properties": {"standard": {"type": "string"},
                               "value": {**_ref("AnswerValue"),
                                         "description": "Omit to keep the value; null or \"\" clears it."},
                               "comment": {"type": "string", "maxLength": 4000}}}},
            "visited_at": {"type": "string", "description": "ISO 8601; an offset is dropped (local time is kept)."},
            "duration_minutes": {"type": "integer", "minimum": 0, "maximum": 1440},
            "remarks": {"type": "string", "maxLength": 4000},
            "staff": {"type": "array", "description": "Who served the guest, where the touchpoint records staff.",
                      "items": {"type": "object", "properties": {"touchpoint": {"type": "string"},
                                                                 "name": {"type": "string", "maxLength": 120}}}},
        },
        "examples": [{"answers": [{"standard": "greeted", "value": "yes", "comment": "At once, with a smile."},
                                  {"standard": "friendliness", "value": 4}],
                      "visited_at": "2026-04-14T19:30", "remarks": "A busy evening."}],
    },
    "Review": {
        "type": "object", "required": ["decision"],
        "properties": {"decision": {"enum": ["approve", "return"]},
                       "comment": {"type": "string", "maxLength": 4000,
                                   "description": "Required when returning: what the auditor should change."}},
    },
    "ScoreCell": {
        "type": "object", "required": ["period", "score", "n"],
        "properties": {"period": {"type": "string", "examples": ["2026-04", "2026-Q2", "2026"]},
                       "score": SCORE, "n": {"type": "integer", "description": "Approved visits behind the score."}},
    },
    "BranchScores": {
        "type": "object", "required": ["periods", "overall", "touchpoints"],
        "properties": {
            "periods": {"type": "array", "items": {"type": "string"}},
            "overall": {"type": "array", "items": _ref("ScoreCell")},
            "touchpoints": {"type": "array", "items": {
                "type": "object", "required": ["key", "name", "phase", "scores"],
                "properties": {"key": {"type": "string"}, "name": {"type": "string"}, "phase": {"type": "string"},
                               "scores": {"type": "array", "items": _ref("ScoreCell")}}}},
        },
    },
}


def _paths() -> dict[str, Any]:
    visit_ok = _json(_ref("Visit"), "The visit, with its form, answers, photos and scores.")
    return {
        "/api/v1/openapi.json": {"get": {
            "summary": "This document.", "operationId": "openapi", "security": [],
            "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")}}},
        "/api/v1/branches": {"get": {
            "summary": "The branches the caller may see.", "operationId": "listBranches", "tags": ["branches"],
            "responses": {"200": _json({"type": "array", "items": _ref("Branch")}, "Branches by code."),
                          **_errors()}}},
        "/api/v1/branches/{branch_id}/scores": {"get": {
            "summary": "A branch's touchpoint and overall scores per period, over approved visits (DESIGN §3).",
            "operationId": "branchScores", "tags": ["reports"],
            "parameters": [
                {"name": "branch_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"name": "concept", "in": "query", "required": True, "schema": {"type": "string"},
                 "description": "Concept key."},
                {"name": "period", "in": "query", "schema": {"enum": ["month", "quarter", "year"], "default": "month"}},
                {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
            ],
            "responses": {"200": _json(_ref("BranchScores"), "Scores with n per period."),
                          **_errors(404, 422)}}},
        "/api/v1/visits": {"get": {
            "summary": "The visits the caller may see, newest due date first.", "operationId": "listVisits",
            "tags": ["visits"],
            "parameters": [
                {"name": "status", "in": "query", "schema": {
                    "enum": ["scheduled", "in_progress", "submitted", "returned", "approved", "cancelled"]}},
                {"name": "branch", "in": "query", "schema": {"type": "string"}, "description": "Branch code."},
            ],
            "responses": {"200": _json({"type": "array", "items": _ref("VisitSummary")}, "Visits."),
                          **_errors(422)}}},
        "/api/v1/visits/{visit_id}": {"get": {
            "summary": "A visit with its form (for its channel), answers, photos and scores.",
            "operationId": "getVisit", "tags": ["visits"], "parameters": [_visit_id()],
            "responses": {"200": visit_ok, **_errors(404)}}},
        "/api/v1/visits/{visit_id}/start": {"post": {
            "summary": "Record that the auditor started the visit or call (moves it to in_progress).",
            "operationId": "startVisit", "tags": ["visits"], "parameters": [_visit_id()],
            "responses": {"200": visit_ok, **_errors(400, 404, 409)}}},
        "/api/v1/visits/{visit_id}/answers": {"put": {
            "summary": "Upsert answers and visit details; all or nothing, idempotent.",
            "description": "Only the auditor of the visit, while it is scheduled, in progress or returned. "
                          "Standards not in the visit's channel are refused by name.",
            "operationId": "saveAnswers", "tags": ["visits"], "parameters": [_visit_id()],
            "requestBody": {"required": True, "content": {JSON: {"schema": _ref("AnswersUpdate")}}},
            "responses": {"200": visit_ok, **_errors(400, 404, 409, 422)}}},
        "/api/v1/visits/{visit_id}/photos": {"post": {
            "summary": "Attach a photo; the same client_id again answers 200 with the existing photo.",
            "description": "JPEG, PNG, WebP or HEIC/HEIF. Stored re-encoded (≤ 1600 px, thumbnail ≤ 320 px) "
                          "without EXIF, GPS, XMP or ICC data.",
            "operationId": "uploadPhoto", "tags": ["photos"], "parameters": [_visit_id()],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"},
                               "standard": {"type": "string"}, "touchpoint": {"type": "string"},
                               "client_id": {"type": "string", "format": "uuid"},
                               "caption": {"type": "string", "maxLength": 500}}}}}},
            "responses": {"201": _json(_ref("Photo"), "Stored."),
                          "200": _json(_ref("Photo"), "Already stored under this client_id."),
                          **_errors(400, 404, 409, 413, 422)}}},
        "/api/v1/photos/{photo_id}": {
            "patch": {"summary": "Change a photo's caption.", "operationId": "updatePhoto", "tags": ["photos"],
                      "parameters": [_photo_id()],
                      "requestBody": {"required": True, "content": {JSON: {"schema": {
                          "type": "object", "properties": {"caption": {"type": "string", "maxLength": 500}}}}}},
                      "responses": {"200": _json(_ref("Photo"), "The photo."), **_errors(400, 404, 409, 422)}},
            "delete": {"summary": "Remove a photo.", "operationId": "deletePhoto", "tags": ["photos"],
                       "parameters": [_photo_id()],
                       "responses": {"204": {"description": "Removed."}, **_errors(400, 404, 409)}}},
        "/api/v1/photos/{photo_id}/file": {"get": {
            "summary": "The photo as JPEG, to users who may see its visit (Cache-Control: private).",
            "operationId": "photoFile", "tags": ["photos"],
            "parameters": [_photo_id(), {"name": "size", "in": "query", "schema": {"enum": ["thumbnail"]}}],
            "responses": {"200": {"description": "JPEG", "content": {"image/jpeg": {}}}, **_errors(404)}}},
        "/api/v1/visits/{visit_id}/submit": {"post": {
            "summary": "Send a complete visit for review; repeating it changes nothing.",
            "operationId": "submitVisit", "tags": ["visits"], "parameters": [_visit_id()],
            "responses": {"200": visit_ok,
                          "422": _error("Missing required answers and photos, keyed by standard "
                                        "(`visited_at` for the time)."),
                          **_errors(400, 404, 409)}}},
        "/api/v1/visits/{visit_id}/review": {"post": {
            "summary": "Approve a submitted visit or return it to the auditor with a comment.",
            "operationId": "reviewVisit", "tags": ["review"], "parameters": [_visit_id()],
            "requestBody": {"required": True, "content": {JSON: {"schema": _ref("Review")}}},
            "responses": {"200": visit_ok, **_errors(400, 404, 409, 422)}}},
        "/api/v1/visits/{visit_id}/report.pdf": {"get": {
            "summary": "The visit report as PDF.", "operationId": "visitReportPdf", "tags": ["reports"],
            "parameters": [_visit_id()],
            "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}, **_errors(404)}}},
        "/api/v1/exports/answers.csv": {"get": {
            "summary": "One row per answer of the approved visits in the caller's scope (admin, manager, HR).",
            "operationId": "exportAnswers", "tags": ["reports"],
            "parameters": [
                {"name": "concept", "in": "query", "schema": {"type": "string"}},
                {"name": "branch", "in": "query", "schema": {"type": "integer"}},
                {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
            ],
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}, **_errors(404, 422)}}},
    }


def document() -> dict[str, Any]:
    """Build the OpenAPI document (a fresh dict each time, so callers may change their copy)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "auditapp API", "version": "1",
                 "description": "Mystery-guest audits: visits, answers, photos, review and scores. "
                                "Errors are JSON `{\"error\": {\"code\", \"message\", \"fields\"}}` with a 4xx status."},
        "servers": [{"url": "/"}],
        "security": [{"session": [], "csrf": []}, {"bearer": []}],
        "paths": _paths(),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": "The web session after logging in at /login."},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                         "description": "With a session cookie, state-changing requests need the token from "
                                        "the page's <meta name=\"csrf-token\">."},
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "A personal token from `flask users token EMAIL`; no CSRF token needed."},
            },
        },
    }
