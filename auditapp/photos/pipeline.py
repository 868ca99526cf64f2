"""Turn an uploaded photo into a small, metadata-free JPEG, or refuse it with a message an auditor understands."""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from datetime import datetime

import pillow_heif
from PIL import Image, ImageCms

__all__ = [
    "ACCEPT_MIME_TYPES",
    "PhotoRejected",
    "ProcessedPhoto",
    "process_photo",
]

pillow_heif.register_heif_opener()

# Only these decoders may ever run on uploaded bytes. Pillow's JPEG opener also returns MPO files (JPEGs with
# extra frames, as many cameras write them); "MPO" itself has no opener of its own and must not be listed.
_ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
_JPEG_FORMATS = frozenset({"JPEG", "MPO"})
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"})

#: Value for ``<input type="file" accept=...>`` so phones offer only what we can read.
ACCEPT_MIME_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"

_ASK_FOR = "Please take or choose a JPEG, PNG, WebP or HEIC photo."

_JPEG_QUALITY = 82
# Baseline, not progressive: progressive files are ~5 % smaller but cost ~25 ms more to encode at 1600 px,
# which breaks the 1.3x time budget against plain Pillow (bench/photos.py --progressive shows it).
_PROGRESSIVE = False
_EXIF_IFD = 0x8769
_TAG_ORIENTATION = 0x0112
_TAG_DATETIME = 0x0132
_TAG_DATETIME_ORIGINAL = 0x9003

# EXIF orientation -> the transpose that makes the picture upright (same table as ImageOps.exif_transpose).
_ORIENTATION_FIX = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

# Magic numbers of formats we recognise but refuse, so the auditor is told what they sent.
_KNOWN_REFUSED = (
    (b"GIF87a", "a GIF animation or image"),
    (b"GIF89a", "a GIF animation or image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"%PDF", "a PDF document"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"8BPS", "a Photoshop file"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 image"),
)


class PhotoRejected(Exception):
    """An upload we will not store; ``message`` is for the auditor, ``code`` for logs, tests and the API."""

    def __init__(self, message: str, code: str) -> None:
        """Keep the sentence for the auditor and the slug for code apart, so neither has to be parsed."""
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        """Show the auditor's sentence, so logging or flashing the exception says something useful."""
        return self.message


