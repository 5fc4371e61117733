"""Hostile input to every page answers 2xx, 3xx or 4xx with the site's own page, never a 500
(#7), on SQLite and PostgreSQL alike (over-long values and NUL characters fail differently
there).

The public addresses are read from the URL resolver (tests/public_pages.py): a new public URL
pattern is swept as soon as it exists, and the sweep fails until it has a good sample there and
odd values for its converters here.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import EditorFactory, PublishedArticleFactory, UserFactory
from tests.public_pages import address, converters, public_routes, public_site

pytestmark = pytest.mark.django_db

ODD = ["abc", "-1", "0", "99999999999999999999", "%00", "'; DROP TABLE x; --", "é" * 300]

# Query-string values, sent to every public page under every parameter a page reads.
ODD_VALUES = [
    *ODD,
    "\x00",
    "a\x00b",
    "10" * 500,
    "1e3",
    "2.5",
    " ",
    "",
    "\u202e\ufeff",
    "\ud7ff\U0010ffff",
    "<script>alert(1)</script>",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
]
PARAMETERS = ["page", "p", "q", "section", "author", "from", "to"]
# And those the Content API reads (#18).
PARAMETERS += ["cursor", "limit", "tag", "since", "until", "path"]
# What a page may answer to odd input: a page, a redirect, not found or gone. A NUL character
# in the query string gets 400 (newsroom/guards.py).
ANSWERS = {200, 301, 302, 404, 410}
# The Content API says what was wrong in JSON: a bad value (400), or one its schema refuses
# (422, with the parameter named).
API_ANSWERS = {200, 400, 404, 410, 422}

# Path segments for each kind of URL converter, as they appear in the address (so "%00" is a
# NUL character and "%ff" a byte that is not UTF-8). Each one replaces one parameter of an
# otherwise good address.
ODD_SEGMENTS = [
    "x" * 300,
    "a" * 5000,
    "-",
    "_",
    "0",
    "9" * 30,
    "%00",
    "x%00y",
    "caf%C3%A9",
    "%C3%A9" * 300,
    "%F0%9F%A6%86",
    "%ff",
    "%E2%80%AE",
    "%C2%A0",
    "..",
    "%2e%2e",
    "a%2Fb",
    "a%20b",
    "%3Cscript%3E",
    "'%22",
    "%25",
    "%5C",
    "%0d%0aSet-Cookie:%20x=1",
]
SEGMENTS = {
    "slug": [*ODD_SEGMENTS, "nope", "A" * 51, "é" * 300, "🦆"],
    "tag": [*ODD_SEGMENTS, "nope", "é" * 300, "🦆", "*", "a:b", "%3F", "%23"],
    "str": [*ODD_SEGMENTS, "nope", "x:y:z", "e30:1a2b:abc", "é" * 300],
    "yyyy": ["0000", "0001", "9999", "00000", "-001", "abcd", "２０２６", "%00"],
    "dd": ["0", "00", "1", "13", "32", "99", "001", "-1", "%00", "٣"],
    "int": ["0", "9" * 30, "00001", "٣"],
    # Uploaded files' names (newsroom/media.py): out of the folder, hidden, folders.
    "path": [
        *ODD_SEGMENTS,
        "../newsroom/settings.py",
        "images/../../manage.py",
        "%2e%2e/%2e%2e/manage.py",
        "/etc/passwd",
        "images/",
        "images",
        ".env",
        "images//sample.jpg",
        "images/./sample.jpg",
    ],
}


@pytest.fixture
def site():
    return public_site()


@pytest.fixture
def client():
    """A reader's client that returns what a reader would see on a server error (a 500
    response) instead of raising, so that the assertion names the request."""
    return Client(raise_request_exception=False)


def is_api(request) -> bool:
    path = request[0] if isinstance(request, tuple) else request
    return path.startswith("/api/")


def answers(request):
    return API_ANSWERS if is_api(request) else ANSWERS


def assert_site_answer(response, request):
    """Not a server error; a 4xx is the site's own HTML page (the API's JSON with what was
    wrong) and never kept by the page cache."""
    assert response.status_code < 500, request
    if (
        response.status_code >= 400
        and is_api(request)
        and response["Content-Type"].startswith("application/json")
    ):
        assert response.json()["detail"], request
        assert "X-Page-Cache" not in response and "Surrogate-Key" not in response, request
    elif response.status_code >= 400:
        assert response["Content-Type"].startswith("text/html"), request
        html = response.content.decode()
        assert 'class="masthead"' in html and "<h1>" in html, request
        assert "Traceback" not in html, request
        assert "X-Page-Cache" not in response and "Surrogate-Key" not in response, request


@pytest.fixture
def page_cache(settings):
    """The page cache on: no error page may be stored or tagged for a caching proxy."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}


def test_every_public_route_has_a_sample(site):
    routes = public_routes()
    assert len(routes) == len(set(routes))
    assert set(routes) == set(site), "Give each new public route a sample in public_site()."


