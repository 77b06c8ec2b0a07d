"""Password hashing with argon2id (argon2-cffi), tuned by ``ARGON2_PROFILE``."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError


@lru_cache(maxsize=4)
def hasher(profile: str = "RFC_9106_LOW_MEMORY") -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


@lru_cache(maxsize=4)
def _dummy_hash(profile: str) -> str:
    return hasher(profile).hash("not a real password")


def hash_password(password: str, profile: str) -> str:
    return hasher(profile).hash(password)


def verify_password(stored_hash: str | None, password: str, profile: str) -> bool:
    """Check a password; with no stored hash, spend the same time and fail.

    Verifying against a dummy hash for unknown emails keeps the answer time the
    same as for a wrong password, so timing does not reveal who has an account.
    """
    try:
        return hasher(profile).verify(stored_hash or _dummy_hash(profile), password) and bool(
            stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, profile: str) -> bool:
    return hasher(profile).check_needs_rehash(stored_hash)
