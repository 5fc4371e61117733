from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notes and notifications"

    def ready(self):
        from . import receivers

        receivers.connect()
