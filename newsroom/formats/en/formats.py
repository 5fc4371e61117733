"""The site's date formats (FORMAT_MODULE_PATH, #15): a date with a time names its zone ("T":
GMT, BST, CET, EST…), as Django's own formats don't, so the admin's lists and read-only fields
show "3 Dec 2026, 14:30 CET". Formats not named here stay Django's."""

DATETIME_FORMAT = "j M Y, H:i T"
SHORT_DATETIME_FORMAT = "j M Y, H:i T"
