"""Entry point: ``flask --app app ...`` and ``gunicorn app:app``."""

from attract import create_app

app = create_app()
