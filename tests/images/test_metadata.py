"""Credits read from a picture's EXIF and IPTC before the metadata is removed (#14)."""

import struct
from io import BytesIO

import pytest
from PIL import ExifTags
from PIL import Image as PILImage

from images.metadata import credit_from_fields, read_credit
from images.models import Image

from .samples import encode, jpeg, png, two_tone


def iptc_segment(fields: dict[tuple[int, int], bytes]) -> bytes:
    """An APP13 segment as Photoshop writes it: an 8BIM resource 0x0404 holding IPTC IIM."""
    iim = b"".join(
        b"\x1c" + bytes(key) + struct.pack(">H", len(value)) + value
        for key, value in fields.items()
    )
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    body = b"Photoshop 3.0\x00" + resource + iim
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def jpeg_with(*, artist=None, copyright=None, iptc=None) -> bytes:
    """A real JPEG carrying EXIF Artist/Copyright (str or raw bytes) and IPTC fields."""
    exif = PILImage.Exif()
    if artist is not None:
        exif[ExifTags.Base.Artist] = artist
    if copyright is not None:
        exif[ExifTags.Base.Copyright] = copyright
    data = encode(two_tone((320, 200)), "JPEG", exif=exif)
    if iptc:
        data = data[:2] + iptc_segment(iptc) + data[2:]  # right after SOI
    return data


def credit(data: bytes) -> str:
    return read_credit(BytesIO(data))


class CreditFromMetadataTests:
    def test_exif_artist_and_copyright(self):
        data = jpeg_with(artist="Jane Doe", copyright="© 2026 Reuters".encode())
        assert credit(data) == "Jane Doe/Reuters"

    def test_iptc_byline_and_credit_win_over_exif(self):
        data = jpeg_with(
            artist="Camera Owner",
            copyright="Copyright Someone",
            iptc={(2, 80): b"Jane Doe", (2, 110): b"Reuters", (2, 116): b"(c) 2025 Reuters"},
        )
        assert credit(data) == "Jane Doe/Reuters"

    def test_iptc_copyright_notice_alone(self):
        data = jpeg_with(iptc={(2, 116): "Copyright 2024, Agence Zoë".encode()})
        assert credit(data) == "Agence Zoë"

    def test_non_ascii_in_utf8_and_latin1(self):
        assert credit(jpeg_with(artist="Zoë Ångström".encode())) == "Zoë Ångström"
        assert credit(jpeg_with(artist="José Núñez".encode("latin-1"))) == "José Núñez"
        assert credit(jpeg_with(iptc={(2, 80): "Zoë Ångström".encode()})) == "Zoë Ångström"
        assert credit(jpeg_with(iptc={(2, 80): "José Núñez".encode("latin-1")})) == "José Núñez"

    def test_the_same_name_twice_is_named_once(self):
        assert credit(jpeg_with(artist="Jane Doe", copyright="© Jane Doe".encode())) == "Jane Doe"

    def test_control_characters_and_garbage_bytes_are_dropped(self):
        data = jpeg_with(artist="Jane\x00\x07 Doe\r\n", iptc={(2, 110): b"\xff\xfe\x00\x01AP\x1b"})
        assert credit(data) == "Jane Doe/ÿþ AP"

    def test_markup_is_kept_as_text_for_the_template_to_escape(self):
        assert credit(jpeg_with(artist="<b>Jane</b>")) == "<b>Jane</b>"

    def test_too_long_is_cut_to_the_field(self):
        assert len(credit(jpeg_with(artist="x" * 5000))) == 200

    @pytest.mark.parametrize(
        "data",
        [
            b"",
            b"not a picture at all",
            jpeg()[:40],
            png(),
            jpeg(),
            b"\xff\xd8\xff\xed\x00\x10Photoshop 3.0\x00\xff\xd9",  # a broken APP13
        ],
    )
    def test_nothing_readable_is_no_credit(self, data):
        assert credit(data) == ""

    def test_a_broken_iptc_block_leaves_exif(self):
        data = jpeg_with(artist="Jane Doe")
        broken = b"\xff\xed\x00\x18Photoshop 3.0\x008BIM\x04\x04\x00\x00"
        assert credit(data[:2] + broken + data[2:]) == "Jane Doe"

    def test_reads_from_the_start_of_the_file_whatever_its_position(self):
        stream = BytesIO(jpeg_with(artist="Jane Doe"))
        stream.seek(100)
        assert read_credit(stream) == "Jane Doe"
        assert stream.tell() == 0


class CreditLineTests:
    @pytest.mark.parametrize(
        ("fields", "line"),
        [
            ({}, ""),
            ({"artist": "A"}, "A"),
            ({"copyright": "©2026 AP."}, "AP"),
            ({"byline": "B", "artist": "A"}, "B"),
            ({"byline": "B", "credit": "AP", "copyright": "© X"}, "B/AP"),
            ({"artist": "Jo Bloggs", "copyright": "Copyright: Jo Bloggs"}, "Jo Bloggs"),
        ],
    )
    def test_credit_line(self, fields, line):
        assert credit_from_fields(**fields) == line


class ImageCreditLineTests:
    """Readers see “Photo: …”, unless the credit already says what the picture is (#16)."""

    @pytest.mark.parametrize(
        ("credit", "line"),
        [
            ("", ""),
            ("Jo Bloggs/AP", "Photo: Jo Bloggs/AP"),
            ("Illustration: Harbourside", "Illustration: Harbourside"),
            ("Graphic: Jo Bloggs", "Graphic: Jo Bloggs"),
            ("Photo: AP", "Photo: AP"),
            ("AP 2026:12", "Photo: AP 2026:12"),
        ],
    )
    def test_credit_line(self, credit, line):
        assert Image(credit=credit).credit_line == line
