"""python manage.py seed_articles --count N: a large, realistic, reproducible archive for
benchmarks and scale tests.

Stories are spread over the last few years (most published; a few drafts, stories in review,
scheduled and withdrawn stories), each with a section, one to three bylines, up to four tags
and word-list text. Everything comes from `random.Random(--seed)`: the same arguments give
the same archive, dated relative to the day of the run (each story keeps its day offset from
today, so slugs and publication dates don't depend on the time of day).

Stories are written with bulk_create(), which skips Article.save(): the fields save() derives
(slug, publication_date, word count, the sanitised body, version) are filled here with the
same model helpers. The search triggers record every new story and each batch is indexed as it is
written (refresh_search_index()), so the first search finds an index that is already up to
date. On PostgreSQL, ANALYZE (and VACUUM, outside a transaction) runs at the end.

Authors, sections and tags are matched by name, so they are shared with an earlier run. The
command refuses a database that already has stories unless --append is given.
"""

import random
import time
from bisect import bisect
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from io import BytesIO
from itertools import accumulate, product

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw

from authors.models import Author
from images.models import Image
from images.renditions import make_renditions_for
from newsroom.pagecache import purge
from newsroom.surrogate_keys import EVERYTHING

from ...latest import rebuild as rebuild_latest
from ...models import SLUG_MAX_LENGTH, Article, ArticleAuthor, Section, Tag, TaggedArticle
from ...search import refresh_search_index
from ...text import paragraphs_to_html, sanitize_html

YEARS = 5
SCHEDULED_DAYS = 14
# Shares of stories by state (cumulative); the rest are published.
DRAFT, REVIEW, SCHEDULED, WITHDRAWN = 0.03, 0.04, 0.05, 0.06
REVISED_SHARE = 0.06  # published stories with an "Updated" time
LEAD_IMAGE_SHARE = 0.35  # with --images, of the stories that have a publication time
MAX_IMAGES = 12
IMAGE_SIZE = (1200, 675)
IMAGE_CREDIT = "Newsroom seed archive"
BYLINE_WEIGHTS = (80, 15, 5)  # one, two or three authors
TAG_WEIGHTS = (15, 25, 30, 20, 10)  # zero to four tags

SECTIONS = [
    ("News", "What happened today, at home and nearby.", 30),
    ("Politics", "Parliament, councils, campaigns and the people in them.", 16),
    ("Business", "Companies, markets, jobs and money.", 14),
    ("World", "Reporting from beyond our borders.", 12),
    ("Science", "Research, health, technology and the environment.", 8),
    ("Culture", "Books, film, music, art and the stage.", 8),
    ("Sport", "Results, transfers and the stories behind them.", 8),
    ("Opinion", "Columns and comment from our writers.", 4),
]


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(text.split()))


def _phrases(text: str) -> list[str]:
    return [phrase.strip() for phrase in text.split("|") if phrase.strip()]