def test_every_converter_kind_has_odd_segments():
    kinds = {kind for route in public_routes() for kind in converters(route).values()}
    assert kinds <= set(SEGMENTS), "Add odd segments for each new converter to SEGMENTS."


@pytest.mark.slow
def test_good_samples_answer(client, site):
    for route, values in site.items():
        response = client.get(address(route, values))
        assert response.status_code == 200, (route, response.status_code)


@pytest.mark.slow
def test_odd_path_segments(client, site, page_cache):
    for route, values in site.items():
        for name, kind in converters(route).items():
            for segment in SEGMENTS[kind]:
                path = address(route, {**values, name: segment})
                response = client.get(path)
                assert_site_answer(response, path)
                assert response.status_code in answers(path), path


@pytest.mark.slow
def test_odd_query_parameters(client, site, page_cache):
    """Each value under every parameter a page may read, all at once; the search form, which
    stops at its first bad field, gets each parameter alone beside a good query too."""
    requests = [
        (address(route, values), dict.fromkeys(PARAMETERS, value))
        for route, values in site.items()
        for value in ODD_VALUES
    ]
    requests += [
        ("/search/", {"q": "harbour", name: value}) for name in PARAMETERS for value in ODD_VALUES
    ]
    for path, params in requests:
        response = client.get(path, params)
        assert_site_answer(response, (path, params))
        nul = any("\x00" in value for value in params.values())
        assert response.status_code in ({400} if nul else answers(path)), (path, params)


@pytest.mark.slow
def test_repeated_and_mixed_parameters(client, site):
    query = "page=2&page=abc&q=&q=port&section[]=x&from=2026-01-01&from=x&to&=&&%zz=%zz"
    for route, values in site.items():
        path = f"{address(route, values)}?{query}"
        assert_site_answer(client.get(path), path)


def test_too_many_parameters(client, site):
    """Over DATA_UPLOAD_MAX_NUMBER_FIELDS: 400 where a page reads the query string."""
    query = "&".join(f"a{number}=1" for number in range(1500))
    for path in ("/", "/search/", "/feed/", "/sitemap-articles.xml"):
        response = client.get(f"{path}?page=1&{query}")
        assert_site_answer(response, path)
        assert response.status_code in {200, 400}, path


@pytest.mark.parametrize(
    "path", ["/?utm_source=%00", "/search/?q=a%00b", "/search/?%00=1", "/feed/?p=1&%00"]
)
def test_a_nul_character_in_the_query_string_is_a_bad_request(client, path):
    """PostgreSQL refuses NUL in a query; no address of the site holds one."""
    response = client.get(path)
    assert response.status_code == 400
    assert_site_answer(response, path)
    assert "We couldn’t understand that request" in response.content.decode()


@pytest.mark.slow
@pytest.mark.parametrize(
    "cookie",
    ['"abcdefgh\\000"', '"\\377\\376abcdefgh"', "a" * 5000, "x", "=;=;"],
)
def test_odd_cookies_and_headers(client, site, page_cache, cookie):
    """A session or CSRF cookie the site never set (a NUL in an octal escape, bytes that are
    not UTF-8), conditional headers that don't parse."""
    headers = {
        "Cookie": f"sessionid={cookie}; csrftoken={cookie}",
        "If-None-Match": '"\\000, W/',
        "If-Modified-Since": "Mon, 99 Foo 99999 99:99:99 GMT",
        "Accept-Language": "x" * 500,
        "X-Forwarded-For": "not an address, ::1, 999.1.1.1",
    }
    for route, values in site.items():
        path = address(route, values)
        assert_site_answer(client.get(path, headers=headers), path)
    assert_site_answer(client.get("/admin/login/", headers=headers), "/admin/login/")


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "harbour " * 25,
        "\x00",
        "harbour\x00bridge",
        "!@#$%^&*()_+-=[]{};':\",./<>?\\|`~",
        "...",
        '"',
        '"harbour',
        "harbour NEAR(bridge",
        "NEAR(harbour bridge, 2)",
        "*",
        "harb*",
        "OR",
        "harbour OR",
        "AND NOT OR",
        "-harbour",
        "^harbour",
        "headline:harbour",
        "{headline body}: harbour",
        "harbour & bridge | !port",
        "&|!:*()",
        "harbour:* & !(bridge | port)",
        "!!!harbour",
        "<->",
        "harbour <-> bridge <2> x",
        "'harbour'",
        "\\",
        "%",
        "_",
        "é" * 199,
        "🦆 harbour",
        "\u202eharbour",
        " ".join(["harbour"] * 60),
        " ".join(f"w{number}" for number in range(100)),
    ],
)
def test_odd_searches(client, site, query):
    for page in (None, "2", "abc", "-1", "0", "99999999999999999999", "\x00"):
        params = {"q": query} if page is None else {"q": query, "page": page}
        response = client.get("/search/", params)
        assert_site_answer(response, (query, page))
        nul = "\x00" in query + (page or "")
        assert response.status_code in ({400} if nul else {200, 404}), (query, page)


