"""Importing concept files: a new version only when the meaning changed; old visits keep their version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from auditapp.concepts import models as concept_models
from auditapp.concepts.loader import load_file
from auditapp.concepts.models import Concept, ConceptVersion
from auditapp.concepts.queries import latest_version
from auditapp.concepts.services import import_concept
from auditapp.extensions import db
from auditapp.visits.services import form_of

from ..factories import stored_before_required, stored_standards

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
SHOWCASE = Path(__file__).resolve().parents[2] / "service_concepts"
OLD_TEXT = "Greeted within a minute."
NEW_TEXT = "Greeted within thirty seconds."


def copy_of_mini(tmp_path) -> Path:
    path = tmp_path / "mini.yaml"
    shutil.copy(MINI, path)
    return path


def versions(key: str = "mini") -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(ConceptVersion.number).join(Concept).where(Concept.key == key).order_by(ConceptVersion.number)))


def run_import(runner, *paths):
    return runner.invoke(args=["concepts", "import", *map(str, paths)])


def test_import_twice_is_unchanged(app, runner, tmp_path):
    path = copy_of_mini(tmp_path)
    first = run_import(runner, path)
    assert (first.exit_code, first.output) == (0, "mini: version 1 imported\n")
    second = run_import(runner, path)
    assert (second.exit_code, second.output) == (0, "mini: unchanged (version 1)\n")
    assert versions() == [1]


def test_comment_and_layout_changes_stay_unchanged(app, runner, tmp_path):
    path = copy_of_mini(tmp_path)
    run_import(runner, path)
    path.write_text("# Reviewed by the training team.\n" + path.read_text().replace("name: Mini concept",
                                                                                       "name:    Mini concept   # ok"))
    result = run_import(runner, path)
    assert result.output == "mini: unchanged (version 1)\n"
    assert versions() == [1]


def test_changed_text_makes_version_2_and_old_visits_keep_version_1(app, runner, factory, tmp_path):
    path = copy_of_mini(tmp_path)
    run_import(runner, path)
    visit = factory.visit()
    assert visit.concept_version.number == 1

    path.write_text(path.read_text().replace(OLD_TEXT, NEW_TEXT))
    result = run_import(runner, path)
    assert (result.exit_code, result.output) == (0, "mini: version 2 imported\n")
    assert versions() == [1, 2]

    db.session.expire_all()
    assert visit.concept_version.number == 1
    assert form_of(visit).standard("greeted").text == OLD_TEXT
    assert latest_version("mini").content.standard("greeted").text == NEW_TEXT
    new = factory.visit(version=latest_version("mini"))
    assert new.concept_version.number == 2  # new visits are scheduled on the new version


def test_visit_form_in_the_api_shows_its_own_version(app, runner, factory, auth, tmp_path):
    path = copy_of_mini(tmp_path)
    run_import(runner, path)
    visit = factory.visit()
    path.write_text(path.read_text().replace(OLD_TEXT, NEW_TEXT))
    run_import(runner, path)

    auth.login(visit.auditor)
    body = auth.api("GET", f"/api/v1/visits/{visit.id}").json
    texts = [s["text"] for p in body["form"]["phases"] for t in p["touchpoints"] for s in t["standards"]]
    assert OLD_TEXT in texts and NEW_TEXT not in texts
    assert (body["concept"]["key"], body["concept"]["version"]) == ("mini", 1)


def test_refused_file_imports_nothing(app, runner, tmp_path):
    path = copy_of_mini(tmp_path)
    path.write_text(path.read_text().replace("type: choice", "type: choise"))
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "type: must be one of" in result.output
    assert "imported" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Concept)) == 0


def test_refused_file_does_not_stop_the_others(app, runner, tmp_path):
    good = copy_of_mini(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: bad\nname: Bad\nphases: []\n")
    result = run_import(runner, bad, good)
    assert result.exit_code == 1
    assert "bad.yaml: phases: must not be empty" in result.output
    assert "mini: version 1 imported" in result.output
    assert versions("bad") == [] and versions() == [1]


def test_import_a_whole_folder(app, runner):
    folder = Path(__file__).resolve().parents[2] / "service_concepts"
    result = run_import(runner, folder)
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == ["hotel-stay: version 1 imported",
                                                  "reservation-call: version 1 imported",
                                                  "restaurant-visit: version 1 imported",
                                                  "winkelbezoek: version 1 imported"]


def test_import_service_stores_source_and_definition(app, tmp_path):
    loaded = load_file(MINI)
    result = import_concept(loaded)
    assert (result.key, result.version, result.created) == ("mini", 1, True)
    version = latest_version("mini")
    assert version.source == MINI.read_text()
    assert version.fingerprint == loaded.fingerprint
    assert version.content == loaded.concept          # stored definition rebuilds the same objects
    assert version.concept.name == "Mini concept"


def test_renamed_concept_updates_its_name_with_the_new_version(app, tmp_path):
    path = copy_of_mini(tmp_path)
    import_concept(load_file(path))
    path.write_text(path.read_text().replace("name: Mini concept", "name: Tiny concept"))
    assert str(import_concept(load_file(path))) == "mini: version 2 imported"
    assert db.session.scalar(sa.select(Concept.name).where(Concept.key == "mini")) == "Tiny concept"


@pytest.mark.parametrize("path", [MINI, *sorted(SHOWCASE.glob("*.yaml"))], ids=lambda p: p.name)
def test_reimporting_a_file_stored_before_required_existed_is_unchanged(app, runner, monkeypatch, path):
    loaded = load_file(path)
    import_concept(loaded)
    version = latest_version(loaded.concept.key)
    stored_before_required(version)
    monkeypatch.setattr(concept_models, "_BUILT", {})  # build the old definition, not a cached new one

    result = run_import(runner, path)
    assert result.output == f"{loaded.concept.key}: unchanged (version 1)\n"
    assert not any("required" in st for st in stored_standards(latest_version(loaded.concept.key).definition))
    assert latest_version(loaded.concept.key).content == loaded.concept  # the defaults fill the gap
