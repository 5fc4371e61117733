vcl 4.1;

# Varnish in front of the Newsroom app servers (docs/deploy.md, deploy/varnish/README.md).
#
# Written for Varnish 7.1 (Debian 12's package) and the vmods it ships: std and directors.
#
# What it does:
# - keeps the public pages the app marks as cacheable: anonymous GET and HEAD responses with
#   a Surrogate-Key header, for the response's s-maxage;
# - passes everything else to the app: other methods, logged-in editors (the `sessionid`
#   cookie), Authorization, the admin and preview links;
# - drops every page carrying one of the keys named in a PURGE request's Surrogate-Key header,
#   as newsroom/pagecache.py sends after each change (NEWSROOM_PURGE_URLS on the app servers);
# - serves stale pages for stale-while-revalidate while the app is healthy, and for up to
#   stale-if-error when every app server is down;
# - keeps at most three copies of each page, Brotli, gzip and uncompressed, as the app
#   compressed them (newsroom/compression.py), and serves each reader the one they accept.

import std;
import directors;

# A node that stops answering leaves the rotation; when all have, readers get stale pages
# (stale-if-error) instead of errors. The probe asks for a static file, which WhiteNoise answers
# before Django checks the Host header against DJANGO_ALLOWED_HOSTS (the probe's Host is the
# backend's address, which is usually not a site name).
probe app_health {
    .url = "/static/favicon.svg";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

# The app servers: one `backend` block per Gunicorn node (`make serve`), each added to the
# round-robin director in vcl_init. Varnish resolves .host once, when the VCL loads.
backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    .probe = app_health;
}

# backend app2 {
#     .host = "10.0.0.12";
#     .port = "8000";
#     .connect_timeout = 2s;
#     .first_byte_timeout = 30s;
#     .between_bytes_timeout = 10s;
#     .probe = app_health;
# }

# Who may send PURGE: the app servers. Private networks are listed so that app nodes on the
# same private network work out of the box; narrow this to their addresses when you can. Put
# nothing that forwards readers' requests (a load balancer) in this list: if it speaks plain
# HTTP to Varnish, its address is what Varnish sees. (PURGEs that went through another proxy
# are refused below, as a second line of defence.)
acl purgers {
    "localhost";
    "127.0.0.0"/8;
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
    "fc00::"/7;
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    # app.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        call newsroom_purge;
    }

    if (req.http.Host ~ "[A-Z]") {
        set req.http.Host = std.tolower(req.http.Host);
    }

    call newsroom_encoding;

    # Static files carry hashed names and never depend on who asks: cached for everyone.
    if (req.url ~ "^/static/" && (req.method == "GET" || req.method == "HEAD")) {
        unset req.http.Cookie;
        return (hash);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview)([/?]|$)") {
        return (pass);
    }
    # Logged in (Django's session cookie) or authenticated: the app answers privately.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*sessionid=") {
        return (pass);
    }
    # Readers' pages are the same for everyone: other cookies (csrftoken, analytics) must not
    # keep them out of the cache, and the app must not see them.
    unset req.http.Cookie;

    # Stale pages: while the app is healthy, serve a page that has expired for at most the
    # app's stale-while-revalidate (30 s, newsroom/settings.py STALE_SECONDS) while a fresh one
    # is fetched in the background. When the probe finds every app server down, the objects'
    # own grace applies: their stale-if-error (a day), set in vcl_backend_response.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

# Accept-Encoding has countless spellings ("gzip, deflate, br, zstd", "br;q=0.9, *;q=0.1"...).
# Each is brought down to the one encoding the reader gets: br, gzip or none, kept in
# X-Newsroom-Encoding, which vcl_hash adds to the object's hash (three copies of a page at most,
# whatever the readers send) and vcl_backend_fetch sends the app as its Accept-Encoding. The
# app compresses (newsroom/compression.py) and Varnish stores and serves those bytes as they
# are. It never compresses anything itself (beresp.do_gzip stays off), so nothing is compressed
# twice; and since an uncompressed copy is fetched for readers who accept no encoding, it never
# needs to gunzip either. (With http_gzip_support on, Varnish's default, it rewrites the
# request's Accept-Encoding to "gzip" or nothing after vcl_recv, and asks the app for gzip;
# the header below, set here and read in vcl_backend_fetch, is what the app is asked for.)
sub newsroom_encoding {
    unset req.http.X-Newsroom-Encoding;
    if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*br\s*(;|,|$)" &&
        req.http.Accept-Encoding !~ "(?i)(^|,)\s*br\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$)") {
        set req.http.X-Newsroom-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)(^|,)\s*(x-)?gzip\s*(;|,|$)" &&
        req.http.Accept-Encoding !~ "(?i)(^|,)\s*gzip\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$)") {
        set req.http.X-Newsroom-Encoding = "gzip";
    }
    if (req.http.X-Newsroom-Encoding) {
        set req.http.Accept-Encoding = req.http.X-Newsroom-Encoding;
    } else {
        unset req.http.Accept-Encoding;
    }
}