@dataclass(frozen=True)
class ProcessedPhoto:
    """The stored form of a photo: re-encoded JPEG and thumbnail, with no EXIF, GPS, ICC or XMP left in them."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    taken_at: datetime | None
    sha256: str
    source_format: str


def process_photo(
    data: bytes,
    *,
    max_side: int = 1600,
    thumb_side: int = 320,
    max_bytes: int = 15 * 1024 * 1024,
    max_pixels: int = 50_000_000,
) -> ProcessedPhoto:
    """Decode, orient, shrink and re-encode an upload; any bad input ends in PhotoRejected, never another error."""
    # Truncated files are refused because Pillow's ImageFile.LOAD_TRUNCATED_IMAGES stays False (its default);
    # nothing in the app may switch it on, or damaged uploads would be stored padded with grey.
    if not data:
        raise PhotoRejected("The photo file is empty. Please take the photo again.", "empty")
    if len(data) > max_bytes:
        raise PhotoRejected(
            f"This photo is too large ({_megabytes(len(data), round_up=True)}). "
            f"Please send a photo smaller than {_megabytes(max_bytes)}.",
            "too_large",
        )
    with warnings.catch_warnings():
        # Decoders grumble about broken EXIF of real cameras: noise for an upload whose metadata we drop anyway
        # (and a false refusal under ``-W error``). A DecompressionBombWarning, though, must stop us.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"(PIL|pillow_heif)(\.|$)")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _process(bytes(data), max_side, thumb_side, max_pixels)
        except PhotoRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None


def _process(data: bytes, max_side: int, thumb_side: int, max_pixels: int) -> ProcessedPhoto:
    """Do the work of process_photo once the size checks have passed."""
    img = _open(data)
    try:
        source_format = "JPEG" if img.format in _JPEG_FORMATS else str(img.format)
        width, height = img.size
        if width < 1 or height < 1:
            raise _not_an_image()
        if width * height > max_pixels:
            raise _too_many_pixels()

        exif = _exif(img)
        orientation = _orientation(exif) if source_format != "HEIF" else None  # pillow_heif already rotated it
        taken_at = _taken_at(exif)
        icc_profile = img.info.get("icc_profile")
        target = _fit((width, height), max_side)

        box = None
        if source_format == "JPEG" and target != (width, height):
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: never the full 12 MP, yet never below max_side.
            drafted = img.draft("RGB", target)
            if drafted is not None:
                box = drafted[1]

        try:
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise
        except Exception:  # noqa: BLE001 - every decoder failure is the upload's fault, so the user is told
            raise _damaged() from None

        try:
            main = _normalise_mode(img)
            if target != main.size:
                # Bicubic, as Image.thumbnail uses: after the DCT-scaled draft it is indistinguishable from Lanczos
                # and a third faster.
                main = main.resize(target, Image.Resampling.BICUBIC, box=box, reducing_gap=3.0)
            main = _to_srgb(main, icc_profile)
            if orientation in _ORIENTATION_FIX:
                main = main.transpose(_ORIENTATION_FIX[orientation])
            thumb_size = _fit(main.size, thumb_side)
            thumb = main
            if thumb_size != main.size:
                thumb = main.resize(thumb_size, Image.Resampling.BICUBIC, reducing_gap=2.0)
            image_bytes = _encode(main)
            thumb_bytes = _encode(thumb)
            out_size, thumb_out_size = main.size, thumb.size
        except PhotoRejected:
            raise
        except Exception:  # noqa: BLE001 - odd modes/profiles of hostile files must not become a 500
            raise _not_an_image() from None
    finally:
        img.close()

    return ProcessedPhoto(
        image=image_bytes,
        thumbnail=thumb_bytes,
        width=out_size[0],
        height=out_size[1],
        thumb_width=thumb_out_size[0],
        thumb_height=thumb_out_size[1],
        taken_at=taken_at,
        sha256=hashlib.sha256(image_bytes).hexdigest(),
        source_format=source_format,
    )


def _open(data: bytes) -> Image.Image:
    """Identify the bytes with the allowlisted decoders only, so no other plugin ever parses an upload."""
    try:
        return Image.open(io.BytesIO(data), formats=list(_ALLOWED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise
    except Exception:  # noqa: BLE001 - UnidentifiedImageError, SyntaxError, struct.error, OSError ...
        pass
    for magic, what in _KNOWN_REFUSED:
        if data.startswith(magic):
            raise PhotoRejected(f"This file is {what}, which we do not accept. {_ASK_FOR}", "unsupported_format")
    brand = data[8:12] if data[4:8] == b"ftyp" else b""
    if brand in (b"avif", b"avis"):
        raise PhotoRejected(f"This file is an AVIF image, which we do not accept. {_ASK_FOR}", "unsupported_format")
    if brand and brand not in _HEIF_BRANDS:
        raise PhotoRejected(f"This file looks like a video, not a photo. {_ASK_FOR}", "unsupported_format")
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or data[8:12] == b"WEBP" or brand:
        raise _damaged()
    raise _not_an_image()


def _not_an_image() -> PhotoRejected:
    """Build the rejection for bytes that are no picture at all (or one we cannot make sense of)."""
    return PhotoRejected("This file is not a photo we can read. " + _ASK_FOR, "not_an_image")


def _damaged() -> PhotoRejected:
    """Build the rejection for a photo cut short or corrupted; we never pad it with grey and store it."""
    return PhotoRejected(
        "This photo is incomplete or damaged, perhaps because the upload was cut off. Please take or send it again.",
        "truncated",
    )


def _too_many_pixels() -> PhotoRejected:
    """Build the rejection for pictures whose pixel count could exhaust the server's memory."""
    return PhotoRejected(
        "This picture has far more pixels than a phone photo. Please send an ordinary camera photo.",
        "too_many_pixels",
    )


