"""Fixtures: one embedded test cluster per session (bindings/testing/samsa_test_cluster.py) and fresh topics.

The library comes from $SAMSA_LIBRARY (CTest sets it), else artifacts/native/libsamsa.so of this repository;
the cluster host from $SAMSA_TEST_CLUSTER_HOST, else src/Samsa.TestCluster's Release/Debug build output.
"""
import itertools
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE.parent))  # the package, without installing it
sys.path.insert(0, str(REPO / "bindings" / "testing"))

if "SAMSA_LIBRARY" not in os.environ and (REPO / "artifacts" / "native" / "libsamsa.so").is_file():
    os.environ["SAMSA_LIBRARY"] = str(REPO / "artifacts" / "native" / "libsamsa.so")

from samsa_test_cluster import TestCluster  # noqa: E402

_names = itertools.count()


@pytest.fixture(scope="session")
def cluster():
    with TestCluster(brokers=3) as c:
        yield c


@pytest.fixture
def bootstrap(cluster):
    return cluster.bootstrap


@pytest.fixture
def topic(cluster, request):
    """A new topic of 3 partitions, named after the test."""
    name = f"py-{request.node.name.replace('[', '-').replace(']', '')}-{next(_names)}"[:200]
    cluster.create_topic(name, 3)
    return name
