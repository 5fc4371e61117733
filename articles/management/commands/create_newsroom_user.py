"""python manage.py create_newsroom_user USERNAME --role reporter|editor|legal

Creates a staff account in the Reporter, Editor or Legal (#15) group and prints its login with
a generated password. With --password-file the password is kept in that file (readable only by
its owner) and reused on later runs, which is how `make run` keeps its demo logins stable; with
--email the account gets that address, so that its notification emails have somewhere to go
(the console, in development).
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

ROLES = {"reporter": "Reporter", "editor": "Editor", "legal": "Legal"}


class Command(BaseCommand):
    help = "Creates a reporter, editor or legal account and prints its login."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument(
            "--password-file",
            type=Path,
            help="Keep the password in this file and reuse it on later runs.",
        )
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give an existing account a new generated password.",
        )
        parser.add_argument(
            "--email",
            default="",
            help="The account's email address, for its notifications (#15).",
        )
        parser.add_argument("--site-url", default=settings.SITE_URL)

    @transaction.atomic
    def handle(
        self, *args, username, role, password_file, reset_password, email, site_url, **options
    ):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        kept = password_file.read_text().strip() if password_file and password_file.exists() else ""
        if user and not (password_file or reset_password):
            raise CommandError(
                f"There is already an account called “{username}”. Pass --reset-password to "
                "give it a new password."
            )
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist:
            raise CommandError("The newsroom groups are missing: run migrate first.") from None

        password = kept or secrets.token_urlsafe(12)
        if user is None:
            user = User(username=username)
        if not user.pk or reset_password or not user.check_password(password):
            user.set_password(password)
        user.is_staff = user.is_active = True
        if email:
            user.email = email
        user.save()
        user.groups.add(group)
        if password_file and not kept:
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.touch(mode=0o600)
            password_file.write_text(password + "\n")

        admin_url = site_url.rstrip("/") + reverse("admin:index")
        self.stdout.write(
            f"{ROLES[role]} login: {admin_url}  user: {username}  password: {password}"
        )
