from django.apps import AppConfig
from django.core.signals import setting_changed


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, processing

        # Pillow's limits are process-wide: set them once, and again when a test overrides the
        # setting, so that any decode in this process (not only ours) refuses bombs.
        processing.apply_pillow_limits()
        setting_changed.connect(_pillow_limits_follow_settings)
        checks.register()


def _pillow_limits_follow_settings(*, setting, **kwargs):
    if setting == "IMAGES_MAX_PIXELS":
        from . import processing

        processing.apply_pillow_limits()
