"""Small image builders shared by the photo tests (kept out of conftest so tests can import them plainly)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    """Save an image to bytes in the given format."""
    out = io.BytesIO()
    img.save(out, format=fmt, **params)
    return out.getvalue()


def noisy_image(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A photo-like image (noise over gradients) so encoders produce realistic sizes and real pixel content."""
    w, h = size
    gradient = Image.linear_gradient("L").resize((w, h))
    noise = Image.effect_noise((w, h), 40).convert("L")
    red = Image.blend(gradient, noise, 0.5)
    img = Image.merge("RGB", (red, gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    return img.convert(mode) if mode != "RGB" else img


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk with its length and CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bomb(width: int, height: int) -> bytes:
    """A 1-bit PNG claiming width x height, with a few bytes of compressed zero rows: tiny on disk, huge decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = compressor.compress(row * 16) + compressor.flush()  # deliberately far too little data
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def patch_jpeg_size(data: bytes, width: int, height: int) -> bytes:
    """Rewrite the frame header (SOF0/SOF2) of a JPEG to claim another size, as a hostile file would."""
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            return data[: i + 5] + struct.pack(">HH", height, width) + data[i + 9 :]
        i += 2 + length
    raise ValueError("no SOF marker")


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG up to the first scan (where metadata segments would be)."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    markers, i = [], 2
    while i + 4 <= len(data):
        assert data[i] == 0xFF, f"bad segment at {i}"
        marker = data[i + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return markers