def _megabytes(n: int, *, round_up: bool = False) -> str:
    """Format a byte count the way phones show file sizes (a file's size rounded up, a limit rounded down)."""
    tenths = n * 10 / (1024 * 1024)
    tenths = math.ceil(tenths) if round_up else math.floor(tenths)
    return f"{tenths / 10:g} MB" if tenths >= 1 else f"{max(1, n // 1024)} KB"


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """Scale a size down (never up) so its longest side is at most ``side``, keeping the aspect ratio."""
    w, h = size
    if max(w, h) <= side:
        return w, h
    scale = side / max(w, h)
    return max(1, min(side, round(w * scale))), max(1, min(side, round(h * scale)))


def _exif(img: Image.Image) -> Image.Exif | None:
    """Read EXIF defensively: maker notes of real cameras are often malformed."""
    try:
        return img.getexif()
    except Exception:  # noqa: BLE001 - broken EXIF only costs us orientation and date
        return None


def _orientation(exif: Image.Exif | None) -> int | None:
    """Return the EXIF orientation 1..8, or None when absent or nonsensical."""
    if exif is None:
        return None
    try:
        value = int(exif.get(_TAG_ORIENTATION) or 0)
    except (TypeError, ValueError):
        return None
    return value if 1 <= value <= 8 else None


def _taken_at(exif: Image.Exif | None) -> datetime | None:
    """Return when the camera says the photo was taken (naive local time), or None if it does not say sensibly."""
    if exif is None:
        return None
    candidates = []
    try:
        candidates.append(exif.get_ifd(_EXIF_IFD).get(_TAG_DATETIME_ORIGINAL))
    except Exception:  # noqa: BLE001
        pass
    candidates.append(exif.get(_TAG_DATETIME_ORIGINAL))
    candidates.append(exif.get(_TAG_DATETIME))
    for value in candidates:
        parsed = _parse_exif_datetime(value)
        if parsed is not None:
            return parsed
    return None


def _parse_exif_datetime(value: object) -> datetime | None:
    """Parse EXIF's 'YYYY:MM:DD HH:MM:SS' (tolerating NULs, blanks and dashes); anything else is None."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    text = value.strip("\x00 \t\r\n")[:19]
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed if parsed.year >= 1900 else None
    return None


def _normalise_mode(img: Image.Image) -> Image.Image:
    """Bring any decoded mode to one that resizes correctly: RGB, RGBA, L or CMYK."""
    mode = img.mode
    if mode in ("RGB", "RGBA", "L", "CMYK"):
        if "transparency" in img.info and mode in ("RGB", "L"):
            return img.convert("RGBA")
        return img
    if mode in ("LA", "PA", "La", "RGBa", "RGBX"):
        return img.convert("RGBA") if mode != "RGBX" else img.convert("RGB")
    if mode == "P":
        return img.convert("RGBA" if "transparency" in img.info else "RGB")
    if mode == "1":
        return img.convert("L")
    if mode.startswith("I") or mode == "F":
        # 16-bit greys would clip to white if converted directly.
        return img.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    return img.convert("RGB")


def _to_srgb(img: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Return an RGB image in sRGB: flatten alpha on white, apply the embedded ICC profile, then drop the profile."""
    if img.mode == "RGBA":
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        img = background
    if icc_profile and img.mode in ("RGB", "CMYK", "L"):
        try:
            converted = ImageCms.profileToProfile(
                img, ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)), _srgb_profile(), outputMode="RGB"
            )
        except Exception:  # noqa: BLE001 - a bad or mismatched profile only costs colour accuracy
            converted = None
        if converted is not None:
            return converted
    if img.mode != "RGB":
        return img.convert("RGB")
    return img


def _srgb_profile() -> ImageCms.ImageCmsProfile:
    """Build the sRGB target per call (0.1 ms): LittleCMS profile handles are not safe to share between threads."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _encode(img: Image.Image) -> bytes:
    """Write a progressive JPEG with nothing but pixels: Pillow copies e.g. ``comment`` from ``info`` unless cleared."""
    img.info = {}
    img.encoderinfo = {}
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=_JPEG_QUALITY, optimize=True, progressive=_PROGRESSIVE)
    return out.getvalue()

