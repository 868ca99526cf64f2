"""Keep processed photos on disk under their content hash, so a retried upload never makes a duplicate."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: storing photos must not load the image decoders
    from .pipeline import ProcessedPhoto

__all__ = ["PhotoStore"]

_KEY = re.compile(r"[0-9a-f]{64}")
_FILE_MODE = 0o640  # owner writes, the group (e.g. a web server serving X-Accel files) may read, others nothing


class PhotoStore:
    """A directory of JPEGs named by SHA-256 (``ab/abcdef….jpg`` and ``ab/abcdef…_t.jpg``), written atomically."""

    def __init__(self, base: Path | str) -> None:
        """Remember the base directory; it is created on the first save, not here, so config can be lazy."""
        self.base = Path(base)

    def save(self, processed: ProcessedPhoto) -> str:
        """Store image and thumbnail under the image's hash and return that key; storing it again changes nothing."""
        key = _check_key(processed.sha256)
        # Thumbnail first: a crash in between leaves no image without its thumbnail, and a retry fills any gap.
        _write_once(self.path(key, thumbnail=True), processed.thumbnail)
        _write_once(self.path(key), processed.image)
        return key

    def path(self, key: str, thumbnail: bool = False) -> Path:
        """Return where a photo lives; a key that is not 64 lowercase hex digits raises ValueError (no traversal)."""
        key = _check_key(key)
        return self.base / key[:2] / f"{key}{'_t' if thumbnail else ''}.jpg"

    def exists(self, key: str) -> bool:
        """Tell whether the full-size image for ``key`` is stored."""
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove image and thumbnail; deleting what is not there is not an error."""
        for thumbnail in (False, True):
            self.path(key, thumbnail=thumbnail).unlink(missing_ok=True)


def _check_key(key: object) -> str:
    """Accept only the hex digests we create, so a key can never name a path outside the store."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(f"not a photo key: {key!r:.80}")
    return key


def _write_once(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and os.replace, unless it is already there."""
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, _FILE_MODE)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX); elsewhere this is a no-op."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