FIRST_NAMES = _words("""
    Aaliyah Abel Ada Adrian Agnes Aisha Alan Alba Alice Amir Ana Anders Anika Anton Ayesha
    Beatrix Bilal Bruno Carla Carmen Cecil Chloe Clara Daniel Dara Dev Dmitri Edith Elena Elif
    Emil Esther Farah Felix Fiona Florian Gemma Grace Hamid Hana Hector Helga Ida Imran Ines
    Ingrid Isaac Ivan Jamal Jana Jonah Julia Kai Kamala Karin Kenji Laila Lars Leila Leon Lina
    Lucas Maeve Malik Marta Mateo Mei Milan Mira Nadia Nico Nina Noor Olga Omar Oskar Paula
    Priya Rafael Rosa Ruth Samir Sara Selma Simon Sofia Tariq Tess Theo Tomas Una Vera Viktor
    Wen Yara Yusuf Zara Zoe
""")
LAST_NAMES = _words("""
    Abbott Adeyemi Alvarez Andersen Arslan Baker Banerjee Barros Becker Bianchi Blake Bose
    Brennan Carter Castillo Chen Costa Dahl Das Delgado Dubois Duncan Ekberg Evans Fischer
    Flores Fraser Garcia Gill Grant Haddad Hale Hansen Hughes Ibrahim Ito Jensen Kaur Keller
    Khan Kim Kowalski Larsen Lee Lindqvist Lopez Mahmoud Marsh Mehta Meyer Moreau Murphy
    Nakamura Navarro Nguyen Novak Obi Okafor Olsen Ortiz Park Patel Pereira Petrov Quinn Rahman
    Reyes Rossi Russo Sato Schmidt Shah Silva Singh Sorensen Stone Suzuki Tanaka Torres Varga
    Vogel Walsh Ward Weber Wolf Wright Yilmaz Young Zhang Zielinski
""")
JOB_TITLES = _phrases("""
    Staff reporter | Political correspondent | Business editor | Health correspondent |
    Science writer | Culture critic | Sports reporter | Foreign correspondent | Data reporter |
    Education correspondent | Environment correspondent | Courts reporter |
    Transport correspondent | Columnist | Deputy editor | Investigations editor |
    Economics writer | Technology reporter | Features writer | Local democracy reporter
""")
PLACES = _words("""
    Ashvale Bramley Castlegate Dunmore Eastbrook Fairhaven Glenrock Harbourside Ironbridge
    Kingsport Larkhill Millford Northgate Oakhurst Pennington Queensway Redwater Saltmarsh
    Stonebridge Thornbury Upton Valemouth Westmoor Whitcombe Yarrow Brackenfield Cinderford
    Dovecote Elmstead Foxley Greyhaven Hollowell Kestrel Linden Marrow Newhaven Orrin Pilgrim
    Ravensby Silverdale
""")
NOUNS = _words("""
    council budget harbour tram school hospital minister court river bridge election strike
    market festival museum airport union factory police railway housing library stadium
    treaty border vaccine drought flood wildfire port pension tariff reactor satellite
    orchestra novel exhibition team coach derby final referendum mayor senate parliament
    coalition ceasefire summit embassy farm harvest fishery forest glacier telescope
    laboratory study trial verdict inquiry report scandal merger startup bank currency
    inflation mortgage rent landlord tenant teacher nurse doctor pilot cyclist bus ferry
    motorway reservoir grid mine steelworks brewery bakery theatre gallery cinema choir
    playwright painter poet composer striker goalkeeper league cup marathon regatta
    tournament academy university campus research grant survey census poll rally protest
    petition lawsuit tribunal regulator watchdog charity hospice clinic ward ambulance
    surgery pharmacy outbreak virus heatwave storm coastline dune wetland species beetle
    salmon wolf orchard vineyard allotment
""")
PLURALS = _words("""
    councillors voters teachers nurses doctors farmers fishermen residents tenants landlords
    workers students parents drivers cyclists pilots miners scientists researchers artists
    musicians players fans investors shoppers commuters patients volunteers officials judges
""")
VERBS = _words("""
    approves rejects delays unveils backs blocks cuts expands investigates warns wins loses
    opens closes faces plans doubles halts revives tests signs ends launches questions defends
    funds scraps targets reviews reopens challenges welcomes condemns sells buys builds
    restores
""")
PAST_VERBS = _words("""
    approved rejected delayed unveiled backed blocked cut expanded warned won lost opened
    closed faced halted revived signed ended launched defended funded scrapped reviewed
    reopened rebuilt
""")
ADJECTIVES = _words("""
    new rural coastal northern southern local national regional historic controversial costly
    delayed overdue ambitious modest record urgent fragile quiet bitter crowded empty
    unexpected rising falling public private independent temporary permanent emergency annual
    secret final
""")
TOPICS = _phrases("""
    public health | climate | housing | transport | education | elections | courts | crime |
    immigration | economy | jobs | energy | water | farming | fisheries | tourism |
    arts funding | music | books | film | football | cricket | rugby | athletics | cycling |
    sailing | space | medicine | mental health | social care | pensions | tax | trade |
    technology | artificial intelligence | privacy | policing | local government | planning |
    heritage | wildlife | air quality | floods | wildfires | schools | universities | science
""")
STANDFIRST_OPENERS = _phrases("""
    The decision follows months of | Critics say the plan ignores |
    Officials insist the move will ease | Residents have long complained about |
    For the first time in a decade there are | Supporters hope the change will end |
    The figures raise new questions about | Campaigners warn of
""")
CLAUSE_POOL = 20_000
CLAUSES = (
    "the {adjective} {noun} {verb} {people} {where} {place}",
    "{people} {where} {place} {past} the {noun}",
    "the {noun} {past} the {adjective} {other}",
    "officials {past} the {adjective} {noun} for {people}",
    "the {place} {noun} {verb} its {other}",
    "{people} {past} the {other} {where} {place}",
    "one {adjective} {other} {verb} the {noun}",
    "the {noun} has {past} {adjective} {people}",
)
PREPOSITIONS = ["in", "near", "outside", "across", "around", "north of"]
CONNECTORS = [", and ", " after ", " while ", " because ", ", but ", " as ", " before ", " since "]
SPEAKERS = ["official", "spokeswoman", "spokesman", "campaigner", "researcher", "adviser"]
TROUBLES = ["talks", "delays", "costs", "disputes", "protests", "shortages"]
PICTURES = [
    "Evening light over the hills above {place}",
    "Morning sun over the fields outside {place}",
    "Hills behind {place} at dusk",
    "The valley below {place} in the late afternoon",
]


