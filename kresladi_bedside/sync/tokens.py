"""Bearer tokens as a hospital's server issues them: OAuth2 client credentials (RFC 6749 §4.4).

A real server's tokens expire (Medplum's after one hour). A workstation that read one static token
at start sent with an expired one for the rest of the shift, and its custody check "failed" with a
401 that nobody saw. So a `TokenSource` fetches a token at `token_url` with the site's
`client_id` / `client_secret`, renews it `renew_margin_s` before the `expires_in` the server gave
(measured on the monotonic clock: a wall-clock jump neither expires nor extends it), and renews it
once more when the FHIR server answers 401 to it (`invalidate`, then `bearer` again: the caller
retries its request once). A token that cannot be had raises `TokenError` naming why; the caller
treats it as "blocked" (custody checks refuse to open: they never assume a product is free).

A static token (`sync.token` / `token_env`) is still accepted (`StaticToken`): it cannot be
renewed, so a 401 stays a 401.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlsplit

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_TOKEN_ANSWER = 256 * 1024


class TokenError(RuntimeError):
    """No usable token: the server refused the client's credentials, or did not answer."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Tokens(Protocol):
    def bearer(self) -> str | None: ...

    def invalidate(self, token: str | None) -> bool:
        """The server refused `token`: forget it; True when a retry may get a different one."""
        ...


class StaticToken:
    def __init__(self, token: str | None) -> None:
        self._token = token

    def bearer(self) -> str | None:
        return self._token

    def invalidate(self, token: str | None) -> bool:
        return False


Fetch = Callable[[str, bytes, float], tuple[int, bytes]]


def _fetch(url: str, body: bytes, timeout_s: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, body, {
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            return int(answer.status), answer.read(MAX_TOKEN_ANSWER)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(MAX_TOKEN_ANSWER)


class ClientCredentials:
    """Tokens from `token_url` by the client-credentials grant; thread-safe (one fetch at a
    time, shared by every client of the workstation)."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, *,
                 scope: str | None = None, timeout_s: float = 10.0,
                 renew_margin_s: float = 300.0, fetch: Fetch = _fetch,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        parts = urlsplit(token_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TokenError(f"sync.token_url {token_url!r} is not an http(s) URL")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
            raise TokenError(f"sync.token_url {token_url!r}: the client secret goes over https "
                             "only (plain http is allowed to this machine itself, for tests)")
        self.token_url = token_url
        self._form = {"grant_type": "client_credentials", "client_id": client_id,
                      "client_secret": client_secret, **({"scope": scope} if scope else {})}
        self._timeout = timeout_s
        self._margin = renew_margin_s
        self._fetch = fetch
        self._now = monotonic
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0
        self._expires_at = 0.0
        self.fetched = 0  # how many tokens were issued to us (for tests and the status line)

    def bearer(self) -> str:
        with self._lock:
            if self._token is None or self._now() >= self._renew_at:
                self._token = None
                self._token, lifetime = self._get()
                self.fetched += 1
                # renew `margin` before the end; a token shorter than two margins, half-way
                early = lifetime - self._margin if lifetime > 2 * self._margin \
                    else lifetime / 2
                self._renew_at = self._now() + early
                self._expires_at = self._now() + lifetime
            return self._token

    def expires_in_s(self) -> float | None:
        """Seconds until the current token expires as the server said (None: no token yet)."""
        with self._lock:
            return None if self._token is None else self._expires_at - self._now()

    def invalidate(self, token: str | None) -> bool:
        with self._lock:
            if token is not None and token == self._token:
                self._token = None
            return True

    def _get(self) -> tuple[str, float]:
        body = urllib.parse.urlencode(self._form).encode()
        try:
            status, raw = self._fetch(self.token_url, body, self._timeout)
        except (OSError, ValueError) as exc:
            raise TokenError(f"no token from {self.token_url}: {type(exc).__name__}: {exc}") \
                from exc
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            data = None
        if status in (400, 401, 403):
            why = data.get("error_description") or data.get("error") if isinstance(data, dict) \
                else None
            raise TokenError(f"the server refused the workstation's client credentials "
                             f"(HTTP {status}{': ' + str(why) if why else ''})", status)
        if status != 200 or not isinstance(data, dict) or \
                not isinstance(data.get("access_token"), str) or not data["access_token"]:
            raise TokenError(f"no token from {self.token_url} (HTTP {status}: not an OAuth2 "
                             "token answer)", status)
        expires = data.get("expires_in")
        lifetime = float(expires) if isinstance(expires, (int, float)) and expires > 0 \
            else 300.0  # no lifetime given: assume a short one and renew often
        return data["access_token"], lifetime


_SHARED: dict[tuple[str, str, str], ClientCredentials] = {}
_SHARED_LOCK = threading.Lock()


def shared(token_url: str, client_id: str, client_secret: str,
           timeout_s: float = 10.0) -> ClientCredentials:
    """One token source per credentials in this process: the window's sync, its EHR reads and
    its custody checks renew one token instead of each fetching its own."""
    key = (token_url, client_id, client_secret)
    with _SHARED_LOCK:
        source = _SHARED.get(key)
        if source is None:
            source = _SHARED[key] = ClientCredentials(token_url, client_id, client_secret,
                                                      timeout_s=timeout_s)
        return source
