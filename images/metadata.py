"""The credit a picture carries, read before its metadata is removed (#14).

Cameras and agencies write the photographer and the copyright into EXIF (Artist, Copyright)
and IPTC (By-line, Credit, CopyrightNotice). The cleaned original keeps none of it
(processing.clean_original), so the library reads it from the upload first and offers it as the
credit, for the editor to accept or change: it never replaces a credit someone typed.

Only the file's headers are parsed (Pillow opens lazily and these blocks come before the
pixels), so the first part of a file is enough. Text in these fields comes in any encoding,
or none: it is decoded as UTF-8, else as Latin-1, and stripped of control characters.
"""

import re
import warnings
from io import BytesIO

from PIL import ExifTags, IptcImagePlugin, UnidentifiedImageError
from PIL import Image as PILImage

from .processing import ACCEPTED_FORMATS, DECODE_ERRORS

# Enough of the file for the blocks that carry credits (JPEG APP1/APP13 segments, PNG's eXIf
# before the pixels, WebP's EXIF chunk in small files).
HEADER_BYTES = 1024 * 1024
MAX_CREDIT = 200  # Image.credit's max_length

# IPTC IIM, record 2: By-line, Credit, Copyright notice.
IPTC_BYLINE, IPTC_CREDIT, IPTC_COPYRIGHT = (2, 80), (2, 110), (2, 116)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+")
_COPYRIGHT_PREFIX = re.compile(r"^\s*(?:copyright\b|\(c\)|©)\s*(?:\d{4}\s*)?[,:\-]?\s*", re.I)


def _text(value) -> str:
    """A field's value as one clean line of text, whatever it was stored as."""
    if isinstance(value, list | tuple):
        return "; ".join(filter(None, (_text(part) for part in value)))
    if isinstance(value, bytes):
        value = value.rstrip(b"\x00")
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    try:
        # Pillow reads EXIF text as Latin-1; cameras and editors write UTF-8.
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return " ".join(_CONTROL.sub(" ", value).split())


def _iptc(image) -> dict:
    try:
        return IptcImagePlugin.getiptcinfo(image) or {}
    except (*DECODE_ERRORS, KeyError):
        return {}


def _exif(image) -> dict:
    try:
        exif = image.getexif()
        return {tag: exif.get(tag) for tag in (ExifTags.Base.Artist, ExifTags.Base.Copyright)}
    except (*DECODE_ERRORS, KeyError):
        return {}


def credit_from_fields(
    *, artist: str = "", copyright: str = "", byline: str = "", credit: str = ""
) -> str:
    """One credit line from what the file says: the photographer (IPTC By-line, else EXIF
    Artist) and the agency or owner (IPTC Credit, else the copyright notice without its ©
    and year), e.g. "Jane Doe/Reuters"; either one alone, or "" when the file names no one."""
    who = byline or artist
    owner = credit or _COPYRIGHT_PREFIX.sub("", copyright).strip(" .,;")
    if owner and who and owner.casefold() in who.casefold():
        owner = ""
    if owner and who and who.casefold() in owner.casefold():
        who = ""
    line = "/".join(part for part in (who, owner) if part)
    return line[:MAX_CREDIT].strip()


def read_credit(fp) -> str:
    """The credit named by the EXIF and IPTC of the file `fp` (a file object at any
    position), or "". Never raises for a file's content: anything unreadable counts as
    nothing written."""
    fp.seek(0)
    head = fp.read(HEADER_BYTES)
    fp.seek(0)
    with warnings.catch_warnings():
        # Only headers are read: a picture with too many pixels is refused later, by the
        # upload's own check, with its own message.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(BytesIO(head), formats=ACCEPTED_FORMATS)
        except (UnidentifiedImageError, PILImage.DecompressionBombError, *DECODE_ERRORS):
            return ""
        with image:
            iptc = _iptc(image)
            exif = _exif(image)
    return credit_from_fields(
        artist=_text(exif.get(ExifTags.Base.Artist)),
        copyright=_text(iptc.get(IPTC_COPYRIGHT)) or _text(exif.get(ExifTags.Base.Copyright)),
        byline=_text(iptc.get(IPTC_BYLINE)),
        credit=_text(iptc.get(IPTC_CREDIT)),
    )
