"""{% picture %}, {% figure %} and {% image_crop %}."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from images.models import Image

from . import samples

pytestmark = pytest.mark.django_db


class Tags(HTMLParser):
    """The tags of a fragment, in order, as (name, attributes) pairs."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def named(self, name):
        return [attrs for tag, attrs in self.tags if tag == name]


def render(source, **context):
    return Template("{% load images %}" + source).render(Context(context))


def srcset_widths(srcset):
    return [int(candidate.rsplit(" ", 1)[1].rstrip("w")) for candidate in srcset.split(", ")]


@pytest.fixture
def photo():
    return samples.make_image(
        samples.jpeg((2000, 1500)),
        alt_text='Protesters hold a banner reading "No <more> cuts"',
        caption="Outside City Hall on Monday.\nPolice estimated 2,000 people.",
        credit="Jane Doe/Reuters & Co",
    )


class PictureTests:
    @pytest.mark.slow
    def test_picture_has_webp_source_and_jpeg_img(self, photo):
        html = render(
            '{% picture image sizes="(min-width: 50rem) 46rem, 100vw" class="lead-image" %}',
            image=photo,
        )
        assert html.startswith("<picture><source ") and html.endswith("></picture>")
        tags = Tags(html)
        (source,) = tags.named("source")
        (img,) = tags.named("img")
        assert source["type"] == "image/webp"
        assert srcset_widths(source["srcset"]) == [480, 800, 1200, 1600]
        assert all(".webp " in candidate for candidate in source["srcset"].split(", "))
        assert source["sizes"] == img["sizes"] == "(min-width: 50rem) 46rem, 100vw"
        assert srcset_widths(img["srcset"]) == [480, 800, 1200, 1600]
        assert all(".jpg " in candidate for candidate in img["srcset"].split(", "))
        assert img["src"] == photo.renditions_for("full", "jpeg")[2].file.url  # the 1200
        assert (img["width"], img["height"]) == ("1200", "900")
        assert img["alt"] == 'Protesters hold a banner reading "No <more> cuts"'
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        assert img["class"] == "lead-image"
        # Escaped in the markup itself, not only correct once parsed.
        assert 'alt="Protesters hold a banner reading &quot;No &lt;more&gt; cuts&quot;"' in html

    @pytest.mark.slow
    def test_defaults_and_eager_loading(self, photo):
        img = Tags(render('{% picture image loading="eager" fetchpriority="high" %}', image=photo))
        (img,) = img.named("img")
        assert img["sizes"] == "100vw"
        assert img["loading"] == "eager" and img["fetchpriority"] == "high"

    @pytest.mark.slow
    def test_decorative_picture_has_empty_alt(self):
        image = samples.make_image(is_decorative=True)
        html = render("{% picture image %}", image=image)
        assert ' alt=""' in html
        assert Tags(html).named("img")[0]["alt"] == ""

    @pytest.mark.slow
    def test_crop(self, photo):
        html = render('{% picture image crop="16:9" %}', image=photo)
        (img,) = Tags(html).named("img")
        assert (img["width"], img["height"]) == ("1200", "675")
        assert srcset_widths(img["srcset"]) == [320, 600, 800, 1200]

    def test_small_picture_has_no_larger_candidates(self):
        image = samples.make_image(samples.jpeg((640, 480)))
        (img,) = Tags(render("{% picture image %}", image=image)).named("img")
        assert srcset_widths(img["srcset"]) == [480, 640]
        assert (img["width"], img["height"]) == ("640", "480")

    @pytest.mark.slow
    @pytest.mark.slow
    def test_without_renditions_no_picture_and_never_the_original(self, photo):
        """Readers are never sent the unprocessed original (#15): a picture whose renditions
        are missing, or still being made, is left out."""
        photo.renditions.all().delete()
        image = Image.objects.get(pk=photo.pk)
        template = (
            '{% picture image %}{% figure image %}{% image_crop image "social" as og %}{{ og.url }}'
        )
        assert render(template, image=image) == ""
        Image.objects.filter(pk=photo.pk).update(renditions_status=Image.Renditions.PROCESSING)
        image = Image.objects.get(pk=photo.pk)
        assert render(template, image=image) == ""
        assert image.version() is None and image.crops == dict.fromkeys(image.crops)

    def test_no_image_renders_nothing(self):
        assert render("{% picture image %}{% figure image %}", image=None) == ""

    @pytest.mark.slow
    def test_renders_with_a_constant_number_of_queries(self, django_assert_num_queries):
        template = Template(
            "{% load images %}{% for image in images %}{% picture image %}{% endfor %}"
        )
        for count in (2, 5):
            while Image.objects.count() < count:
                samples.make_image(samples.jpeg((900, 600)))
            with django_assert_num_queries(2):  # the images, then every rendition
                html = template.render(Context({"images": Image.objects.with_renditions()}))
            assert html.count("<picture>") == count


