"""Draw the few evidence photos the demo attaches, so it needs no image files (pure Pillow)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

SIZE = (960, 720)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType has only the small bitmap font
        return ImageFont.load_default()


def _label(draw: ImageDraw.ImageDraw, text: str) -> None:
    w, h = SIZE
    draw.rectangle((0, h - 96, w, h), fill=(20, 33, 61))
    draw.text((32, h - 76), text, fill=(255, 255, 255), font=_font(48))


def _entrance(draw: ImageDraw.ImageDraw, wall: tuple[int, int, int], awning: tuple[int, int, int]) -> None:
    w, h = SIZE
    draw.rectangle((0, 0, w, h), fill=(186, 214, 235))
    draw.rectangle((80, 120, w - 80, h - 96), fill=wall)
    draw.polygon([(300, 250), (660, 250), (700, 320), (260, 320)], fill=awning)
    draw.rectangle((390, 320, 570, h - 96), fill=(70, 45, 30))
    draw.rectangle((400, 335, 560, 560), fill=(150, 190, 210))
    for x in (140, 720):
        draw.rectangle((x, 200, x + 110, 330), fill=(150, 190, 210), outline=(255, 255, 255), width=6)
    draw.ellipse((250, 540, 330, 620), fill=(60, 120, 60))
    draw.ellipse((630, 540, 710, 620), fill=(60, 120, 60))


def _tiles(draw: ImageDraw.ImageDraw, tile: tuple[int, int, int]) -> None:
    w, h = SIZE
    draw.rectangle((0, 0, w, h), fill=tile)
    for x in range(0, w, 80):
        draw.line((x, 0, x, h), fill=(200, 200, 200), width=3)
    for y in range(0, h, 80):
        draw.line((0, y, w, y), fill=(200, 200, 200), width=3)


def _bathroom(draw: ImageDraw.ImageDraw) -> None:
    _tiles(draw, (236, 240, 243))
    draw.rectangle((320, 120, 640, 330), fill=(210, 225, 235), outline=(140, 140, 140), width=8)  # mirror
    draw.rounded_rectangle((280, 380, 680, 470), radius=30, fill=(255, 255, 255), outline=(150, 150, 150), width=5)
    draw.rectangle((470, 350, 490, 390), fill=(160, 160, 170))  # tap
    draw.rectangle((720, 200, 900, 560), fill=(255, 255, 255), outline=(170, 170, 170), width=5)  # towels


def _toilets(draw: ImageDraw.ImageDraw) -> None:
    _tiles(draw, (225, 232, 226))
    draw.rectangle((120, 100, 400, 600), fill=(120, 140, 160))  # cubicle door
    draw.ellipse((340, 330, 370, 360), fill=(220, 220, 220))
    draw.rounded_rectangle((560, 330, 820, 420), radius=24, fill=(255, 255, 255), outline=(150, 150, 150), width=5)
    draw.ellipse((640, 160, 740, 260), fill=(255, 255, 255), outline=(150, 150, 150), width=5)  # hand dryer


def _drawing(name: str) -> Image.Image:
    img = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(img)
    if name == "hotel-entrance":
        _entrance(draw, (196, 160, 120), (20, 33, 61))
        _label(draw, "Entrance")
    elif name == "restaurant-entrance":
        _entrance(draw, (120, 70, 60), (180, 40, 40))
        _label(draw, "Restaurant entrance")
    elif name == "bathroom":
        _bathroom(draw)
        _label(draw, "Bathroom")
    elif name == "toilets":
        _toilets(draw)
        _label(draw, "Toilets")
    else:
        raise ValueError(f"no demo drawing called {name!r}")
    return img


DRAWINGS = ("hotel-entrance", "restaurant-entrance", "bathroom", "toilets")


def demo_jpeg(name: str) -> bytes:
    """Return one labelled drawing as JPEG bytes, as a phone would upload it."""
    out = io.BytesIO()
    _drawing(name).save(out, format="JPEG", quality=85)
    return out.getvalue()
