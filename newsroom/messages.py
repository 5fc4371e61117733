"""What the admin tells people, punctuated once.

Messages quote headlines: “Saved the changes to “{headline}”.” A headline that ends a sentence
itself (“… ends the battle.”) would end the message with a second full stop, “… battle.”.
Every message the admin shows passes through `Storage` (MESSAGE_STORAGE), and every
notification through `one_full_stop()`, so no call site has to think of it (#15).
"""

import re

from django.contrib.messages.storage.fallback import FallbackStorage
from django.utils.safestring import SafeData, mark_safe

# A closing quote after the sentence's own stop, then the message's: keep the first.
ENDS_TWICE = re.compile(r"([.!?])”\.")


def one_full_stop(text):
    """The text with “… battle.”. written “… battle.”; safe HTML stays safe (the change only
    removes a full stop)."""
    tidied = ENDS_TWICE.sub(r"\1”", str(text))
    return mark_safe(tidied) if isinstance(text, SafeData) else tidied


class Storage(FallbackStorage):
    """Django's default message storage (cookie, then session), punctuating once."""

    def add(self, level, message, extra_tags=""):
        super().add(level, one_full_stop(message), extra_tags)
