"""Gunicorn settings for ``gunicorn app:app`` from the repository root.

The master checks the content and migrates the database once, before any
worker starts (``on_starting``), so workers never race to create tables and a
deployer needs no extra step. Several hosts starting at once are serialised by
a database lock (see ``attract.database.migration_lock``).

Workers: ``gthread``, because a live workshop holds one open event stream per phone.
A sync worker serves one connection at a time, so 300 phones would need 300 processes;
an async worker (gevent) would need monkey-patching under SQLite's and psycopg's
blocking calls. A thread per open stream costs little here: a waiting stream sleeps on
a condition variable, holds no database connection, and one watcher thread per process
does the database polling for all of them (``attract.workshops.stream``).

- ``workers``: one per core (the GIL lets one process use one core).
- ``threads``: 1,500 per worker, and ``worker_connections`` the same. A stream parks its
  thread for minutes, so a worker must never accept a connection it has no thread for
  (it would wait behind the streams). And the cap must stay above the largest room a
  host serves, because gunicorn hands new connections to workers very unevenly (225,
  29, 26 and 20 of 300 phones, measured with four workers) and a gthread worker that
  reaches its ``worker_connections`` cap stops polling its sockets and never recovers
  (gunicorn issues #3146 and #3407; seen here with 4 x 400 and a room of 1,000). Threads
  are only started when needed.
- Keepalive: with connections equal to threads gthread keeps no idle connection, so
  each response closes its connection. Behind a reverse proxy (the usual deployment)
  the proxy keeps the phones' connections alive.
"""

import multiprocessing
import os
import sys

from gunicorn.http import wsgi as _gunicorn_wsgi

_default_headers = _gunicorn_wsgi.Response.default_headers


def _without_server(self):
    """gunicorn writes "Server: gunicorn" itself, outside the app's reach; a version
    banner only helps someone matching exploits to servers, so it is left out."""
    return [h for h in _default_headers(self) if not h.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _without_server

# Served by gunicorn means served to people: the app refuses debug, a short key or no
# body cap (attract.config.check_production). ATTRACT_ENV=development overrides.
os.environ.setdefault("ATTRACT_ENV", "production")

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count(), 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "1500"))
worker_connections = threads
keepalive = 5
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
