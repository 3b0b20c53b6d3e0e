"""Create a local admin user when no superuser exists, and say how to log in."""
import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model

from debtboard.commands import DebtboardCommand


class Command(DebtboardCommand):
    help = "Create a local superuser 'admin' if none exists (password from DEBTBOARD_ADMIN_PASSWORD or generated)."

    def run(self, **options: Any) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin user exists already: log in at http://127.0.0.1:8000/accounts/login/")
            return
        password = os.environ.get("DEBTBOARD_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username="admin", email="admin@localhost", password=password)
        self.stdout.write(self.style.SUCCESS(
            f"Created the local admin user.\n  username: admin\n  password: {password}\n"
            "  Log in at http://127.0.0.1:8000/accounts/login/ (change the password in /admin/)."
        ))
