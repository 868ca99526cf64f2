"""Tests of the photo pipeline: real phone photos come out small, upright and clean; hostile files are refused."""

from __future__ import annotations

import ast
import hashlib
import io
import random
import struct
import time
import warnings
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageFile, ImageOps, ImageStat, JpegImagePlugin

import pillow_heif
from auditapp.photos import pipeline
from auditapp.photos.pipeline import PhotoRejected, ProcessedPhoto, process_photo

from .helpers import encode, jpeg_markers, noisy_image, patch_jpeg_size, png_bomb

pillow_heif.register_heif_opener()  # so the tests themselves can read the HEIC source

REAL_SAMPLES = [
    "hdr_iphone_hdr_YES.jpg",
    "mobile_HMD_Nokia_8.3_5G.jpg",
    "mobile_iphone_13_pro_max.HEIC",
    "olympus_corrupt_exif_12mp.jpg",
    "gps_DSCN0010.jpg",
    "Canon_40D.jpg",
    "orientation_portrait_6.jpg",
    "orientation_portrait_8.jpg",
    "orientation_landscape_3.jpg",
    "odd_exif.jpg",
]
ROTATED_SAMPLES = ["orientation_portrait_6.jpg", "orientation_portrait_8.jpg", "orientation_landscape_3.jpg"]

# Markers allowed before the first scan of a stored JPEG: JFIF header, tables, frame, restart interval, scan.
ALLOWED_MARKERS = {0xE0, 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xDD, 0xDA}


def fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """Expected size after shrinking so the longest side is at most ``side`` (never enlarging)."""
    w, h = size
    if max(w, h) <= side:
        return w, h
    scale = side / max(w, h)
    return round(w * scale), round(h * scale)


def assert_clean_jpeg(data: bytes, max_side: int) -> Image.Image:
    """Check that stored bytes are a plain RGB JPEG within size, with no EXIF/GPS/ICC/XMP/comment left."""
    markers = jpeg_markers(data)
    assert set(markers) <= ALLOWED_MARKERS, f"metadata segments left: {[hex(m) for m in markers]}"
    for needle in (b"Exif\x00", b"GPS", b"http://ns.adobe.com/xap", b"ICC_PROFILE"):
        assert needle not in data[:4096]
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert max(img.size) <= max_side
    assert not img.getexif()
    assert not img.getexif().get_ifd(0x8825), "GPS left in"
    for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "adobe"):
        assert key not in img.info, key
    img.load()  # the bytes decode completely
    return img


def upright_signature(img: Image.Image) -> Image.Image:
    """A tiny, tone-normalised greyscale version, to compare orientation despite colour conversion and resizing."""
    return ImageOps.equalize(img.convert("L").resize((24, 24), Image.Resampling.BOX))


def mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute pixel difference of two same-sized greyscale images."""
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]



def assert_near(pixel, expected, tolerance=12):
    """Check that an RGB pixel is within ``tolerance`` of the expected colour in every channel."""
    assert all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True)), (pixel, expected)


def _exif_bytes(orientation: int) -> bytes:
    """EXIF carrying just an orientation tag."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def _srgb_icc() -> bytes:
    """A real sRGB ICC profile, as many cameras embed."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


# --- real phone photos -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_SAMPLES)
def test_real_photo_is_stored_small_and_clean(photo_sample, name):
    data = photo_sample(name)
    result = process_photo(data)

    assert isinstance(result, ProcessedPhoto)
    image = assert_clean_jpeg(result.image, 1600)
    thumb = assert_clean_jpeg(result.thumbnail, 320)
    assert image.size == (result.width, result.height)
    assert thumb.size == (result.thumb_width, result.thumb_height)
    assert result.sha256 == hashlib.sha256(result.image).hexdigest()
    assert result.source_format == ("HEIF" if name.endswith(".HEIC") else "JPEG")

    # Size and aspect follow the picture as it is meant to be seen (after its EXIF orientation).
    with Image.open(io.BytesIO(data)) as original:
        upright_size = ImageOps.exif_transpose(original).size
    expected = fit(upright_size, 1600)
    assert abs(result.width - expected[0]) <= 1 and abs(result.height - expected[1]) <= 1
    expected_thumb = fit((result.width, result.height), 320)
    assert abs(result.thumb_width - expected_thumb[0]) <= 1 and abs(result.thumb_height - expected_thumb[1]) <= 1


@pytest.mark.parametrize(
    ("name", "portrait"),
    [
        ("orientation_portrait_6.jpg", True),
        ("orientation_portrait_8.jpg", True),
        ("orientation_landscape_3.jpg", False),
        ("mobile_iphone_13_pro_max.HEIC", True),
    ],
)
def test_rotated_photos_come_out_upright(photo_sample, name, portrait):
    data = photo_sample(name)
    result = process_photo(data)
    out = Image.open(io.BytesIO(result.image))

    with Image.open(io.BytesIO(data)) as original:
        upright = ImageOps.exif_transpose(original)
        as_stored = original.copy()
    assert (upright.height > upright.width) == portrait  # the test data is what the README says
    assert (out.height > out.width) == portrait

    signature = upright_signature(out)
    assert mean_abs_diff(signature, upright_signature(upright)) < 8
    if name in ROTATED_SAMPLES:
        # ... and clearly not the un-rotated pixels (or any other flip/rotation).
        assert mean_abs_diff(signature, upright_signature(as_stored)) > 25
        assert mean_abs_diff(upright_signature(Image.open(io.BytesIO(result.thumbnail))), signature) < 12


@pytest.mark.parametrize(
    ("name", "taken_at"),
    [
        ("hdr_iphone_hdr_YES.jpg", datetime(2015, 4, 10, 20, 12, 23)),
        ("mobile_iphone_13_pro_max.HEIC", datetime(2022, 2, 16, 12, 55, 41)),
        ("mobile_HMD_Nokia_8.3_5G.jpg", datetime(2022, 8, 14, 14, 12, 31)),
        ("Canon_40D.jpg", datetime(2008, 5, 30, 15, 56, 1)),  # DateTimeOriginal wins over DateTime
        ("odd_exif.jpg", None),
    ],
)
def test_taken_at_comes_from_exif(photo_sample, name, taken_at):
    assert process_photo(photo_sample(name)).taken_at == taken_at


def test_truncated_real_photo_is_refused(photo_sample):
    data = photo_sample("hdr_iphone_hdr_YES.jpg")
    with pytest.raises(PhotoRejected) as caught:
        process_photo(data[: len(data) // 2])
    assert caught.value.code == "truncated"


def test_large_jpeg_is_decoded_at_reduced_scale(photo_sample, monkeypatch):
    """A 12 MP photo is drafted by libjpeg to a smaller scale, yet never below 1600 px on its long side."""
    data = photo_sample("olympus_corrupt_exif_12mp.jpg")
    drafted = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = real_draft(self, mode, size)
        drafted.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    result = process_photo(data)
    assert drafted and 1600 <= max(drafted[0]) < 3648
    assert max(result.width, result.height) == 1600


# --- hostile and unsupported files -------------------------------------------------------------------------------


def _tiny() -> Image.Image:
    return noisy_image((64, 48))


def _hostile_cases():
    jpeg = encode(noisy_image((800, 600)), "JPEG", quality=90)
    png = encode(noisy_image((200, 150)), "PNG")
    return {
        "png_bomb_40000x40000": (png_bomb(40_000, 40_000), "too_many_pixels"),
        "png_bomb_over_pillow_warning": (png_bomb(10_000, 10_000), "too_many_pixels"),
        "png_over_our_limit": (png_bomb(7_100, 7_100), "too_many_pixels"),
        "jpeg_claiming_60000x60000": (patch_jpeg_size(jpeg, 60_000, 60_000), "too_many_pixels"),
        "jpeg_claiming_9000x6000": (patch_jpeg_size(jpeg, 9_000, 6_000), "too_many_pixels"),
        "truncated_jpeg": (jpeg[: len(jpeg) // 2], "truncated"),
        "jpeg_headers_only": (jpeg[:200], "truncated"),
        "truncated_png": (png[: len(png) // 2], "truncated"),
        "svg_with_script": (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>",
            "not_an_image",
        ),
        "html_named_jpg": (
            b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)>Photo</body></html>",
            "not_an_image",
        ),
        "random_bytes": (random.Random(7).randbytes(5000), "not_an_image"),
        "text": (b"hello", "not_an_image"),
        "tiff": (encode(_tiny(), "TIFF"), "unsupported_format"),
        "gif": (encode(_tiny(), "GIF"), "unsupported_format"),
        "bmp": (encode(_tiny(), "BMP"), "unsupported_format"),
        "pdf": (encode(_tiny(), "PDF"), "unsupported_format"),
        "ico": (encode(_tiny(), "ICO"), "unsupported_format"),
        "mp4_video": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64, "unsupported_format"),
        "empty": (b"", "empty"),
    }


HOSTILE = _hostile_cases()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_or_unsupported_file_is_refused(case):
    data, code = HOSTILE[case]
    started = time.perf_counter()
    with pytest.raises(PhotoRejected) as caught:
        process_photo(data)
    assert caught.value.code == code
    message = caught.value.message
    assert message and message.endswith(".") and str(caught.value) == message
    for jargon in ("Traceback", "PIL", "IHDR", "decoder", "Errno", "DecompressionBomb"):
        assert jargon not in message
    assert time.perf_counter() - started < 5, "refusing must be quick, not decode the bomb"


def test_file_over_max_bytes_is_refused_before_decoding(small_jpeg):
    with pytest.raises(PhotoRejected) as caught:
        process_photo(small_jpeg, max_bytes=len(small_jpeg) - 1)
    assert caught.value.code == "too_large"
    assert "MB" in caught.value.message or "KB" in caught.value.message

    with pytest.raises(PhotoRejected) as caught:
        process_photo(b"\xff\xd8\xff" + b"\x00" * (15 * 1024 * 1024))
    assert caught.value.code == "too_large"
    assert "15 MB" in caught.value.message


def test_max_pixels_is_checked_before_decoding(small_jpeg, monkeypatch):
    def must_not_load(self):
        raise AssertionError("decoded although too many pixels")

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", must_not_load)
    with pytest.raises(PhotoRejected) as caught:
        process_photo(small_jpeg, max_pixels=640 * 480 - 1)
    assert caught.value.code == "too_many_pixels"


def test_bomb_warning_filter_does_not_leak():
    before = list(warnings.filters)
    with pytest.raises(PhotoRejected):
        process_photo(png_bomb(10_000, 10_000))
    assert warnings.filters == before


def test_truncated_images_are_not_padded(small_jpeg):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    with pytest.raises(PhotoRejected):
        process_photo(small_jpeg[:-200])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def _mutations():
    base = {
        "jpeg": encode(noisy_image((48, 32)), "JPEG", quality=80, exif=_exif_bytes(orientation=6)),
        "png": encode(noisy_image((24, 16), "RGBA"), "PNG"),
        "webp": encode(noisy_image((24, 16)), "WEBP"),
    }
    return st.tuples(
        st.sampled_from(sorted(base)),
        st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8),
        st.one_of(st.none(), st.integers(0, 10_000)),
    ).map(lambda t: _mutate(base[t[0]], t[1], t[2]))


def _mutate(data: bytes, changes: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(data)
    for pos, value in changes:
        buf[pos % len(buf)] = value
    return bytes(buf[:cut] if cut is not None else buf)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations())
def test_only_photo_rejected_escapes_for_damaged_input(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a decoder's warning about the damage must not escape either
        try:
            result = process_photo(data, max_pixels=4_000_000)
        except PhotoRejected as rejected:
            assert rejected.code in {"empty", "not_an_image", "unsupported_format", "too_many_pixels", "truncated"}
            assert rejected.message
            return
    assert_clean_jpeg(result.image, 1600)


# --- accepted variants -------------------------------------------------------------------------------------------


def test_transparent_png_becomes_rgb_on_white():
    img = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    img.paste((200, 0, 0, 255), (0, 0, 200, 300))
    result = process_photo(encode(img, "PNG"))
    out = assert_clean_jpeg(result.image, 1600)
    assert result.source_format == "PNG"
    assert_near(out.getpixel((50, 150)), (200, 0, 0))
    assert_near(out.getpixel((350, 150)), (255, 255, 255))


@pytest.mark.parametrize("kind", ["P_transparency_index", "P_alpha_palette", "LA", "L", "1", "RGB"])
def test_palette_and_grey_pngs_are_accepted(kind):
    img = Image.new("RGBA", (120, 80), (0, 200, 0, 0))  # the colour under full transparency must not show
    img.paste((0, 0, 0, 255), (0, 0, 60, 80))
    if kind == "P_transparency_index":
        source = img.convert("RGB").convert("P")
        source.info["transparency"] = source.getpixel((100, 40))
    elif kind == "P_alpha_palette":
        source = img.quantize(method=Image.Quantize.FASTOCTREE)
        assert source.mode == "P"
    elif kind == "1":
        source = img.convert("L").convert("1")
    else:
        source = img.convert(kind)
    result = process_photo(encode(source, "PNG"))
    out = assert_clean_jpeg(result.image, 1600)
    assert out.getpixel((20, 40))[0] < 40  # the opaque black half stays dark
    if kind.startswith("P") or kind == "LA":
        assert min(out.getpixel((100, 40))) > 215  # the transparent half is white, not black


def test_16_bit_grey_png_is_scaled_not_clipped():
    img = Image.new("I;16", (64, 64), 32768)  # mid grey in 16 bits
    result = process_photo(encode(img, "PNG"))
    out = assert_clean_jpeg(result.image, 1600)
    assert 110 < out.getpixel((32, 32))[0] < 145


def test_cmyk_jpeg_becomes_rgb():
    img = Image.new("CMYK", (300, 200), (0, 255, 255, 0))  # red in CMYK
    data = encode(img, "JPEG", quality=95)
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    result = process_photo(data)
    out = assert_clean_jpeg(result.image, 1600)
    assert_near(out.getpixel((150, 100)), (255, 0, 0), tolerance=30)


def test_webp_is_accepted():
    result = process_photo(encode(noisy_image((2000, 1000)), "WEBP", quality=80))
    assert result.source_format == "WEBP"
    assert (result.width, result.height) == (1600, 800)
    assert_clean_jpeg(result.image, 1600)


def test_mpo_from_a_camera_is_treated_as_jpeg():
    first, second = noisy_image((800, 600)), noisy_image((800, 600)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    data = encode(first, "MPO", save_all=True, append_images=[second], quality=90)
    assert Image.open(io.BytesIO(data)).format == "MPO"
    result = process_photo(data)
    assert result.source_format == "JPEG"
    assert (result.width, result.height) == (800, 600)


def test_greyscale_jpeg_is_accepted():
    result = process_photo(encode(noisy_image((500, 400), "L"), "JPEG"))
    assert_clean_jpeg(result.image, 1600)


def test_small_photo_is_not_enlarged(small_jpeg):
    result = process_photo(small_jpeg)
    assert (result.width, result.height) == (640, 480)
    assert (result.thumb_width, result.thumb_height) == (320, 240)


def test_sizes_follow_parameters():
    data = encode(noisy_image((3000, 1000)), "JPEG", quality=85)
    result = process_photo(data, max_side=900, thumb_side=150)
    assert (result.width, result.height) == (900, 300)
    assert (result.thumb_width, result.thumb_height) == (150, 50)
    assert_clean_jpeg(result.thumbnail, 150)


@pytest.mark.parametrize(("orientation", "portrait"), [(1, False), (3, False), (5, True), (6, True), (8, True)])
def test_large_rotated_jpeg_is_drafted_and_turned(orientation, portrait):
    """Draft (reduced-scale decoding) and EXIF rotation together still give 1600 px on the long, upright side."""
    source = noisy_image((4000, 3000))
    data = encode(source, "JPEG", quality=85, exif=_exif_bytes(orientation=orientation))
    result = process_photo(data)
    assert (result.width, result.height) == ((1200, 1600) if portrait else (1600, 1200))
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    signature = upright_signature(Image.open(io.BytesIO(result.image)))
    assert mean_abs_diff(signature, upright_signature(expected)) < 8


def test_all_metadata_is_stripped():
    gps = {1: "N", 2: (52.0, 22.0, 1.5), 3: "E", 4: (4.0, 53.0, 7.0)}
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2024:03:01 09:15:00"
    exif.get_ifd(0x8825).update(gps)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="52,22N"/></x:xmpmeta>'
    data = encode(
        noisy_image((600, 400)),
        "JPEG",
        exif=exif.tobytes(),
        xmp=xmp,
        comment="auditor: Jane Doe",
        icc_profile=_srgb_icc(),
        dpi=(300, 300),
    )
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(0x8825) and "xmp" in original.info and "comment" in original.info
    result = process_photo(data)
    for stored in (result.image, result.thumbnail):
        assert_clean_jpeg(stored, 1600)
        assert b"Jane Doe" not in stored and b"PhoneMaker" not in stored and b"xmpmeta" not in stored
    assert result.taken_at == datetime(2024, 3, 1, 9, 15)


def test_broken_icc_profile_only_costs_colour_management():
    data = encode(noisy_image((300, 200)), "JPEG", icc_profile=b"\x00" * 200)
    assert_clean_jpeg(process_photo(data).image, 1600)


@pytest.mark.parametrize(
    ("original", "plain", "expected"),
    [
        ("2023:06:01 14:30:05", None, datetime(2023, 6, 1, 14, 30, 5)),
        ("2023:06:01 14:30:05\x00", None, datetime(2023, 6, 1, 14, 30, 5)),
        (None, "2021:12:24 18:00:00", datetime(2021, 12, 24, 18, 0)),
        ("0000:00:00 00:00:00", "2021:12:24 18:00:00", datetime(2021, 12, 24, 18, 0)),
        ("0000:00:00 00:00:00", None, None),
        ("    :  :     :  :  ", None, None),
        ("yesterday", "2023:13:45 25:61:00", None),
        (None, None, None),
    ],
)
def test_taken_at_tolerates_bad_values(original, plain, expected):
    exif = Image.Exif()
    if plain is not None:
        exif[0x0132] = plain
    if original is not None:
        exif.get_ifd(0x8769)[0x9003] = original
    data = encode(noisy_image((64, 48)), "JPEG", exif=exif.tobytes())
    assert process_photo(data).taken_at == expected


def test_same_upload_gives_same_bytes(small_jpeg):
    first, second = process_photo(small_jpeg), process_photo(bytearray(small_jpeg))
    assert first == second
    assert first.sha256 == hashlib.sha256(first.image).hexdigest()


def test_result_is_immutable(small_jpeg):
    result = process_photo(small_jpeg)
    with pytest.raises(AttributeError):
        result.width = 1  # type: ignore[misc]


@pytest.mark.parametrize("module", ["pipeline.py", "storage.py"])
def test_photo_modules_stay_free_of_flask(module):
    source = Path(pipeline.__file__).with_name(module).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "werkzeug", "flask_sqlalchemy", "sqlalchemy", "auditapp"}


def test_helpers_build_what_they_claim():
    bomb = png_bomb(40_000, 40_000)
    assert len(bomb) < 2000
    assert struct.unpack(">II", bomb[16:24]) == (40_000, 40_000)
    assert jpeg_markers(encode(_tiny(), "JPEG"))[-1] == 0xDA
