"""Configuration from environment variables, with safe defaults.

| variable | default | meaning |
|---|---|---|
| ``SECRET_KEY`` | from ``SECRET_KEY_FILE`` | signs sessions and CSRF; required outside debug |
| ``SECRET_KEY_FILE`` | ``instance/secret_key`` | a file holding the key (``make run`` writes one) |
| ``DATABASE_URL`` | ``sqlite:///instance/attract.db`` | SQLAlchemy URL; PostgreSQL to scale out |
| ``CONTENT_DIR`` | the repository root | folder holding ``courses/``, ``lessons/``, ``quizzes/`` |
| ``CONTENT_RELOAD_SECONDS`` | ``2`` | how often to look for edited content files; ``0`` never |
| ``PAGE_CACHE_SIZE`` | ``256`` | anonymous pages kept rendered per worker; ``0`` off |
| ``COACH_RATE_LIMIT`` | ``60`` | coach analyses per account per minute (page and API) |
| ``COACH_RATE_LIMIT_PER_ADDRESS`` | ``240`` | coach analyses per address a minute, any account |
| ``SIGN_IN_FAILURES`` | ``10`` | wrong passwords per account, and per address, before a 429 |
| ``SIGN_IN_WINDOW`` | ``900`` | the window those are counted in (seconds, sliding) |
| ``TRUSTED_PROXIES`` | ``0`` | proxies in front whose X-Forwarded-For/-Proto to believe |
| ``SESSION_COOKIE_SECURE`` | ``false`` | set ``true`` when served over HTTPS |
| ``JOIN_RATE_PER_ADDRESS`` | ``1200`` | workshop joins per address a minute (one office of 300) |
| ``JOIN_RATE_PER_CODE`` | ``2000`` | joins per workshop per minute |
| ``LIVE_POLL_SECONDS`` | ``0.1`` | how often a process's watcher asks if followed rooms changed |
| ``LIVE_COALESCE_SECONDS`` | ``0.25`` | an event stream sends at most one state this often |
| ``LIVE_HEARTBEAT_SECONDS`` | ``15`` | a comment line this often keeps proxies from closing it |
| ``LIVE_STREAM_SECONDS`` | ``900`` | a stream closes after this long (EventSource reconnects) |
| ``DB_POOL_SIZE``, ``DB_MAX_OVERFLOW`` | ``20``, ``10`` | pooled connections per worker; extra |
| ``LOG_LEVEL`` | ``INFO`` | Python logging level |
| ``ATTRACT_ENV`` | ``production`` (gunicorn) | refuses debug, a key under 32 chars, no body cap |
| ``SECRET_KEY_FALLBACKS`` | none | old keys (comma-separated) sessions still accept |
| ``MAIL_URL``, ``MAIL_FROM`` | none (log) | SMTP for reset links: smtp(s)://user:pw@host:port |
| ``SITE_URL`` | the request's address | public address: every absolute link |
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The app cannot start with this configuration; the message says how to fix it."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _key_file(env: dict, instance_path: Path) -> Path:
    return Path(env.get("SECRET_KEY_FILE") or instance_path / "secret_key")


def _secret_key(env: dict, instance_path: Path) -> str | None:
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    key_file = _key_file(env, instance_path)
    try:
        key = key_file.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return key or None


def database_url(env: dict, instance_path: Path) -> str:
    url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'attract.db'}"
    # Heroku-style URLs name the old driver; SQLAlchemy 2 wants the dialect+driver spelled out.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _engine_options(env: dict, url: str) -> dict:
    # A worker runs many threads (gunicorn.conf.py); SQLAlchemy's default pool of 5 + 10
    # made answers queue for a connection and opened a new one for each overflow.
    options = {"pool_size": int(env.get("DB_POOL_SIZE") or 20),
               "max_overflow": int(env.get("DB_MAX_OVERFLOW") or 10)}
    if url.startswith("postgresql"):
        options["pool_pre_ping"] = True
    return options


def build_config(instance_path: Path, overrides: dict | None = None,
                 env: dict | None = None, debug: bool = False) -> dict:
    """Return the app's config: environment first, then ``overrides`` (tests)."""
    env = dict(os.environ if env is None else env)
    overrides = dict(overrides or {})
    testing = bool(overrides.get("TESTING"))
    url = overrides.get("SQLALCHEMY_DATABASE_URI") or database_url(env, instance_path)
    config = {
        "SECRET_KEY": _secret_key(env, instance_path),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(env, url),
        "CONTENT_DIR": str(Path(env.get("CONTENT_DIR") or REPO_ROOT).resolve()),
        "CONTENT_RELOAD_SECONDS": float(env.get("CONTENT_RELOAD_SECONDS") or 2),
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # CSRF tokens live as long as the session: no surprise expiry mid-workshop.
        "WTF_CSRF_TIME_LIMIT": None,
        # Checked by our own hook, only for methods that change things (see create_app).
        "WTF_CSRF_CHECK_DEFAULT": False,
        "ARGON2_PROFILE": "RFC_9106_LOW_MEMORY",
        "PAGE_CACHE_SIZE": int(env.get("PAGE_CACHE_SIZE") or 256),
        "COACH_RATE_LIMIT": int(env.get("COACH_RATE_LIMIT") or 60),
        "COACH_RATE_LIMIT_PER_ADDRESS": int(env.get("COACH_RATE_LIMIT_PER_ADDRESS") or 240),
        "SIGN_IN_FAILURES": int(env.get("SIGN_IN_FAILURES") or 10),
        "SIGN_IN_WINDOW": int(env.get("SIGN_IN_WINDOW") or 900),
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES") or 0),
        "SITE_URL": (env.get("SITE_URL") or "").strip().rstrip("/") or None,
        "MAIL_URL": (env.get("MAIL_URL") or "").strip() or None,
        "MAIL_FROM": env.get("MAIL_FROM") or "Attract <no-reply@localhost>",
        "JOIN_RATE_PER_ADDRESS": int(env.get("JOIN_RATE_PER_ADDRESS") or 1200),
        "JOIN_RATE_PER_CODE": int(env.get("JOIN_RATE_PER_CODE") or 2000),
        "LIVE_POLL_SECONDS": float(env.get("LIVE_POLL_SECONDS") or 0.1),
        "LIVE_COALESCE_SECONDS": float(env.get("LIVE_COALESCE_SECONDS") or 0.25),
        "LIVE_HEARTBEAT_SECONDS": float(env.get("LIVE_HEARTBEAT_SECONDS") or 15),
        "LIVE_STREAM_SECONDS": float(env.get("LIVE_STREAM_SECONDS") or 900),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
    }
    config.update(overrides)
    # the remember-me cookie is a credential too: Secure whenever the session cookie is
    config.setdefault("REMEMBER_COOKIE_SECURE", config["SESSION_COOKIE_SECURE"])
    if not config["SECRET_KEY"]:
        if not (debug or testing):
            key_file = _key_file(env, instance_path)
            raise ConfigError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable, or put a key "
                f"in {key_file} (make run creates one), e.g.\n"
                f"  python -c 'import secrets; print(secrets.token_hex(32))' > {key_file}"
            )
        # Debug or tests only: a random key per process, never a constant production would accept.
        config["SECRET_KEY"] = secrets.token_hex(32)
    fallbacks = [k.strip() for k in (env.get("SECRET_KEY_FALLBACKS") or "").split(",")
                 if k.strip()]
    config.setdefault("SECRET_KEY_FALLBACKS", fallbacks or None)
    if (env.get("ATTRACT_ENV") or "").strip().lower() == "production" and not testing:
        check_production(config, debug)
    return config


MIN_SECRET_KEY = 32


def check_production(config: dict, debug: bool) -> None:
    """Refuse to serve real users with settings only fit for a laptop."""
    problems = []
    if debug:
        problems.append("debug is on (FLASK_DEBUG): it shows tracebacks and runs code "
                        "typed into the error page; turn it off")
    if len(config["SECRET_KEY"] or "") < MIN_SECRET_KEY:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY} characters; make one "
                        "with: python -c 'import secrets; print(secrets.token_hex(32))'")
    for old in config.get("SECRET_KEY_FALLBACKS") or []:
        if len(old) < MIN_SECRET_KEY:
            problems.append(f"a SECRET_KEY_FALLBACKS key is shorter than {MIN_SECRET_KEY} "
                            "characters")
    if not config.get("MAX_CONTENT_LENGTH"):
        problems.append("MAX_CONTENT_LENGTH is not set: any client could send a body of "
                        "any size")
    if problems:
        raise ConfigError("Attract will not start in production (ATTRACT_ENV=production): "
                          + "; ".join(problems) + ".")
