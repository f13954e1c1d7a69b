"""Photos are stored without EXIF (GPS position, device), XMP, comments or PNG text, turned upright; a photo with
nothing to remove is kept byte for byte; what is not a readable JPEG or PNG is refused."""

import io
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin

from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.generate import demo_photo
from kotacerdas.lorong.photos import clean_photo, is_clean

GPS_IFD, ORIENTATION, MAKE, MODEL = 0x8825, 0x0112, 0x010F, 0x0110


def phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE], exif[MODEL] = "Samsung", "SM-A525F"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "S", (5.0, 8.0, 33.0), "E", (119.0, 25.0, 10.0)
    return exif


def half_blue(width=40, height=20) -> Image.Image:
    """Red, with its left quarter blue: where the blue ends up says how the picture was turned."""
    im = Image.new("RGB", (width, height), (220, 0, 0))
    im.paste((0, 0, 220), (0, 0, width // 4, height))
    return im


def test_a_phone_jpeg_loses_its_gps_and_device_and_stands_upright():
    buf = io.BytesIO()
    half_blue().save(buf, "JPEG", exif=phone_exif(orientation=6), comment=b"rumah Ibu Sitti")
    raw = buf.getvalue()
    assert not is_clean(raw) and b"Samsung" in raw
    out = clean_photo(raw)
    assert is_clean(out) and b"Samsung" not in out and b"Sitti" not in out and b"Exif" not in out
    im = Image.open(io.BytesIO(out))
    assert dict(im.getexif()) == {} and im.size == (20, 40)  # orientation 6: turned a quarter clockwise
    top, bottom = im.getpixel((10, 2)), im.getpixel((10, 37))
    assert top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]  # the blue edge is now at the top


def test_a_png_loses_its_text_and_exif_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ibu Sitti")
    buf = io.BytesIO()
    half_blue().save(buf, "PNG", pnginfo=info, exif=phone_exif())
    out = clean_photo(buf.getvalue())
    assert is_clean(out) and b"Sitti" not in out and b"eXIf" not in out
    assert Image.open(io.BytesIO(out)).size == (40, 20)


def test_a_clean_photo_is_kept_byte_for_byte():
    assert clean_photo(demo_photo(3)) == demo_photo(3)
    buf = io.BytesIO()
    half_blue().save(buf, "JPEG", quality=80)
    assert clean_photo(buf.getvalue()) == buf.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a....", "JPEG or PNG"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "cannot be read"),
        (
            b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2, 0, 0, 0))
            + _png_chunk(b"IEND", b""),
            "at most 50 megapixels",
        ),
    ],
)
def test_what_is_not_a_readable_photo_is_refused(data, message):
    with pytest.raises(LorongError, match=message) as exc:
        clean_photo(data)
    assert exc.value.field == "file"