def test_a_search_with_odd_punctuation_still_finds_the_story(client, site):
    for query in ('"harbour', "harbour*", "!harbour:*", "(harbour)", "^harbour & bridge|"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert "Harbour bridge reopens" in html, query


@pytest.mark.parametrize(
    "section",
    ["", "nope", "articles.xml", "x" * 300, "%00", "%C3%A9", "%ff", "..", "sections%00", "index"],
)
def test_odd_sitemap_sections(client, site, section):
    response = client.get(f"/sitemap-{section}.xml")
    assert_site_answer(response, section)
    assert response.status_code == 404


@pytest.mark.parametrize("number", ["abc", "-1", "0", "2", "99999999999999999999", "\x00", "1.5"])
def test_odd_sitemap_pages(client, site, number):
    for path in ("/sitemap-articles.xml", "/sitemap-tags.xml", "/sitemap.xml"):
        response = client.get(path, {"p": number})
        assert_site_answer(response, (path, number))
        assert response.status_code in ({400} if "\x00" in number else {200, 404}), path


@pytest.mark.parametrize(
    "date", ["2026/02/30", "2025/02/29", "2026/04/31", "2026/00/10", "2026/13/01", "2026/1/0"]
)
def test_impossible_dates(client, site, date):
    """No such day: the archive is not found, and a story's slug still leads to the story."""
    story = site["<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/"]
    response = client.get(f"/{date}/")
    assert_site_answer(response, date)
    assert response.status_code == 404
    response = client.get(f"/{date}/{story['slug']}/")
    assert response.status_code == 301
    assert response["Location"] == address("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", story)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "Pacific/Honolulu"])
def test_the_ends_of_the_calendar_in_any_time_zone(client, site, settings, zone):
    """Local midnight of 1 January of the year 1 is before the first UTC datetime east of
    Greenwich, and the end of 9999 after the last one west of it."""
    settings.TIME_ZONE = zone
    for date in ("0001", "0001/01", "0001/01/01", "9999", "9999/12", "9999/12/31"):
        for path in (f"/{date}/", f"/{date}/nope/"):
            response = client.get(path)
            assert_site_answer(response, (zone, path))
            assert response.status_code in {200, 404}, (zone, path)
    response = client.get("/search/", {"q": "harbour", "from": "0001-01-01", "to": "9999-12-31"})
    assert "Harbour bridge reopens" in response.content.decode()


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8000",
        "[::1",
        "a" * 300,
        "testserver.evil.example",
        "testserver\x00",
        "testserver/../",
        "",
    ],
)
def test_a_bad_host_gets_the_sites_400_page(client, site, page_cache, host):
    """The 400 page renders without the forged host: nothing on it may build an absolute
    URL from the request, or the error page itself would fail."""
    for route, values in site.items():
        path = address(route, values)
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 400, (host, path)
        if is_api(path):
            assert response.json()["detail"].startswith("Bad request"), (host, path)
            continue
        assert_site_answer(response, (host, path))
        html = response.content.decode()
        assert "We couldn’t understand that request" in html
        if host:
            assert host not in html


@pytest.mark.slow
def test_admin_story_pages_with_odd_parameters(site):
    story = PublishedArticleFactory()
    client = Client(raise_request_exception=False)
    client.force_login(EditorFactory())
    base = f"/admin/articles/article/{story.pk}"
    for value in [*ODD, "\x00", "x" * 5000]:
        assert client.get(f"{base}/revisions/compare/", {"a": value, "b": value}).status_code < 500
        assert client.post(f"{base}/preview-links/", {"revoke": value}).status_code < 500
        assert client.post(f"{base}/revisions/{value}/restore/").status_code < 500
        assert client.get("/admin/articles/tag/names/", {"term": value}).status_code < 500
        assert client.get("/admin/articles/article/", {"q": value}).status_code < 500
    for path in ("abc", "99999999", "%00"):
        assert client.get(f"/admin/articles/article/{path}/change/").status_code < 500
        assert client.get(f"/admin/articles/article/{path}/preview/").status_code < 500


@pytest.mark.slow
def test_admin_lists_with_odd_parameters(site):
    """Every list in the admin, with odd search terms, orderings, pages and filters."""
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    lists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for path in lists:
        for value in ["abc", "-1", "9" * 20, "é" * 300, "\x00", "x" * 5000, "1.2.3", "__str__"]:
            for name in ("q", "o", "p", "status", "published_at__gte", "section__id__exact"):
                response = client.get(path, {name: value})
                assert response.status_code < 500, (path, name, value)


def test_admin_login_with_odd_credentials(client):
    """Failed logins are recorded for throttling: an over-long or odd username is a failed
    login like any other."""
    for username in ["x" * 5000, "a\x00b", "é" * 151, "' OR 1=1 --", ""]:
        for password in ["x" * 5000, "a\x00b", ""]:
            response = client.post("/admin/login/", {"username": username, "password": password})
            assert response.status_code == 200, (username[:10], password[:10])
            assert 'class="errornote"' in response.content.decode()