def _cumulative(count: int, exponent: float = 0.8) -> list[float]:
    """Cumulative Zipf-like weights: a few authors and tags are far busier than the rest."""
    return list(accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


def _pick(rng, items, cum_weights):
    return items[bisect(cum_weights, rng.random() * cum_weights[-1])]


def _sample(rng, items, cum_weights, k):
    """k distinct items, drawn by weight."""
    chosen = []
    while len(chosen) < min(k, len(items)):
        item = _pick(rng, items, cum_weights)
        if item not in chosen:
            chosen.append(item)
    return chosen


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _scaled(count: int, per: int, low: int, high: int) -> int:
    return max(low, min(high, count // per))


@contextmanager
def _timestamps_as_given(model):
    """bulk_create() stamps auto_now/auto_now_add fields with the current time; an archive
    needs the times its stories were written and last edited, so that is switched off while
    they are inserted (nothing else in the process saves stories meanwhile)."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    flags = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in flags:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def _search_indexer():
    """On PostgreSQL, a function that indexes the committed stories in a second thread, with
    its own connection, while the next batch is made: the database computes the text search
    vectors while Python writes stories (a fifth less time for a large archive).
    None elsewhere, and inside a transaction (tests), where the other connection would not
    see the stories: the caller then indexes each batch itself.

    refresh_search_index() claims only committed pending rows and is safe to run beside
    writers (see articles/search.py). One refresh runs at a time; the next one waits for it.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield None
        return
    running = []

    def index():
        if running:
            running.pop().result()  # also raises what went wrong in the thread
        running.append(worker.submit(refresh_search_index))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-index") as worker:
        try:
            yield index
            if running:
                running.pop().result()
        finally:
            worker.submit(connections.close_all)  # the thread's own connection


class Writer:
    """Word-list text: headlines, standfirsts and bodies that look roughly like news."""

    def __init__(self, rng):
        self.rng = rng
        self.people = [" ".join(name) for name in product(FIRST_NAMES, LAST_NAMES)]
        # Sentences are made of clauses drawn from a pool: every word and clause shape still
        # occurs, at a fraction of the cost of composing each clause afresh.
        self.clauses = [self._new_clause() for _ in range(CLAUSE_POOL)]

    def headline(self) -> str:
        r = self.rng
        place, noun, other = r.choice(PLACES), r.choice(NOUNS), r.choice(NOUNS)
        adjective, verb, past = r.choice(ADJECTIVES), r.choice(VERBS), r.choice(PAST_VERBS)
        people = r.choice(PLURALS)
        patterns = [
            f"{place} {noun} {verb} {adjective} {other} plan",
            f"{adjective} {noun} {verb} {place} {other}",
            f"How {place} {past} its {noun}",
            f"{people} in {place} say {noun} {verb} the {other}",
            f"Why the {adjective} {noun} matters to {people}",
            f"{r.randint(2, 99)} {people} {past} as {noun} {verb} {other}",
            f"{place} {people} {past} {adjective} {noun} after {other} row",
            f"The {noun} that {past} {place}",
        ]
        return _sentence_case(patterns[r.randrange(len(patterns))])

    def _new_clause(self) -> str:
        choice = self.rng.choice
        return choice(CLAUSES).format(
            noun=choice(NOUNS),
            other=choice(NOUNS),
            adjective=choice(ADJECTIVES),
            people=choice(PLURALS),
            verb=choice(VERBS),
            past=choice(PAST_VERBS),
            place=choice(PLACES),
            where=choice(PREPOSITIONS),
        )

    def sentence(self) -> str:
        choice, random = self.rng.choice, self.rng.random
        text = choice(self.clauses)
        for _ in range(3):
            if random() > 0.45:
                break
            text += choice(CONNECTORS) + choice(self.clauses)
        return _sentence_case(text) + "."

    def quote(self) -> str:
        r = self.rng
        words = self.sentence()[:-1]
        speaker = f"{r.choice(self.people)}, the {r.choice(NOUNS)} {r.choice(SPEAKERS)}"
        return f"“{words},” said {speaker} in {r.choice(PLACES)}."

    def standfirst(self) -> str:
        r = self.rng
        opener = f"{r.choice(STANDFIRST_OPENERS)} {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
        return f"{opener} {r.choice(TROUBLES)} in {r.choice(PLACES)}. {self.sentence()}"

    def body(self) -> str:
        r = self.rng
        paragraphs = []
        for _ in range(r.randint(6, 12)):
            sentences = [self.sentence() for _ in range(r.randint(2, 4))]
            if r.random() < 0.2:
                sentences.append(self.quote())
            paragraphs.append(" ".join(sentences))
        # What Article.save() would store.
        return sanitize_html(paragraphs_to_html(paragraphs))


class Story:
    def __init__(self, article, authors, tags):
        self.article, self.authors, self.tags = article, authors, tags


class StoryMaker:
    """Makes unsaved stories, one at a time, from its own random stream."""

    def __init__(self, seed, now, sections, authors, tags, pictures, taken):
        self.rng = random.Random(f"{seed}:stories")
        self.writer = Writer(self.rng)
        self.now, self.zone = now, timezone.get_default_timezone()
        self.today = timezone.localdate(now, self.zone)
        self.sections = sections
        self.section_weights = list(accumulate(weight for *_, weight in SECTIONS))
        self.authors, self.author_weights = authors, _cumulative(len(authors))
        self.tags, self.tag_weights = tags, _cumulative(len(tags))
        self.pictures = pictures
        self.taken = taken  # (publication_date, slug) pairs in use
        self.published = 0

    def _midnight(self, days_ago: int) -> datetime:
        day = self.today - timedelta(days=days_ago)
        return datetime(day.year, day.month, day.day, tzinfo=self.zone)

    def _at(self, days_ago: int, share_of_day: float) -> datetime:
        """A time between 06:00 and 23:00, local time, `days_ago` days before today."""
        return self._midnight(days_ago) + timedelta(hours=6 + 17 * share_of_day)

    def story(self) -> Story:
        r = self.rng
        state = r.random()
        section = _pick(r, self.sections, self.section_weights)
        headline = self.writer.headline()
        standfirst = self.writer.standfirst()
        body = self.writer.body()
        bylines = r.choices(range(1, 4), weights=BYLINE_WEIGHTS)[0]
        authors = _sample(r, self.authors, self.author_weights, bylines)
        topics = r.choices(range(5), weights=TAG_WEIGHTS)[0]
        tags = _sample(r, self.tags, self.tag_weights, topics)
        # Always drawn, so that --images changes nothing else.
        when, hour, edited, revision, picture, choice = (r.random() for _ in range(6))
        choice = int(choice * MAX_IMAGES)

        now = self.now
        published_at = revised_at = None
        if state < REVIEW:  # a draft or a story in review, written in the last month
            status = Article.Status.DRAFT if state < DRAFT else Article.Status.REVIEW
            created_at = now - timedelta(days=30 * when, hours=1)
            updated_at = created_at + (now - created_at) * edited
        elif state < SCHEDULED:
            status = Article.Status.PUBLISHED
            published_at = self._at(-1 - int(when * SCHEDULED_DAYS), hour)
            created_at = now - timedelta(hours=1 + 72 * edited)
            updated_at = created_at + (now - created_at) * edited
        else:
            status = Article.Status.WITHDRAWN if state < WITHDRAWN else Article.Status.PUBLISHED
            # More stories in recent years, as the site grew.
            published_at = self._at(int(when**1.3 * 365 * YEARS), hour)
            if published_at > now:  # later today: earlier today instead
                midnight = self._midnight(0).astimezone(UTC)
                published_at = midnight + (now - midnight) * hour
            if status == Article.Status.PUBLISHED:
                self.published += 1
                if revision < REVISED_SHARE:
                    revised_at = published_at + timedelta(hours=1 + revision / REVISED_SHARE * 47)
                    revised_at = revised_at if revised_at < now else None
            created_at = published_at - timedelta(hours=0.5 + 36 * edited)
            updated_at = min(now, (revised_at or published_at) + timedelta(hours=2 * edited))

        article = Article(
            headline=headline,
            standfirst=standfirst,
            body=body,
            section=section,
            status=status,
            published_at=published_at,
            revised_at=revised_at,
            lead_image=(
                self.pictures[choice % len(self.pictures)]
                if self.pictures and published_at and picture < LEAD_IMAGE_SHARE
                else None
            ),
            version=1,  # as save() numbers a new story
            created_at=created_at,
            updated_at=updated_at,
        )
        article._sync_derived_fields()  # slug, publication_date, word count, as save() does
        self._make_slug_free(article)
        return Story(article, authors, tags)

    def _make_slug_free(self, article):
        """Keeps the one-slug-per-publication-date rule with -2, -3 … suffixes."""
        if article.publication_date is None:
            return
        base, n = article.slug, 2
        while (article.publication_date, article.slug) in self.taken:
            suffix = f"-{n}"
            article.slug = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
            n += 1
        self.taken.add((article.publication_date, article.slug))


def _picture(rng) -> tuple[bytes, float]:
    """A landscape (sky, sun, hills) as JPEG bytes, and where the sun is (0-1 across)."""
    width, height = IMAGE_SIZE
    top, bottom = (
        [rng.randrange(40, 256) for _ in range(3)],
        [rng.randrange(120, 256) for _ in range(3)],
    )
    image = PILImage.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = tuple(int(a + (b - a) * y / height) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=shade)
    sun_x, sun_y, radius = rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.5), rng.randint(30, 80)
    centre = (sun_x * width, sun_y * height)
    draw.ellipse(
        [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
        fill=(255, rng.randrange(180, 256), rng.randrange(60, 200)),
    )
    for layer in range(3):
        base = height * (0.55 + 0.13 * layer)
        ridge = [(x, base - rng.uniform(0, 90)) for x in range(0, width + 100, 100)]
        green = (rng.randrange(20, 90), rng.randrange(80, 170) - 25 * layer, rng.randrange(20, 80))
        draw.polygon([(0, height), *ridge, (width, height)], fill=green)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue(), sun_x


class Command(BaseCommand):
    help = (
        "Seeds a large, reproducible archive of stories (with authors, sections, tags and "
        "bylines) for benchmarks and scale tests, and brings the search index up to date. "
        "The same --seed gives the same archive. A database that already has stories is "
        "refused unless --append is given; authors, sections, tags and images are then reused "
        "by name, and the same seed adds the same stories again under new slugs (use another "
        "seed for different ones)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Stories to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--images",
            action="store_true",
            help=f"Create up to {MAX_IMAGES} generated pictures (with their renditions) and use "
            "them as lead images of about a third of the stories.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Stories written per transaction (default 2000).",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add the stories even though the database already has some.",
        )

    def handle(self, *args, count, seed, images, batch_size, append, verbosity, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        existing = Article.objects.count()
        if existing and not append:
            raise CommandError(
                f"The database already has {existing:,} stories. Use --append to add "
                f"{count:,} more, or seed an empty database."
            )
        started = time.monotonic()
        with transaction.atomic():
            sections = self._sections()
            authors = self._authors(random.Random(f"{seed}:authors"), _scaled(count, 500, 5, 400))
            tags = self._tags(random.Random(f"{seed}:tags"), _scaled(count, 50, 30, 300))
        pictures = self._pictures(random.Random(f"{seed}:images")) if images else []
        taken = set()
        if existing:
            dated = Article.objects.exclude(publication_date=None)
            taken.update(dated.values_list("publication_date", "slug"))
        maker = StoryMaker(seed, timezone.now(), sections, authors, tags, pictures, taken)

        done = 0
        with _timestamps_as_given(Article), _search_indexer() as index:
            while done < count:
                stories = [maker.story() for _ in range(min(batch_size, count - done))]
                with transaction.atomic():
                    self._write(stories)
                    if index is None:  # indexed in the batch's transaction
                        refresh_search_index()
                if index is not None:
                    index()
                done = min(count, done + batch_size)
                if verbosity:
                    self._progress(f"\r  {done:,}/{count:,} stories")
        refresh_search_index()  # anything the background indexer left: usually nothing
        rebuild_latest()  # Bulk inserts send no signals (articles/latest.py).
        if verbosity:
            self._progress("\n")
        self._analyse()
        # Bulk inserts send no signals: readers' cached pages are dropped here instead.
        purge([EVERYTHING])

        if verbosity:
            pictured = f", {len(pictures)} images" if pictures else ""
            self.stdout.write(
                f"Seeded {count:,} stories ({maker.published:,} published), "
                f"{len(authors):,} authors, {len(sections)} sections, {len(tags):,} tags"
                f"{pictured} in {time.monotonic() - started:.0f} s."
            )

    def _progress(self, text):
        self.stderr.write(text, style_func=str, ending="")
        self.stderr.flush()

    def _write(self, stories):
        """One batch: the stories, their bylines and their tags."""
        Article.objects.bulk_create([story.article for story in stories])
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(
                article_id=story.article.pk,
                author=author,
                position=position,
                published_at=story.article.published_at,
            )
            for story in stories
            for position, author in enumerate(story.authors)
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(
                content_object_id=story.article.pk, tag=tag, published_at=story.article.published_at
            )
            for story in stories
            for tag in story.tags
        )

    def _sections(self):
        sections = []
        for order, (name, description, _weight) in enumerate(SECTIONS):
            section, _ = Section.objects.get_or_create(
                name=name,
                defaults={"slug": slugify(name), "description": description, "order": order},
            )
            sections.append(section)
        return sections

    def _authors(self, rng, count):
        names = [" ".join(name) for name in product(FIRST_NAMES, LAST_NAMES)]
        rng.shuffle(names)
        authors = []
        for name in names[:count]:
            job, beats = rng.choice(JOB_TITLES), " and ".join(rng.sample(TOPICS, 2))
            place, since = rng.choice(PLACES), rng.randint(1995, 2020)
            author, created = Author.objects.get_or_create_by_name(name)
            if created:  # one from an earlier run is kept as it is
                author.job_title = job
                author.bio = f"{name} has covered {beats} from {place} since {since}."
                author.save()
            authors.append(author)
        return authors

    def _tags(self, rng, count):
        names = TOPICS + PLACES + [f"{a} {n}" for a in ADJECTIVES[:12] for n in NOUNS]
        rng.shuffle(names)
        return [Tag.objects.get_or_create(name=name)[0] for name in names[:count]]

    def _pictures(self, rng):
        """Pictures from an earlier run, and new ones saved the way an upload is."""
        pictures = list(Image.objects.filter(credit=IMAGE_CREDIT).order_by("pk")[:MAX_IMAGES])
        for number in range(len(pictures) + 1, MAX_IMAGES + 1):
            content, sun_x = _picture(rng)
            place = rng.choice(PLACES)
            picture = Image(
                file=ContentFile(content, name=f"seed-{number:02d}.jpg"),
                alt_text=rng.choice(PICTURES).format(place=place),
                caption=f"The view from {place}.",
                credit=IMAGE_CREDIT,
                focal_x=round(sun_x, 2),
            )
            picture.full_clean()
            picture.save()
            # Made here rather than left to the worker (#15): the seeded site shows its
            # pictures at once, and the queued job then finds nothing to do.
            make_renditions_for(picture.pk, picture.file_hash)
            picture.refresh_from_db()
            pictures.append(picture)
        return pictures

    def _analyse(self):
        """Fresh planner statistics on PostgreSQL, so query plans are those of a real site.
        VACUUM also sets the visibility map (index-only scans), but can't run inside a
        transaction (as in tests): ANALYZE alone then."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
