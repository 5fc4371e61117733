"""What embeds cost a story's page (#14): matching addresses and rendering placeholders.

    DJANGO_DEBUG=true .venv/bin/python -m bench.embeds

Prints microseconds per call of `embeds.providers.match` (a known address, a hostile
look-alike, and an address seen for the first time), of `embeds.render.embed_html` (one
placeholder), of sanitising a body of 20 paragraphs with 0 and 20 embeds, and of
`articles.body`'s rendering of it (answers given, no database). CPU only: the page's one query
for answers is counted by tests/articles/test_embeds.py.
"""

import os
import sys
import timeit

import django


def show(label: str, microseconds: float) -> None:
    sys.stdout.write(f"{label:<28}{microseconds:8.1f} µs\n")


def per_call(statement, number) -> float:
    best = min(timeit.repeat(statement, number=number, repeat=5))
    return best / number * 1e6


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from articles.text import sanitize_html
    from embeds import providers
    from embeds.providers import match, registry
    from embeds.render import embed_html

    video = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90"
    hostile = "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ"
    words = "<p>" + "The council met on Tuesday to discuss the tram line. " * 6 + "</p>"

    def body(embeds: int) -> str:
        urls = [f"https://youtu.be/{i:011d}" for i in range(embeds)]
        figures = [f'<figure data-embed="{u}"><a href="{u}">{u}</a></figure>' for u in urls]
        return "".join(words + (figures[i] if i < embeds else "") for i in range(20))

    plain, rich = body(0), body(20)
    show("match, known address", per_call(lambda: match(video), 20000))
    show("match, hostile look-alike", per_call(lambda: match(hostile), 20000))
    show(
        "match, first time", per_call(lambda: providers._match.__wrapped__(video, registry()), 5000)
    )
    show("embed_html, placeholder", per_call(lambda: embed_html(video), 5000))
    show("sanitize, 20 paragraphs", per_call(lambda: sanitize_html(plain), 200))
    show("sanitize, + 20 embeds", per_call(lambda: sanitize_html(rich), 200))

    from articles import body as bodies

    class Story:
        def __init__(self, pk, html):
            self.pk, self.body = pk, html

    no_db = {"embed": lambda urls: {}}
    bodies.LOADERS.update(no_db)
    for label, html in (("render, 20 paragraphs", plain), ("render, + 20 embeds", rich)):
        story = Story(1, html)
        show(label, per_call(lambda s=story: bodies.render_bodies([s]), 200))


if __name__ == "__main__":
    main()
