"""The picture chooser (#14): the library as a dialog inside the story form, not a popup.

Three views, added to the library's admin (ImageAdmin.get_urls) and guarded by its
permissions:

- `browse`: a page of thumbnails, searched over alt text, caption and credit the way the
  library's list searches them; a fixed number of queries whatever the page shows;
- `upload`: a new picture, through the same model validation and processing as the library's
  add form (images/validators.py, processing.py), answered in JSON: the picture, or the form's
  errors with status 400. Alt text is asked for here, unless the picture is decorative;
- `credit`: the credit the file's EXIF/IPTC names (images/metadata.py), read before upload so
  the dialog can offer it; nothing is stored;
- `status`: where pictures' renditions are (#15), for the pages that show a picture as
  "processing" until its job has made them (static/js/picture-status.js polls it).

static/js/image-chooser.js drives them, for the lead picture (images/widgets.py) and for
pictures in the body (static/js/editor/picture.js).
"""

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers

from . import metadata
from .models import Image

PER_PAGE = 24
MAX_STATUS_IDS = 100
THUMBNAIL_WIDTH = 480
ALT_NEEDED = (
    "Describe what the picture shows, for readers who cannot see it, or tick “decorative” if it "
    "adds no information."
)
UPLOAD_FIELDS = ["file", "alt_text", "is_decorative", "caption", "credit"]


def picture_data(image: Image) -> dict:
    """What the dialog and the editor need of a picture (static/js/image-chooser.js). While
    its renditions are being made there is no thumbnail (never the original, #15): the size
    is the thumbnail's to come, so a placeholder takes its room."""
    thumbnail = image.version("full", "jpeg", near=THUMBNAIL_WIDTH)
    if thumbnail is None:
        width = min(THUMBNAIL_WIDTH, image.width) or THUMBNAIL_WIDTH
        height = round(image.height * width / image.width) if image.width else width
    else:
        width, height = thumbnail.width, thumbnail.height
    return {
        "id": image.pk,
        "label": str(image),
        "thumbnail": thumbnail.url if thumbnail else "",
        "width": width,
        "height": height,
        "status": image.renditions_status,
        "processing": image.is_processing,
        "status_text": image.status_text,
        "alt": image.alt,
        "is_decorative": image.is_decorative,
        "needs_alt_text": image.needs_alt_text(),
        "caption": image.caption,
        "credit": image.credit,
        "edit_url": reverse("admin:images_image_change", args=[image.pk]),
    }


class UploadForm(forms.ModelForm):
    """The library's add form, with the alt text required unless the picture is decorative:
    a picture added while writing is about to be used."""

    class Meta:
        model = Image
        fields = UPLOAD_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_decorative") and not cleaned.get("alt_text", "").strip():
            self.add_error("alt_text", ALT_NEEDED)
        return cleaned


class Chooser:
    """The chooser's views for one ImageAdmin."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def urls(self):
        wrap = self.model_admin.admin_site.admin_view
        return [
            path("chooser/", wrap(self.browse), name="images_image_chooser"),
            path("chooser/upload/", wrap(self.upload), name="images_image_chooser_upload"),
            path("chooser/credit/", wrap(self.credit), name="images_image_chooser_credit"),
            path("chooser/status/", wrap(self.status), name="images_image_chooser_status"),
        ]

    @staticmethod
    def urls_for_widgets() -> dict:
        """The addresses static/js/image-chooser.js reads from its host element."""
        return {
            "browse": reverse("admin:images_image_chooser"),
            "upload": reverse("admin:images_image_chooser_upload"),
            "credit": reverse("admin:images_image_chooser_credit"),
            "status": reverse("admin:images_image_chooser_status"),
        }

    def _require(self, allowed):
        if not allowed:
            raise PermissionDenied

    def browse(self, request):
        """A page of the library, newest first, as a fragment for the dialog's grid."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        self._require(self.model_admin.has_view_permission(request))
        query = request.GET.get("q", "")[:200].strip()
        pictures = Image.objects.with_renditions().order_by("-created_at", "-pk")
        if query:
            pictures, _ = self.model_admin.get_search_results(request, pictures, query)
        page = Paginator(pictures, PER_PAGE).get_page(request.GET.get("page"))
        entries = []
        for image in page:
            data = picture_data(image)
            entries.append((image, data, json.dumps(data)))
        response = TemplateResponse(
            request,
            "images/chooser/results.html",
            {"page_obj": page, "entries": entries, "query": query},
        )
        add_never_cache_headers(response)
        return response

    def upload(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require(self.model_admin.has_add_permission(request))
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        image = form.save()
        # The job may have run already (the immediate backend): answer with where it stands.
        image.refresh_from_db(fields=["renditions_status", "renditions_error"])
        admin = self.model_admin
        message = admin.construct_change_message(request, form, None, add=True)
        admin.log_addition(request, image, message)
        return JsonResponse(picture_data(image), status=201)

    def credit(self, request):
        """The credit a file's metadata names, e.g. {"credit": "Jane Doe/Reuters"}."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require(self.model_admin.has_add_permission(request))
        upload = request.FILES.get("file")
        if upload is None:
            errors = {"file": [{"message": "No file was sent.", "code": "required"}]}
            return JsonResponse({"errors": errors}, status=400)
        return JsonResponse({"credit": metadata.read_credit(upload)})

    def status(self, request):
        """`?ids=3,4`: those pictures as the dialog knows them, with their renditions' state,
        e.g. {"pictures": [{"id": 3, "processing": false, "thumbnail": "/media/…", …}]}.
        Unknown ids are left out (a picture deleted meanwhile); bad ids are a 400."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self._require(self.model_admin.has_view_permission(request))
        raw = [part for part in request.GET.get("ids", "").split(",") if part.strip()]
        if not raw or len(raw) > MAX_STATUS_IDS or not all(p.strip().isdigit() for p in raw):
            message = f"Give up to {MAX_STATUS_IDS} picture ids, e.g. ?ids=3,4."
            return JsonResponse({"errors": {"ids": [{"message": message}]}}, status=400)
        ids = {int(part) for part in raw if len(part.strip()) < 19}
        pictures = Image.objects.filter(pk__in=ids).with_renditions().order_by("pk")
        response = JsonResponse({"pictures": [picture_data(image) for image in pictures]})
        add_never_cache_headers(response)
        return response
