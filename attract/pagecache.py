"""Whole-page cache for what anonymous visitors read: catalog, course and lesson pages.

An anonymous page depends only on its URL and the content files: no cookie, no CSRF
token, no user. So its bytes are kept per worker, keyed on the endpoint, the full path
(sign-in links carry ``?next=`` from it) and the content version, which changes whenever
the content store reloads edited files. Signed-in readers, and anyone with a flash
message waiting, always get a fresh render.

This is a cache derived from files, like the content store, not application state: a
worker that has never seen a page renders it, and every worker renders the same bytes.
It is bounded (``PAGE_CACHE_SIZE`` entries, least recently used out), so a crawler
inventing query strings cannot grow it; ``PAGE_CACHE_SIZE=0`` turns it off.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from flask import current_app, make_response, request, session


class PageCache:
    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._pages: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: tuple[bytes, str]) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.maxsize:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


def _anonymous_without_messages() -> bool:
    """No signed-in user, no remember-me cookie, no flash message waiting.

    Read from the session itself rather than ``current_user``: loading the user costs
    Flask-Login a hash of the client's address per request, even when there is none.
    """
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return ("_user_id" not in session and "_flashes" not in session
            and cookie not in request.cookies)


def cached_for_anonymous(view):
    """Serve ``view``'s 200 answers to anonymous GETs from the page cache."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        cache: PageCache | None = current_app.extensions.get("attract.page_cache")
        if cache is None or request.method != "GET" or not _anonymous_without_messages():
            return view(*args, **kwargs)
        version = current_app.extensions["attract.content"].version
        key = (request.endpoint, request.full_path, version)
        page = cache.get(key)
        if page is not None:
            body, content_type = page
            return current_app.response_class(body, content_type=content_type)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough:
            cache.put(key, (response.get_data(), response.content_type))
        return response

    return wrapper
