"""newsroom/surrogate_keys.py (#13): the one spelling of every surrogate key, and the Varnish
configuration's agreement with it."""

import re
from pathlib import Path

from newsroom import surrogate_keys as keys

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "default.vcl"
# What the Varnish configuration accepts in a PURGE request's Surrogate-Key header.
VCL_KEYS = r"^[a-z0-9-]+(\s+[a-z0-9-]+)*$"

CONSTANTS = [
    keys.EVERYTHING,
    keys.FRONT,
    keys.ARCHIVE,
    keys.CORRECTIONS,
    keys.SEARCH,
    keys.SITEMAP,
    keys.NAVIGATION,
    keys.ROBOTS,
    keys.STAFF,
    keys.BREAKING,
]
OWNERS = [keys.author_key, keys.section_key, keys.tag_key]
OBJECTS = [keys.story_key, keys.image_key, keys.page_key, *OWNERS]


class SurrogateKeyTests:
    def test_the_varnish_configuration_checks_keys_as_this_module_spells_them(self):
        assert f'"{VCL_KEYS}"' in VCL.read_text()

    def test_every_key_is_a_word_a_purge_may_name(self):
        made = [*CONSTANTS, *(key(12) for key in OBJECTS)]
        made += [keys.stories_key(owner(3)) for owner in OWNERS]
        for key in made:
            assert re.fullmatch(VCL_KEYS, key), key
        assert len(set(made)) == len(made)

    def test_keys_name_the_object_and_its_number(self):
        # Caching proxies and their logs see these words; changing one is a deploy step.
        assert keys.story_key(12) == "story-12"
        assert keys.stories_key(keys.author_key(3)) == "stories-author-3"

    def test_the_varnish_configuration_bans_every_page_for_everything(self):
        assert f'"(^|\\s){keys.EVERYTHING}(\\s|$)"' in VCL.read_text()
