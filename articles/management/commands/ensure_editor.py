"""python manage.py ensure_editor: makes sure the local editor account exists and prints its login.

Used by `make run`. The password is generated on the first run and kept in a file (by default
var/editor-password, readable only by its owner), so every later run prints the same login.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse


class Command(BaseCommand):
    help = "Creates the editor account if missing and prints its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument(
            "--password-file", default=str(settings.VAR_DIR / "editor-password"), type=Path
        )
        parser.add_argument("--site-url", default=settings.SITE_URL)

    def handle(self, *args, username, password_file, site_url, **options):
        password_file.parent.mkdir(parents=True, exist_ok=True)
        if password_file.exists():
            password = password_file.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            password_file.touch(mode=0o600)
            password_file.write_text(password + "\n")

        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Newsroom", "last_name": "Editor"}
        )
        if created or not user.check_password(password) or not user.is_superuser:
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()

        admin_url = site_url.rstrip("/") + reverse("admin:index")
        self.stdout.write(
            f"Editor login: {admin_url}  user: {username}  password: {password}"
            f"  (kept in {password_file})"
        )
