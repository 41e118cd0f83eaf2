"""Create a user with one or more roles; the password is asked for, never passed as an argument."""

import getpass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rescue.audit import access_record
from rescue.models import AccessLog
from rescue.roles import Role, role_groups

if TYPE_CHECKING:
    from rescue.roles import User


class Command(BaseCommand):
    help = "Create a user with roles. The password is asked for at the prompt."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=Role.values,
            help="A role to give; repeat for several.",
        )
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        user = User(username=username, email=email)
        password = self._ask_password(user)
        with transaction.atomic():
            user.set_password(password)
            user.is_staff = Role.ADMIN in role
            user.save()
            user.groups.set(role_groups(role))
            # As in the admin: the access log's "administrative action" lists every new user.
            access_record(
                request=None,
                user=None,
                action=AccessLog.Action.ADMIN_ACTION,
                target=f"auth.user:{user.pk}",
                detail=f"added user with manage.py add_user (roles now: {', '.join(sorted(role))})",
            )
        self.stdout.write(self.style.SUCCESS(f"Created {username} with roles: {', '.join(role)}."))

    def _ask_password(self, user: "User") -> str:
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ. Try again.")
                continue
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                self.stderr.write("\n".join(exc.messages))
                continue
            return password
        raise CommandError("No acceptable password was given; no user was created.")
