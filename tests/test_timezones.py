"""The newsroom's clock named on every date and time input (#15, newsroom/timezones.py)."""

import time_machine
from django.test import override_settings

from newsroom.timezones import zone_help


def test_a_zone_with_seasons_gives_its_key_and_todays_name():
    with override_settings(TIME_ZONE="Europe/London"):
        with time_machine.travel("2026-12-03T12:00Z", tick=False):
            assert zone_help() == "Times are in Europe/London (GMT)."
        with time_machine.travel("2026-07-03T12:00Z", tick=False):
            assert zone_help() == "Times are in Europe/London (BST)."


def test_utc_is_named_once():
    with override_settings(TIME_ZONE="UTC"):
        assert zone_help() == "Times are in UTC."