class FigureTests:
    @pytest.mark.slow
    def test_figure_carries_caption_and_credit(self, photo):
        html = render('{% figure image sizes="50vw" figure_class="story-figure" %}', image=photo)
        assert html.startswith('<figure class="story-figure"><picture>')
        assert html.endswith("</figcaption></figure>")
        assert (
            '<figcaption><span class="figure-caption">Outside City Hall on Monday.<br>Police '
            'estimated 2,000 people.</span> <span class="figure-credit">Photo: Jane Doe/Reuters '
            "&amp; Co</span></figcaption>"
        ) in html
        (img,) = Tags(html).named("img")
        assert img["sizes"] == "50vw"

    @pytest.mark.slow
    def test_figure_without_caption_or_credit_has_no_figcaption(self):
        html = render("{% figure image %}", image=samples.make_image(alt_text="A cat"))
        assert "<figcaption" not in html and html.startswith("<figure><picture>")

    @pytest.mark.slow
    def test_credit_only(self):
        html = render("{% figure image %}", image=samples.make_image(credit="AP"))
        assert '<figcaption><span class="figure-credit">Photo: AP</span></figcaption>' in html

    @pytest.mark.slow
    def test_caption_is_escaped(self):
        image = samples.make_image(caption="<script>alert(1)</script>")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render("{% figure image %}", image=image)


class CropForMetadataTests:
    @pytest.mark.slow
    def test_image_crop_tag(self, photo):
        html = render(
            '{% image_crop image "social" as og %}{{ og.url }} {{ og.width }} {{ og.height }}',
            image=photo,
        )
        url, width, height = html.split()
        assert url.startswith("/media/renditions/") and url.endswith(".jpg")
        assert (width, height) == ("1200", "630")

    @pytest.mark.slow
    def test_crop_method_and_mapping(self, photo):
        social = photo.crop("social")
        assert (social.width, social.height, social.mime_type) == (1200, 630, "image/jpeg")
        assert photo.crops["1x1"] == photo.crop("1:1")
        assert (photo.crops["1x1"].width, photo.crops["1x1"].height) == (1200, 1200)
        html = render("{{ image.crops.social.url }} {{ image.crops.16x9.width }}", image=photo)
        assert html == f"{social.url} 1200"

    @pytest.mark.slow
    def test_unknown_crop_is_a_clear_error(self, photo):
        with pytest.raises(ValueError, match="Unknown image crop 'banner'"):
            photo.crop("banner")


class ImageModelTests:
    def test_needs_alt_text(self):
        assert Image(alt_text="").needs_alt_text()
        assert Image(alt_text="   ").needs_alt_text()
        assert not Image(alt_text="A cat").needs_alt_text()
        assert not Image(is_decorative=True).needs_alt_text()

    @pytest.mark.slow
    def test_str(self, photo):
        assert str(photo).startswith("Protesters hold a banner")
        assert str(Image(caption="Caption only")) == "Caption only"
        assert str(Image(file="images/2025/01/cat.jpg")) == "cat.jpg"

    def test_decorative_with_alt_text_is_refused(self):
        image = Image(
            file=samples.upload("a.jpg", samples.jpeg()), is_decorative=True, alt_text="x"
        )
        with pytest.raises(Exception, match="decorative picture is skipped"):
            image.full_clean()

    def test_focal_point_outside_the_picture_is_refused(self):
        image = Image(file=samples.upload("a.jpg", samples.jpeg()), focal_x=1.5)
        with pytest.raises(Exception, match="less than or equal to 1.0"):
            image.full_clean()

    @pytest.mark.slow
    def test_database_refuses_focal_point_outside_the_picture(self, photo):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            Image.objects.filter(pk=photo.pk).update(focal_y=-0.1)
