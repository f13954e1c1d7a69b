"""QR codes decode (with zxing-cpp, a third-party reader) to the unit's page."""

import io
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image

from kotacerdas.lorong.qrcode import qr_png, qr_svg

URL = "https://kota.example/lorong/73.71/lo-00001-bontorannu"


def test_png_decodes_to_the_page():
    img = Image.open(io.BytesIO(qr_png(URL)))
    assert img.format == "PNG"
    assert [r.text for r in zxingcpp.read_barcodes(img)] == [URL]


def test_svg_is_valid_svg_with_a_title():
    root = ET.fromstring(qr_svg(URL, title="Lorong Bontorannu"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Lorong Bontorannu"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
