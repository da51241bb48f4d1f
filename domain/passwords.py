"""Passphrase hashing with the standard library's memory-hard scrypt.

A stored hash is one string: ``scrypt$n$r$p$salt_b64$hash_b64``. The cost parameters travel with
the hash, so they can be raised later without breaking existing passphrases.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata

from domain.errors import ValidationError

SCHEME = "scrypt"
#: Cost of every new hash (the commonly recommended 2**17; about 128 MiB per check).
N = 2**17
#: The cost Tandem used before; such hashes still verify and are upgraded at the next sign-in.
LEGACY_N = 2**14
#: The lowest cost :func:`hash_passphrase` accepts. Only demo seeding and the test suite ask for
#: less than :data:`N` (explicitly, with ``n=``); real users' hashes always use :data:`N`.
MIN_N = 2**10
R = 8
P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_LENGTH = 10
MAX_LENGTH = 1024
#: Enough for n=2**17, r=8 (128 MiB) with headroom; scrypt refuses anything above this.
_MAXMEM = 256 * 1024 * 1024


def _normalise(passphrase: str) -> bytes:
    # NFC so the same passphrase typed on different keyboards/OSes gives the same bytes.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_passphrase(passphrase: str | None) -> str:
    """Return the passphrase if it is acceptable, else raise ValidationError naming ``passphrase``."""
    if passphrase is None or not passphrase.strip():
        raise ValidationError("passphrase", "Passphrase cannot be empty.")
    length = len(unicodedata.normalize("NFC", passphrase))
    if length < MIN_LENGTH:
        raise ValidationError(
            "passphrase",
            f"Passphrase must be at least {MIN_LENGTH} characters long (it has {length}). "
            "A few ordinary words in a row make a good one.",
        )
    if length > MAX_LENGTH:
        raise ValidationError(
            "passphrase", f"Passphrase must be at most {MAX_LENGTH} characters long."
        )
    return passphrase


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_passphrase(passphrase: str, *, n: int | None = None) -> str:
    """Check the passphrase and return its encoded scrypt hash with a fresh random salt.

    ``n`` is lowered only by demo seeding and the test suite (see :data:`MIN_N`); every real
    user's hash is made at :data:`N`."""
    check_passphrase(passphrase)
    n = N if n is None else n
    if n < MIN_N or n & (n - 1):
        raise ValueError(f"scrypt cost n must be a power of two of at least {MIN_N}.")
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(
        _normalise(passphrase), salt=salt, n=n, r=R, p=P, maxmem=_MAXMEM, dklen=HASH_BYTES
    )
    return f"{SCHEME}${n}${R}${P}${_b64(salt)}${_b64(digest)}"


def needs_upgrade(encoded: str | None) -> bool:
    """True if ``encoded`` was made at a lower cost than :data:`N` (rehash it at the next
    successful sign-in)."""
    try:
        scheme, n_text, r_text, p_text, _salt, _hash = (encoded or "").split("$")
        return scheme != SCHEME or int(n_text) < N or int(r_text) < R or int(p_text) < P
    except ValueError:
        return False


def verify_passphrase(passphrase: str, encoded: str | None) -> bool:
    """True if ``passphrase`` matches ``encoded``. A missing or malformed hash never matches."""
    if not encoded or passphrase is None:
        return False
    try:
        scheme, n_text, r_text, p_text, salt_b64, hash_b64 = encoded.split("$")
        if scheme != SCHEME:
            return False
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
        if len(passphrase) > MAX_LENGTH or not expected:
            return False
        actual = hashlib.scrypt(
            _normalise(passphrase), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


#: Checked against when a user name is unknown, so a wrong name takes as long as a wrong passphrase.
_DUMMY_HASH: str | None = None


def dummy_verify(passphrase: str) -> None:
    """Spend the same time as a real check, for sign-ins with an unknown user name."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_passphrase("not-a-real-passphrase-at-all")
    verify_passphrase(passphrase if passphrase else "-", _DUMMY_HASH)
