"""Gunicorn settings for ``gunicorn app:app`` from the repository root.

The master checks the content and migrates the database once, before any
worker starts (``on_starting``), so workers never race to create tables and a
deployer needs no extra step. Several hosts starting at once are serialised by
a database lock (see ``attract.database.migration_lock``).
"""

import multiprocessing
import os
import sys

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = os.environ.get("ACCESS_LOG", "-") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    from attract import ConfigError, ContentError, create_app
    from attract.database import upgrade_database

    try:
        app = create_app()
    except (ConfigError, ContentError) as exc:
        kind = "content" if isinstance(exc, ContentError) else "configuration"
        print(f"Attract cannot start: invalid {kind}.\n{exc}", file=sys.stderr)
        sys.exit(1)
    upgrade_database(app)
    server.log.info("database is at the newest migration; content is valid")
