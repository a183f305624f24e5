"""`DOKDELING_STORAGE_URL` parsed: `file:///path` or `s3://bucket?endpoint=...&secure=...`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from minio import Minio
from urllib3 import PoolManager, Retry, Timeout

from servicekit.config import ConfigError, EnvReader

PROBE_TIMEOUT = Timeout(connect=3.0, read=5.0)
_TRUE = ("1", "true", "yes")
_FALSE = ("0", "false", "no")


@dataclass(frozen=True, slots=True, kw_only=True)
class FileStorage:
    root: Path

    def describe(self) -> str:
        return f"file://{self.root}"

    def probe(self) -> str:
        """Raises OSError unless the folder exists (or can be made) and is writable."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise PermissionError(f"{self.root} is not writable")
        return f"{self.describe()} is writable"


@dataclass(frozen=True, slots=True, kw_only=True)
class S3Storage:
    bucket: str
    endpoint: str
    """host:port"""
    secure: bool
    region: str | None = None
    create_bucket: bool = False
    """Create the bucket on first use when it is missing (`DOKDELING_S3_CREATE_BUCKET`)."""
    access_key: str = field(repr=False)
    secret_key: str = field(repr=False)

    def describe(self) -> str:
        scheme = "https" if self.secure else "http"
        return f"s3://{self.bucket} at {scheme}://{self.endpoint}"

    def client(self, http_client: PoolManager | None = None) -> Minio:
        return Minio(
            self.endpoint,
            access_key=self.access_key,
            secret_key=self.secret_key,
            secure=self.secure,
            region=self.region,
            http_client=http_client,
        )

    def probe(self) -> str:
        """Raises unless the server answers with these credentials and the bucket exists."""
        http = PoolManager(timeout=PROBE_TIMEOUT, retries=Retry(total=0))
        try:
            if not self.client(http).bucket_exists(self.bucket):
                if not self.create_bucket:
                    raise LookupError(f"bucket {self.bucket!r} does not exist")
                return f"{self.describe()} is reachable; the bucket is created on first use"
        finally:
            http.clear()
        return f"{self.describe()} is reachable"


StorageLocation = FileStorage | S3Storage


def _flag(variable: str, value: str) -> bool:
    lowered = value.lower()
    if lowered not in _TRUE + _FALSE:
        raise ConfigError(variable, f"{value!r} is neither true nor false")
    return lowered in _TRUE


def _s3_from_url(env: EnvReader, url: str) -> S3Storage:
    variable = env.variable("STORAGE_URL")
    parts = urlsplit(url)
    params = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if not parts.hostname:
        raise ConfigError(variable, f"{url!r} names no bucket (s3://BUCKET?endpoint=...)")
    endpoint = urlsplit(params.get("endpoint", "https://s3.amazonaws.com"))
    if endpoint.scheme not in ("http", "https") or not endpoint.netloc:
        raise ConfigError(variable, f"endpoint={params.get('endpoint')!r} is not an http(s) URL")
    secure = endpoint.scheme == "https"
    if "secure" in params:
        secure = _flag(f"{variable} (secure=)", params["secure"])
    access_key, secret_key = env.raw("S3_ACCESS_KEY"), env.raw("S3_SECRET_KEY")
    if access_key is None or secret_key is None:
        missing = "S3_ACCESS_KEY" if access_key is None else "S3_SECRET_KEY"
        raise ConfigError(env.variable(missing), "required when DOKDELING_STORAGE_URL is s3://")
    return S3Storage(
        bucket=parts.hostname,
        endpoint=endpoint.netloc,
        secure=secure,
        region=params.get("region"),
        create_bucket=_flag(
            env.variable("S3_CREATE_BUCKET"), env.text("S3_CREATE_BUCKET", "false")
        ),
        access_key=access_key,
        secret_key=secret_key,
    )


def storage_from_env(env: EnvReader, data_dir: Path) -> StorageLocation:
    url = env.text("STORAGE_URL", f"file://{data_dir / 'documents'}")
    scheme = urlsplit(url).scheme
    if scheme == "file":
        path = urlsplit(url).path
        if not path.startswith("/") or urlsplit(url).netloc:
            raise ConfigError(env.variable("STORAGE_URL"), f"{url!r} is not file:///ABSOLUTE/PATH")
        return FileStorage(root=Path(path))
    if scheme == "s3":
        return _s3_from_url(env, url)
    raise ConfigError(
        env.variable("STORAGE_URL"), f"unsupported storage {scheme or url!r}; use file:// or s3://"
    )
