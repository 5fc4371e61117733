"""python manage.py load_demo_pages: the footer pages of the demo paper (#16).

Idempotent: a page is matched by its slug, and one that exists (an editor may have changed
it) is left as it is, so a second run adds nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from ...models import Page

DEMO_PAGES = [
    {
        "slug": "about",
        "title": "About us",
        "summary": "{site} is the independent daily news site of Harbourside and the valley.",
        "body": """
<p>{site} is the independent news site of Harbourside and the villages of the valley. Our
reporters cover the council, the port, the schools, the river and the teams that play on
Saturdays, and we publish every day of the year.</p>
<h2>What we do</h2>
<p>We report what happens, explain why it matters and hold the people who run the town to
account. We sit in council meetings so that you don't have to, we read the planning
applications, and we go and ask.</p>
<h2>Who pays for it</h2>
<p>{site} is paid for by its readers' subscriptions and by advertising. Advertisers have no
say over what we write, and sponsored pages are always labelled.</p>
<p>Meet the people behind the bylines on our <a href="/staff/">staff page</a>.</p>
""",
    },
    {
        "slug": "contact",
        "title": "Contact us",
        "summary": "How to reach the {site} newsroom with a story, a question or a complaint.",
        "body": """
<p>The newsroom is staffed from 7 am to 11 pm every day.</p>
<h2>Tell us a story</h2>
<p>Email <a href="mailto:newsdesk@harbourside.example">newsdesk@harbourside.example</a> or
call the news desk on 020 7946 0000. If you need to stay anonymous, say so before you tell us
anything: we protect our sources.</p>
<h2>Letters and complaints</h2>
<ul>
<li>Letters for publication:
<a href="mailto:letters@harbourside.example">letters@harbourside.example</a>, with your name
and the area you live in.</li>
<li>Something we got wrong: see our
<a href="/pages/corrections-policy/">corrections policy</a>.</li>
<li>Advertising: <a href="mailto:adverts@harbourside.example">adverts@harbourside.example</a>.</li>
</ul>
<h2>By post</h2>
<p>{site}, 14 Quay Street, Harbourside.</p>
""",
    },
    {
        "slug": "corrections-policy",
        "title": "Corrections policy",
        "summary": "How {site} corrects its mistakes, and how to tell us about one.",
        "body": """
<p>We try to get everything right, and when we don't, we say so, quickly and in the open.</p>
<h2>How we correct</h2>
<ul>
<li>A <strong>correction</strong> fixes a fact we got wrong. The story is changed and a note at
its foot says what was wrong and when it was fixed.</li>
<li>A <strong>clarification</strong> makes clearer something that could be misread.</li>
<li>An <strong>update</strong> adds what happened after the story was published.</li>
</ul>
<p>Every correction, clarification and update is also listed, newest first, on our
<a href="/corrections/">corrections page</a>. We don't quietly edit published stories.</p>
<h2>Taking a story down</h2>
<p>We remove a story only for legal reasons or to protect someone's safety. Its address then
says when and why it was withdrawn.</p>
<h2>Tell us</h2>
<p>Write to <a href="mailto:corrections@harbourside.example">corrections@harbourside.example</a>
with the story's address and what is wrong. The duty editor reads every message and replies
within two working days.</p>
""",
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "summary": "What {site} knows about its readers, and what it does with it.",
        "body": """
<p>You can read {site} without an account, and we don't follow you around the web.</p>
<h2>What we keep</h2>
<ul>
<li>Our servers log each request (the page, the time and the network address) for 30 days,
to keep the site running and to stop abuse.</li>
<li>Reading pages sets no cookies. Only the newsroom's own staff sign in.</li>
<li>We load no advertising or tracking code from other companies. Share links are plain
links: nothing is sent to a social network until you click one.</li>
</ul>
<h2>When you write to us</h2>
<p>We keep your messages as long as we need them to answer and to report the story, and we
never pass on your details without your agreement.</p>
<h2>Questions</h2>
<p>Ask our data protection officer at
<a href="mailto:privacy@harbourside.example">privacy@harbourside.example</a>.</p>
""",
    },
]


class Command(BaseCommand):
    help = "Loads the demo paper's about, contact, corrections policy and privacy pages."

    @transaction.atomic
    def handle(self, *args, **options):
        site = settings.SITE_NAME
        added = 0
        for order, data in enumerate(DEMO_PAGES, start=1):
            _, created = Page.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "title": data["title"],
                    "summary": data["summary"].format(site=site),
                    "body": " ".join(data["body"].format(site=site).split()),
                    "show_in_footer": True,
                    "footer_order": order * 10,
                },
            )
            added += created
        if added:
            self.stdout.write(f"{added} new footer pages.")
        else:
            self.stdout.write("0 new footer pages (nothing to add).")
