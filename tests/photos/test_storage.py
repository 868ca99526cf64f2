"""Tests of the photo store: content-addressed, sharded, atomic, idempotent and closed to path tricks."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from auditapp.photos import storage
from auditapp.photos.pipeline import ProcessedPhoto, process_photo
from auditapp.photos.storage import PhotoStore


def fake_photo(content: bytes = b"pretend this is a JPEG") -> ProcessedPhoto:
    """A ProcessedPhoto built by hand: the store must not care what the bytes are."""
    return ProcessedPhoto(
        image=content,
        thumbnail=b"thumb:" + content,
        width=4,
        height=3,
        thumb_width=4,
        thumb_height=3,
        taken_at=None,
        sha256=hashlib.sha256(content).hexdigest(),
        source_format="JPEG",
    )


def all_files(base):
    """Every file below ``base``, relative, including hidden temporary files."""
    return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())


def test_save_writes_image_and_thumbnail_sharded_by_hash(tmp_path, small_jpeg):
    store = PhotoStore(tmp_path / "photos")
    processed = process_photo(small_jpeg)

    key = store.save(processed)

    assert key == processed.sha256
    image_path, thumb_path = store.path(key), store.path(key, thumbnail=True)
    assert image_path == tmp_path / "photos" / key[:2] / f"{key}.jpg"
    assert thumb_path == tmp_path / "photos" / key[:2] / f"{key}_t.jpg"
    assert image_path.read_bytes() == processed.image
    assert thumb_path.read_bytes() == processed.thumbnail
    assert all_files(tmp_path / "photos") == sorted([f"{key[:2]}/{key}.jpg", f"{key[:2]}/{key}_t.jpg"])
    assert store.exists(key)


def test_save_is_idempotent(tmp_path):
    store = PhotoStore(tmp_path)
    photo = fake_photo()
    key = store.save(photo)
    before = {p: (os.stat(p).st_mtime_ns, os.stat(p).st_ino) for p in (store.path(key), store.path(key, True))}

    assert store.save(photo) == key
    assert store.save(fake_photo()) == key

    after = {p: (os.stat(p).st_mtime_ns, os.stat(p).st_ino) for p in before}
    assert after == before  # not rewritten
    assert len(all_files(tmp_path)) == 2  # no duplicates, no leftover temporary files


def test_save_completes_a_half_stored_photo(tmp_path):
    store = PhotoStore(tmp_path)
    photo = fake_photo()
    key = store.save(photo)
    store.path(key).unlink()  # e.g. a crash between the two writes

    assert store.save(photo) == key
    assert store.path(key).read_bytes() == photo.image


def test_different_photos_get_different_keys_and_shards(tmp_path):
    store = PhotoStore(tmp_path)
    keys = {store.save(fake_photo(bytes([i]) * 10)) for i in range(20)}
    assert len(keys) == 20
    assert len(all_files(tmp_path)) == 40
    for key in keys:
        assert store.path(key).parent.name == key[:2]


def test_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    store = PhotoStore(tmp_path)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        store.save(fake_photo())
    assert all_files(tmp_path) == []


def test_stored_files_are_not_world_readable(tmp_path):
    store = PhotoStore(tmp_path)
    key = store.save(fake_photo())
    mode = stat.S_IMODE(os.stat(store.path(key)).st_mode)
    assert mode & stat.S_IRUSR and not mode & stat.S_IROTH and not mode & stat.S_IWOTH


def test_delete_removes_both_files_and_tolerates_missing(tmp_path):
    store = PhotoStore(tmp_path)
    key = store.save(fake_photo())
    store.delete(key)
    assert not store.path(key).exists() and not store.path(key, thumbnail=True).exists()
    assert not store.exists(key)
    store.delete(key)  # again: no error


BAD_KEYS = [
    "../etc/passwd",
    "../../" + "a" * 58,
    "abc",
    "",
    "a" * 63,
    "a" * 65,
    "A" * 64,  # upper case is not what we generate: one name per photo
    "g" * 64,
    "a" * 63 + "/",
    "a" * 64 + "\n",
    "/" + "a" * 63,
    "aa/" + "a" * 61,
    "a" * 62 + "\x00a",
    None,
    123,
    b"a" * 64,
]


@pytest.mark.parametrize("key", BAD_KEYS, ids=repr)
def test_bad_key_raises_value_error(tmp_path, key):
    store = PhotoStore(tmp_path)
    with pytest.raises(ValueError):
        store.path(key)
    with pytest.raises(ValueError):
        store.path(key, thumbnail=True)
    with pytest.raises(ValueError):
        store.delete(key)
    with pytest.raises(ValueError):
        store.exists(key)


def test_save_refuses_a_photo_with_a_forged_hash(tmp_path):
    store = PhotoStore(tmp_path)
    photo = fake_photo()
    forged = ProcessedPhoto(**{**photo.__dict__, "sha256": "../../../tmp/evil"})
    with pytest.raises(ValueError):
        store.save(forged)
    assert all_files(tmp_path) == []


def test_store_accepts_str_base(tmp_path):
    store = PhotoStore(str(tmp_path / "x"))
    key = store.save(fake_photo())
    assert store.path(key).is_relative_to(tmp_path / "x")
