"""Fixtures for the photo tests: where the real phone photos live, and a generated JPEG."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import encode, noisy_image

REPO_ROOT = Path(__file__).resolve().parents[2]
SKIP_REASON = "../shared/testdata/photos not found: real phone photos are needed for this test"


def samples_dir() -> Path:
    """The folder of real photos: $AUDITAPP_PHOTO_SAMPLES, else ../shared/testdata/photos beside the checkout."""
    configured = os.environ.get("AUDITAPP_PHOTO_SAMPLES")
    return Path(configured) if configured else REPO_ROOT.parent / "shared/testdata/photos"


@pytest.fixture
def photo_sample():
    """Return a reader of a real sample's bytes that skips the test, saying why, when the samples are absent."""

    def read(name: str) -> bytes:
        folder = samples_dir()
        if not folder.is_dir():
            pytest.skip(SKIP_REASON)
        path = folder / name
        if not path.is_file():
            pytest.skip(f"{path} not found: this real photo is needed for this test")
        return path.read_bytes()

    return read


@pytest.fixture
def small_jpeg() -> bytes:
    """A generated 640x480 JPEG, for tests that must not depend on the real samples."""
    return encode(noisy_image((640, 480)), "JPEG", quality=90)
