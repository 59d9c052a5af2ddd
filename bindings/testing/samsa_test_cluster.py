#!/usr/bin/env python3
"""Starts Samsa's embedded test cluster (src/Samsa.TestCluster, librdkafka's mock cluster in its own process).

As a module: ``with TestCluster(host_dll, brokers=3) as c: c.create_topic("t", 3); c.bootstrap``.
As a program (what CTest runs): starts a cluster, creates the topics given, runs a command with
SAMSA_BOOTSTRAP_SERVERS (and SAMSA_TEST_TOPIC, the first topic) in its environment, stops the cluster and
exits with the command's status:

    samsa_test_cluster.py --host PATH/Samsa.TestCluster.dll [--brokers N] [--topic NAME:PARTITIONS]... [--secure]
                          [--rebalance-delay MS] -- CMD ARGS...

The host is found from --host, else $SAMSA_TEST_CLUSTER_HOST, else the Release/Debug build output of
src/Samsa.TestCluster in this repository.

With --secure, the secure front (tests/Samsa.SecureFrontHost: TLS, mutual TLS and SASL in front of the plaintext
cluster) runs too, and the command also gets SAMSA_SECURE_CERTS (a directory with ca.pem, client.pem,
client.key, client-encrypted.key, other-ca.pem), SAMSA_SECURE_KEY_PASSWORD, SAMSA_SECURE_USER,
SAMSA_SECURE_PASSWORD and one SAMSA_FRONT_<NAME> bootstrap list per set-up (SSL, MTLS, SASL_PLAINTEXT, SASL_SSL,
SASL_REAUTH). The front host is found from --secure-host, else $SAMSA_SECURE_FRONT_HOST, else the Release/Debug
build output of tests/Samsa.SecureFrontHost.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parents[2]


def find_host(explicit: Optional[str] = None) -> str:
    candidates = [explicit, os.environ.get("SAMSA_TEST_CLUSTER_HOST")]
    for config in ("Release", "Debug"):
        candidates.append(str(REPO / "src" / "Samsa.TestCluster" / "bin" / config / "net10.0" / "Samsa.TestCluster.dll"))
    for c in candidates:
        if c and Path(c).is_file():
            return c
    raise FileNotFoundError(
        "The test cluster host Samsa.TestCluster.dll was not found: build it with "
        "'dotnet build src/Samsa.TestCluster -c Release' or set SAMSA_TEST_CLUSTER_HOST.")


def find_secure_host(explicit: Optional[str] = None) -> str:
    candidates = [explicit, os.environ.get("SAMSA_SECURE_FRONT_HOST")]
    for config in ("Release", "Debug"):
        candidates.append(str(REPO / "tests" / "Samsa.SecureFrontHost" / "bin" / config / "net10.0" / "Samsa.SecureFrontHost.dll"))
    for c in candidates:
        if c and Path(c).is_file():
            return c
    raise FileNotFoundError(
        "The secure front host Samsa.SecureFrontHost.dll was not found: build it with "
        "'dotnet build tests/Samsa.SecureFrontHost -c Release' or set SAMSA_SECURE_FRONT_HOST.")


class TestClusterError(RuntimeError):
    pass


def _readline(proc: subprocess.Popen, stderr: List[str], timeout: float, what: str) -> str:
    result: List[str] = []
    reader = threading.Thread(target=lambda: result.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    if not result:
        raise TestClusterError(f"the {what} did not answer within {timeout} s")
    if result[0] == "":
        raise TestClusterError(f"the {what} exited; stderr:\n" + "".join(stderr[-50:]))
    return result[0].rstrip("\n")


class TestCluster:
    """One mock cluster host process, driven by line commands on its stdin."""

    def __init__(self, host: Optional[str] = None, brokers: int = 3, topics: Optional[List[str]] = None,
                 start_timeout: float = 60.0) -> None:
        host = find_host(host)
        cmd = [host] if not host.endswith(".dll") else [shutil.which("dotnet") or "dotnet", "exec", host]
        cmd += ["--brokers", str(brokers)]
        for t in topics or []:
            cmd += ["--topic", t]
        self._stderr: List[str] = []
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, bufsize=1)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self._lock = threading.Lock()
        line = self._readline(start_timeout)
        if not line.startswith("BOOTSTRAP "):
            self.close()
            raise TestClusterError(f"the test cluster printed {line!r} instead of BOOTSTRAP; stderr:\n" + "".join(self._stderr[-50:]))
        self.bootstrap = line[len("BOOTSTRAP "):].strip()

    def _drain_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line)
            del self._stderr[:-200]

    def _readline(self, timeout: float) -> str:
        return _readline(self._proc, self._stderr, timeout, "test cluster")

    def command(self, line: str, timeout: float = 30.0) -> str:
        """Sends one command; returns what follows OK, or raises with the ERR text."""
        with self._lock:
            assert self._proc.stdin is not None
            self._proc.stdin.write(line + "\n")
            self._proc.stdin.flush()
            answer = self._readline(timeout)
        if answer.startswith("OK"):
            return answer[2:].strip()
        raise TestClusterError(f"{line!r}: {answer}")

    def create_topic(self, name: str, partitions: int = 1, replication_factor: int = 1) -> None:
        self.command(f"create-topic {name} {partitions} {replication_factor}")

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.close()  # end of stdin: the host shuts down
                self._proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> "TestCluster":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SecureFronts:
    """The secure front host in front of a cluster: TLS, mutual TLS and SASL set-ups, by name.

    ``fronts["sasl_ssl"]`` is a bootstrap list; ``certs`` the directory of PEM files; ``stats(name)`` the front's
    counters (connections, tls, authentications, reauthentications, expired, failures) as a dict of ints.
    """

    def __init__(self, upstream: str, host: Optional[str] = None, start_timeout: float = 120.0,
                 session_lifetime_ms: int = 2000) -> None:
        host = find_secure_host(host)
        cmd = [host] if not host.endswith(".dll") else [shutil.which("dotnet") or "dotnet", "exec", host]
        cmd += ["--upstream", upstream, "--session-lifetime-ms", str(session_lifetime_ms)]
        self._stderr: List[str] = []
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, bufsize=1)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self._lock = threading.Lock()
        self.fronts: Dict[str, str] = {}
        self.certs = ""
        self.key_password = ""
        self.user = ""
        self.password = ""
        while True:
            line = _readline(self._proc, self._stderr, start_timeout, "secure front host")
            kind, _, rest = line.partition(" ")
            if kind == "READY":
                break
            if kind == "CERTS":
                self.certs = rest
            elif kind == "KEYPASS":
                self.key_password = rest
            elif kind == "USER":
                self.user, _, self.password = rest.partition(" ")
            elif kind == "FRONT":
                name, _, bootstrap = rest.partition(" ")
                self.fronts[name] = bootstrap
            else:
                self.close()
                raise TestClusterError(f"the secure front host printed {line!r}")

    def _drain_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line)
            del self._stderr[:-200]

    def _command(self, line: str) -> str:
        with self._lock:
            assert self._proc.stdin is not None
            self._proc.stdin.write(line + "\n")
            self._proc.stdin.flush()
            answer = _readline(self._proc, self._stderr, 30.0, "secure front host")
        if not answer.startswith("OK"):
            raise TestClusterError(f"{line!r}: {answer}")
        return answer[2:].strip()

    def stats(self, name: str) -> Dict[str, int]:
        return {k: int(v) for k, v in (kv.split("=") for kv in self._command(f"stats {name}").split())}

    def failures(self, name: str) -> str:
        return self._command(f"failures {name}")

    def environment(self) -> Dict[str, str]:
        env = {"SAMSA_SECURE_CERTS": self.certs, "SAMSA_SECURE_KEY_PASSWORD": self.key_password,
               "SAMSA_SECURE_USER": self.user, "SAMSA_SECURE_PASSWORD": self.password}
        for name, bootstrap in self.fronts.items():
            env["SAMSA_FRONT_" + name.upper()] = bootstrap
        return env

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.close()
                self._proc.wait(15)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> "SecureFronts":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main(argv: List[str]) -> int:
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("--host")
    parser.add_argument("--brokers", type=int, default=3)
    parser.add_argument("--topic", action="append", default=[])
    parser.add_argument("--secure", action="store_true")
    parser.add_argument("--secure-host")
    parser.add_argument("--rebalance-delay", type=int, help="a new group's initial rebalance delay in ms (mock default 3000)")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    with TestCluster(args.host, args.brokers, args.topic) as cluster:
        if args.rebalance_delay is not None:
            cluster.command(f"rebalance-delay {args.rebalance_delay}")
        env = dict(os.environ, SAMSA_BOOTSTRAP_SERVERS=cluster.bootstrap)
        if args.topic:
            env["SAMSA_TEST_TOPIC"] = args.topic[0].split(":")[0]
        if not args.secure:
            return subprocess.call(command, env=env)
        with SecureFronts(cluster.bootstrap, args.secure_host) as fronts:
            env.update(fronts.environment())
            return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
