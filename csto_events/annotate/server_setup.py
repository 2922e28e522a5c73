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
    declare_task_queue()

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


def declare_task_queue() -> None:
    """Create the broker's tables and its default queue before any process uses them.

    The broker is kombu's SQLAlchemy transport over the same SQLite file. Left
    to itself, each process (the web workers that queue the health check's
    task, and the celery worker) creates the table row of the ``celery`` queue
    on first use, guarded only by a lock inside that process; two processes
    starting at once then race and the loser dies on ``UNIQUE constraint
    failed: kombu_queue.name``. Declaring the queue here, while nothing else
    runs, removes the race.
    """
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_declare(queue=app.conf.task_default_queue, durable=True)


if __name__ == "__main__":
    main()
