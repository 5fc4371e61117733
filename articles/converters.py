"""URL converters for story addresses: /YYYY/MM/DD/slug/ with zero-padded month and day."""


class FourDigitYearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class TwoDigitConverter:
    """Accepts "3" or "03" (old links); always writes "03"."""

    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:02d}"


class TagSlugConverter:
    """A tag's slug: any text (tags keep accents and non-Latin scripts) but a slash or a NUL
    character, which PostgreSQL refuses in queries."""

    regex = "[^/\\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
