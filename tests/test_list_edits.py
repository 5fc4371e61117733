"""Lists edited in place never undo a colleague's change (#13, newsroom/admin_lists.py).

Two editors load the same list; the first saves; the second saves from the list loaded
earlier. Before, the second save put every row back as it was loaded, and said "changed
successfully".
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import FrontPageSlot, Section
from tests.articles.workflow_http import form_fields, messages_of, submit
from tests.factories import EditorFactory, PublishedArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SLOTS = reverse("admin:articles_frontpageslot_changelist")
SECTIONS = reverse("admin:articles_section_changelist")


def editor(name):
    client = Client()
    client.force_login(EditorFactory(username=name))
    return client


def loaded(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return {**form_fields(page.content.decode(), "changelist-form"), "_save": "Save"}


@pytest.fixture
def slots():
    stories = PublishedArticleFactory.create_batch(4)
    lead = FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=stories[0])
    top = FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.TOP_2, article=stories[1])
    return lead, top, stories


class FrontPageSlotTests:
    def test_a_list_loaded_earlier_keeps_the_pin_made_since(self, slots):
        lead, top, stories = slots
        ana, ben = editor("ana"), editor("ben")
        ana_list, ben_list = loaded(ana, SLOTS), loaded(ben, SLOTS)
        # Ana pins another lead story.
        ana_list["form-0-article"] = str(stories[2].pk)
        assert submit(ana, SLOTS, ana_list).status_code == 302
        # Ben, from his older list, sets an end to the second slot only.
        until = timezone.localtime() + timedelta(hours=3)
        ben_list["form-1-expires_at_0"] = until.strftime("%Y-%m-%d")
        ben_list["form-1-expires_at_1"] = until.strftime("%H:%M:%S")
        assert submit(ben, SLOTS, ben_list).status_code == 302
        lead.refresh_from_db()
        top.refresh_from_db()
        assert lead.article == stories[2]  # Ana's pin stays…
        assert top.expires_at is not None  # …and Ben's end is saved.

    def test_both_changing_one_slot_is_refused_then_replaced_when_saved_again(self, slots):
        lead, top, stories = slots
        ana, ben = editor("ana"), editor("ben")
        ana_list, ben_list = loaded(ana, SLOTS), loaded(ben, SLOTS)
        ana_list["form-0-article"] = str(stories[2].pk)
        submit(ana, SLOTS, ana_list)
        ben_list["form-0-article"] = str(stories[3].pk)
        refused = submit(ben, SLOTS, ben_list)
        assert refused.status_code == 200
        page = refused.content.decode()
        assert "Changed by someone else since you loaded this list" in page
        assert str(stories[2]) in page  # What the slot holds now.
        lead.refresh_from_db()
        assert lead.article == stories[2]
        # The list shown again keeps Ben's choice; saving it again is deliberate.
        again = {**form_fields(page, "changelist-form"), "_save": "Save"}
        assert again["form-0-article"] == str(stories[3].pk)
        assert submit(ben, SLOTS, again).status_code == 302
        lead.refresh_from_db()
        assert lead.article == stories[3]

    def test_saving_an_untouched_old_list_changes_nothing(self, slots):
        lead, top, stories = slots
        ana, ben = editor("ana"), editor("ben")
        ana_list, ben_list = loaded(ana, SLOTS), loaded(ben, SLOTS)
        ana_list["form-0-article"] = str(stories[2].pk)
        submit(ana, SLOTS, ana_list)
        response = submit(ben, SLOTS, ben_list, follow=True)
        assert not any("changed successfully" in m for m in messages_of(response))
        lead.refresh_from_db()
        assert lead.article == stories[2]

    def test_an_end_time_both_changed_is_replaced_when_saved_again(self, slots):
        """A date and time posts its loaded value in two parts; the list shown again must keep
        the value now in the database as the loaded one, or the second save drops the edit."""
        lead, top, stories = slots
        ana, ben = editor("ana"), editor("ben")
        ana_list, ben_list = loaded(ana, SLOTS), loaded(ben, SLOTS)
        ana_list["form-1-expires_at_0"], ana_list["form-1-expires_at_1"] = "2030-01-01", "10:00:00"
        assert submit(ana, SLOTS, ana_list).status_code == 302
        ben_list["form-1-expires_at_0"], ben_list["form-1-expires_at_1"] = "2031-06-01", "12:00:00"
        refused = submit(ben, SLOTS, ben_list)
        assert refused.status_code == 200
        assert "Changed by someone else since you loaded this list" in refused.content.decode()
        again = {**form_fields(refused.content.decode(), "changelist-form"), "_save": "Save"}
        assert again["form-1-expires_at_0"] == "2031-06-01"
        assert submit(ben, SLOTS, again).status_code == 302
        top.refresh_from_db()
        assert timezone.localtime(top.expires_at).date().isoformat() == "2031-06-01"


class SectionTests:
    def test_order_and_navigation_merge_per_field(self):
        news, sport = SectionFactory(name="News", order=1), SectionFactory(name="Sport", order=2)
        ana, ben = editor("ana"), editor("ben")
        ana_list, ben_list = loaded(ana, SECTIONS), loaded(ben, SECTIONS)
        index = {ana_list[f"form-{i}-id"]: i for i in range(2)}
        n, s = index[str(news.pk)], index[str(sport.pk)]
        ana_list[f"form-{s}-order"] = "0"  # Sport first.
        submit(ana, SECTIONS, ana_list)
        ben_list.pop(f"form-{n}-in_navigation", None)  # Ben takes News out of the menu.
        assert submit(ben, SECTIONS, ben_list).status_code == 302
        news.refresh_from_db()
        sport.refresh_from_db()
        assert sport.order == 0
        assert news.in_navigation is False and news.order == 1

    def test_the_same_order_set_by_both_is_no_conflict(self):
        news = SectionFactory(name="News", order=1)
        ana, ben = editor("ana"), editor("ben")
        ana_list, ben_list = loaded(ana, SECTIONS), loaded(ben, SECTIONS)
        ana_list["form-0-order"] = ben_list["form-0-order"] = "5"
        submit(ana, SECTIONS, ana_list)
        assert submit(ben, SECTIONS, ben_list).status_code == 302
        news.refresh_from_db()
        assert news.order == 5
        assert Section.objects.count() == 1