# PURGE / with `Surrogate-Key: story-12 front`: bans every object whose Surrogate-Key header
# contains one of those keys as a whole word. Bans test obj.* only, so the ban lurker removes
# the objects in the background, and banned objects are never served stale.
sub newsroom_purge {
    if (!(client.ip ~ purgers) || req.http.X-Forwarded-For ~ ",") {
        return (synth(405, "Not allowed"));
    }
    # Several Surrogate-Key headers count as one list; the keys are [a-z0-9-] words.
    std.collect(req.http.Surrogate-Key, " ");
    set req.http.Surrogate-Key = regsuball(req.http.Surrogate-Key, "^\s+|\s+$", "");
    if (req.http.Surrogate-Key !~ "^[a-z0-9-]+(\s+[a-z0-9-]+)*$") {
        return (synth(400, "Surrogate-Key: one or more keys ([a-z0-9-]) separated by spaces"));
    }
    # `all` (EVERYTHING in newsroom/surrogate_keys.py, which spells every key) names every
    # page, though no page lists it.
    if (req.http.Surrogate-Key ~ "(^|\s)all(\s|$)") {
        set req.http.X-Ban = "obj.http.Surrogate-Key ~ .";
    } else {
        # The regex goes unquoted (it has no spaces) and without backslashes: ban
        # expressions read "\s" as an escape, and would never match.
        set req.http.X-Ban = "obj.http.Surrogate-Key ~ (^|[[:space:]])(" +
            regsuball(req.http.Surrogate-Key, "\s+", "|") + ")([[:space:]]|$)";
    }
    if (!std.ban(req.http.X-Ban)) {
        return (synth(400, "Ban refused: " + std.ban_error()));
    }
    return (synth(200, "Purged"));
}

sub vcl_hash {
    # Behind a load balancer that ends TLS, pages for http:// and https:// differ (absolute
    # links); without the header, both are the same.
    hash_data(req.http.X-Forwarded-Proto);
    # One copy per encoding (newsroom_encoding).
    hash_data(req.http.X-Newsroom-Encoding);
}

sub vcl_backend_fetch {
    # The encoding this copy is for (newsroom_encoding), not Varnish's own "gzip".
    if (bereq.http.X-Newsroom-Encoding) {
        set bereq.http.Accept-Encoding = bereq.http.X-Newsroom-Encoding;
    } else {
        unset bereq.http.Accept-Encoding;
    }
    unset bereq.http.X-Newsroom-Encoding;
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);  # A pass: nothing is kept.
    }
    if (bereq.url ~ "^/static/" && beresp.status == 200) {
        return (deliver);  # The file's own Cache-Control: ten years for hashed names.
    }
    # A failed background refresh must not replace the stale page with an error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # The app tags each cacheable public page with its surrogate keys; anything untagged
    # (errors, redirects, previews), anything that sets a cookie or is private stays uncached.
    # Hit-for-miss, for a short while: requests for this URL go straight to the app, without
    # queueing behind each other, and the next cacheable response is kept.
    if (!beresp.http.Surrogate-Key ||
        beresp.http.Set-Cookie ||
        beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)") {
        set beresp.ttl = 30s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Varnish took beresp.ttl from s-maxage and beresp.grace from stale-while-revalidate.
    # Keep the page for its stale-if-error as well; vcl_recv limits the grace to
    # stale-while-revalidate while the app is healthy.
    if (beresp.http.Cache-Control ~ "(?i)stale-if-error=\d+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "(?i)^.*stale-if-error=(\d+).*$", "\1s"),
            beresp.grace);
    }
    return (deliver);
}

sub vcl_backend_error {
    # The app could not be reached during a background refresh: keep serving the stale page.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for purging, not for readers; the app servers' own address may ask for
    # them with `X-Cache-Debug: 1`.
    if (!(req.http.X-Cache-Debug && client.ip ~ purgers)) {
        unset resp.http.Surrogate-Key;
    }
}
