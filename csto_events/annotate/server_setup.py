"""Prepare a doccano database: migrations, roles, admin account. Runs in the server venv.

Not imported by the project: ``server.py`` runs this file with the server
venv's python, with Django configured through environment variables, and
reads one JSON line from its standard output. One process instead of three
``python -m django ...`` calls saves Django's start-up twice. The admin
password arrives in an environment variable, never on a command line that
``ps`` would show.
"""
import io
import json
import os


def main() -> None:
    import django
    from django.core import management

    django.setup()
    quiet = io.StringIO()
    management.call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    # The three roles (project_admin, annotator, annotation_approver) projects need.
    management.call_command("create_roles", stdout=quiet)

    from django.contrib.auth import get_user_model

    users = get_user_model()
    username = os.environ["CSTO_SETUP_USERNAME"]
    if users.objects.filter(username=username).exists():
        outcome = "exists"
    else:
        password = os.environ.get("CSTO_SETUP_PASSWORD", "")
        if not password:
            raise SystemExit("no password given for the new admin account")
        users.objects.create_superuser(username, os.environ.get("CSTO_SETUP_EMAIL", ""), password)
        outcome = "created"
    print(json.dumps({"admin": outcome}))


if __name__ == "__main__":
    main()
