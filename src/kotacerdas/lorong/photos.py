"""Photos as they are stored: JPEG or PNG, without the metadata a phone writes into them.

A phone's photo carries EXIF (the GPS position where it was taken, often a resident's house; the
device make, model and serial; the time), XMP, IPTC and comments. :func:`clean_photo` keeps only
what draws the picture: a JPEG keeps its JFIF header, colour profile, tables and scans; a PNG its
image, palette, transparency and colour chunks. Anything else is removed by decoding the picture
and encoding it again (JPEG quality :data:`JPEG_QUALITY`), after turning it the way its EXIF
orientation says, so it still shows upright. A photo with nothing to remove is kept byte for byte.
"""

from __future__ import annotations

import io
import struct

from kotacerdas.core.i18n import N_
from kotacerdas.lorong.errors import LorongError

JPEG_QUALITY = 90
#: The most pixels a photo may have (a 5 MB photo holds far fewer; more is refused before it is decoded).
MAX_PIXELS = 50_000_000
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: PNG chunks that only draw the picture (everything else, eXIf and the text chunks among them, is removed).
PNG_KEEP = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs"}
)


def _jpeg_clean(data: bytes) -> bool:
    """Whether a JPEG has no segment but JFIF (APP0), its ICC profile (APP2) and what draws the picture."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return False
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: the picture itself follows
            return True
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        body = data[i + 4 : i + 2 + length]
        if marker == 0xFE or (0xE1 <= marker <= 0xEF and not (marker == 0xE2 and body.startswith(b"ICC_PROFILE"))):
            return False  # a comment, EXIF/XMP (APP1), IPTC (APP13) or another application's data
        i += 2 + length
    return False


def _png_clean(data: bytes) -> bool:
    """Whether a PNG has only the chunks of :data:`PNG_KEEP`."""
    i = len(PNG_MAGIC)
    while i + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[i : i + 8])
        if kind not in PNG_KEEP:
            return False
        if kind == b"IEND":
            return True
        i += 12 + length
    return False


def is_clean(data: bytes) -> bool:
    """Whether a JPEG or PNG carries nothing but the picture (no EXIF, XMP, IPTC, comments or text)."""
    if data.startswith(JPEG_MAGIC):
        return _jpeg_clean(data)
    if data.startswith(PNG_MAGIC):
        return _png_clean(data)
    return False


def clean_photo(data: bytes) -> bytes:
    """The photo without its metadata, upright (see the module's docstring); refused if it is not a readable
    JPEG or PNG."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    kind = "JPEG" if data.startswith(JPEG_MAGIC) else "PNG" if data.startswith(PNG_MAGIC) else None
    if kind is None:
        raise LorongError(N_("A photo must be a JPEG or PNG image"), field="file")
    too_big = LorongError(
        N_("A photo may have at most {mp} megapixels"), field="file", status=413, mp=MAX_PIXELS // 10**6
    )
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.width * im.height > MAX_PIXELS:
                raise too_big
            if is_clean(data):
                im.load()  # a broken file is refused even when there is nothing to remove
                return data
            icc = im.info.get("icc_profile")
            upright = ImageOps.exif_transpose(im)
            upright.load()
    except Image.DecompressionBombError as exc:
        raise too_big from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise LorongError(N_("The photo cannot be read as an image"), field="file") from exc
    upright.info = {}  # Pillow writes a comment (JPEG) or text (PNG) it finds here
    out = io.BytesIO()
    options: dict = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=JPEG_QUALITY, **options)
    else:
        upright.save(out, format="PNG", **options)
    cleaned = out.getvalue()
    if not is_clean(cleaned):  # never store a photo we could not clean
        raise LorongError(N_("The photo cannot be read as an image"), field="file")
    return cleaned
