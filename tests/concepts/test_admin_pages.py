"""Concepts in the browser: upload with the loader's own messages, re-import, preview per channel and persona."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from auditapp.audit.models import AuditEntry
from auditapp.concepts.models import Concept
from auditapp.extensions import db

from ..factories import DATA

MINI = (DATA / "mini.yaml").read_text()


def upload(auth, text: str | bytes, name: str = "mini.yaml"):
    data = text if isinstance(text, bytes) else text.encode()
    return auth.client.post("/concepts/upload", data={"csrf_token": auth.csrf, "upload": "1",
                                                      "file": (io.BytesIO(data), name)},
                            content_type="multipart/form-data")


def test_a_mistake_is_shown_with_its_path_then_the_fixed_file_imports(factory, auth, runner, tmp_path):
    auth.login(factory.user("admin"))
    broken = MINI.replace("type: scale, min: 1, max: 5", "type: scale, min: 1, max: one")
    response = upload(auth, broken)
    page = response.get_data(as_text=True)
    (tmp_path / "mini.yaml").write_text(broken)
    printed = runner.invoke(args=["concepts", "check", str(tmp_path / "mini.yaml")]).output.strip()
    assert response.status_code == 422
    assert printed.replace(str(tmp_path) + "/", "").split(": ", 1)[1] in page  # the path and message, as the CLI says
    assert "phases[1].touchpoints[0].standards[1]" in page
    assert db.session.scalar(sa.select(sa.func.count(Concept.id))) == 0
    ok = upload(auth, MINI)
    assert ok.status_code == 200 and "mini: version 1 imported" in ok.get_data(as_text=True)
    assert "mini: unchanged (version 1)" in upload(auth, MINI).get_data(as_text=True)
    assert [e.action for e in db.session.scalars(sa.select(AuditEntry))] == ["concept_imported"]


@pytest.mark.parametrize("raw, message", [
    (b"\xff\xfe\x00k", "mini.yaml: is not UTF-8 text (byte 1)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "mini.yaml: is not UTF-8 text"),
    (b"\x00" * 10, "not valid YAML"),
    (b"a: [", "mini.yaml: line 1, column 5: not valid YAML"),
    (b"- just\n- a list\n", "mini.yaml"),
    (b"x" * (2 * 1024 * 1024 + 1), "mini.yaml: file is larger than 2 MB"),
])
def test_files_that_are_no_concept_are_refused_with_a_message_never_a_500(factory, auth, raw, message):
    auth.login(factory.user("admin"))
    response = upload(auth, raw)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Concept.id))) == 0


def test_a_file_saved_with_a_bom_imports(factory, auth):
    auth.login(factory.user("admin"))
    response = upload(auth, "\ufeff" + MINI)
    assert response.status_code == 200 and "mini: version 1 imported" in response.get_data(as_text=True)


def test_an_upload_without_a_file_is_refused_at_the_field(factory, auth):
    auth.login(factory.user("admin"))
    response = auth.client.post("/concepts/upload", data={"csrf_token": auth.csrf, "upload": "1"})
    assert response.status_code == 422 and 'id="file-error"' in response.get_data(as_text=True)


def test_uploads_need_an_admin_and_the_csrf_token(app, factory, auth):
    auth.login(factory.user("manager"))
    assert upload(auth, MINI).status_code == 404
    auth.logout()
    auth.login(factory.user("admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for data in ({"reimport": "1"}, {"upload": "1", "file": (io.BytesIO(MINI.encode()), "mini.yaml")}):
            assert auth.client.post("/concepts/upload", data=data, content_type="multipart/form-data").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(sa.select(sa.func.count(Concept.id))) == 0


def test_reimporting_the_folder_imports_the_showcase(factory, auth):
    auth.login(factory.user("admin"))
    response = auth.client.post("/concepts/upload", data={"csrf_token": auth.csrf, "reimport": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("version 1 imported") == 4


def test_the_preview_shows_a_channel_and_a_persona(factory, auth):
    factory.concept()
    auth.login(factory.user("admin"))
    visit = auth.client.get("/concepts/mini/preview?channel=visit&persona=family").get_data(as_text=True)
    assert 'data-touchpoint="welcome"' in visit and 'data-touchpoint="phone"' not in visit
    assert '<fieldset class="preview" disabled>' in visit and 'name="v-clean" value="yes"' in visit  # the form's controls
    assert "nut allergy" in visit
    call = auth.client.get("/concepts/mini/preview?channel=call").get_data(as_text=True)
    assert 'data-touchpoint="phone"' in call and 'data-touchpoint="welcome"' not in call
    assert auth.client.get("/concepts/mini/preview?version=7").status_code == 404
    auth.logout()
    auth.login(factory.user("manager"))
    assert auth.client.get("/concepts/mini/preview").status_code == 404
    assert auth.client.get("/concepts/upload").status_code == 404
