"""The story editor's question (#14): what would readers get for this address?"""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from .providers import registry
from .services import embed_lookup

# Whoever may write a story may ask (the names are strings: embeds knows no stories).
WRITERS = ("articles.add_article", "articles.change_article")


@require_safe
def lookup(request):
    """JSON for the editor's embed box: the provider, the title it gave, and whether readers
    get a player (else a plain link). 401 once the session is over, 403 for others, 400 without
    an address."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return JsonResponse({"error": "Your session has ended: log in again."}, status=401)
    if not user.is_staff or not any(user.has_perm(perm) for perm in WRITERS):
        return JsonResponse({"error": "Only writers may embed."}, status=403)
    url = request.GET.get("url", "").strip()
    if not url or len(url) > 2000:
        return JsonResponse({"error": "Give the address (url) to embed."}, status=400)
    result = embed_lookup(url=url)
    if result.found is None:
        names = ", ".join(dict.fromkeys(provider.name for provider in registry()))
        message = (
            "This site doesn't embed addresses from there, or not this kind: readers get a "
            f"plain link. Embeds come from {names}."
        )
    elif not result.playable:
        message = (
            f"{result.found.provider.name} didn't say how to show this: readers get a plain "
            "link. Check the address, or try again later."
        )
    else:
        message = f"Readers get the {result.found.provider.noun} from "
        message += f"{result.found.provider.name} when they ask for it."
    return JsonResponse(
        {
            "url": url,
            "provider": result.found.provider.name if result.found else "",
            "noun": result.found.provider.noun if result.found else "",
            "title": result.title,
            "playable": result.playable,
            "message": message,
        }
    )
