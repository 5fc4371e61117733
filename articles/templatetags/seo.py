"""Template tags for page metadata (#5); see articles/seo.py."""

from django import template

from .. import seo

register = template.Library()


@register.simple_tag
def absolute_url(path):
    return seo.absolute(path)


@register.simple_tag
def article_json_ld(article):
    return seo.json_ld(seo.article_data(article))


@register.simple_tag
def author_json_ld(author):
    return seo.json_ld(seo.author_data(author))


@register.simple_tag
def website_json_ld():
    return seo.json_ld(seo.website_data())
