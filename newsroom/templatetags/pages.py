"""Links to another page of a list that carry only what the page reads from its address (#13).

Django's `{% querystring %}` copies every parameter of the address: `/?status=draft` linked
to `?status=draft&page=2`, an endless supply of addresses for crawlers and the page cache.
"""

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number=None, keep=()):
    """The address of page `number` (the first when None or 1, which has no number) of the
    list this request shows, with the parameters named in `keep` (besides `page`) as the
    request has them, and nothing else."""
    request = context["request"]
    names = [name for name in keep if name != "page"]
    params = [(name, request.GET[name]) for name in names if request.GET.get(name)]
    if number is not None and int(number) > 1:
        params.append(("page", int(number)))
    return f"?{urlencode(params)}" if params else request.path
