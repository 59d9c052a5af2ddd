"""The producer against the embedded test cluster: delivery callbacks, 100,000 messages, headers, logging,
round trips read back by an independent client (kcat) until libsamsa has its consumer."""
import logging
import os
import shutil
import subprocess
import time

import pytest

from samsa import KafkaError, Producer

KCAT = shutil.which("kcat") or ("/usr/bin/kcat" if os.path.exists("/usr/bin/kcat") else None)


def read_back(bootstrap, topic, fmt="%k|%s|%p|%o\\n", partition=None):
    cmd = [KCAT, "-C", "-q", "-e", "-b", bootstrap, "-t", topic, "-o", "beginning", "-f", fmt]
    if partition is not None:
        cmd += ["-p", str(partition)]
    return subprocess.run(cmd, capture_output=True, check=True, timeout=120).stdout


def test_delivery_callbacks(bootstrap, topic):
    reports = []
    with Producer({"bootstrap.servers": bootstrap}) as p:
        for i in range(100):
            p.produce(topic, value=f"v{i}", key=f"k{i}", on_delivery=lambda err, msg: reports.append((err, msg)))
        assert p.flush(30) == 0
        assert len(p) == 0
    assert len(reports) == 100
    assert all(err is None for err, _ in reports)
    seen = {(m.partition(), m.offset()) for _, m in reports}
    assert len(seen) == 100  # every message at its own place
    by_key = {m.key(): m for _, m in reports}
    assert by_key[b"k7"].value() == b"v7" and by_key[b"k7"].topic() == topic
    assert all(m.timestamp()[1] > 0 and m.error() is None for _, m in reports)


def test_default_callback_and_explicit_partition(bootstrap, topic):
    got = []
    with Producer({"bootstrap.servers": bootstrap, "on_delivery": lambda err, msg: got.append(msg)}) as p:
        p.produce(topic, b"a", partition=2)
        p.produce(topic, b"b", partition=2)
        p.flush(30)
    assert [m.partition() for m in got] == [2, 2]
    assert got[1].offset() == got[0].offset() + 1


def test_poll_serves_callbacks_on_the_calling_thread(bootstrap, topic):
    import threading
    threads = []
    with Producer({"bootstrap.servers": bootstrap}) as p:
        p.produce(topic, b"x", on_delivery=lambda err, msg: threads.append(threading.get_ident()))
        deadline = time.time() + 30
        while not threads and time.time() < deadline:
            p.poll(0.1)
    assert threads == [threading.get_ident()]


def test_exception_in_callback_comes_out_of_poll(bootstrap, topic):
    def boom(err, msg):
        raise RuntimeError("from the callback")

    p = Producer({"bootstrap.servers": bootstrap})
    p.produce(topic, b"x", on_delivery=boom)
    with pytest.raises(RuntimeError, match="from the callback"):
        p.flush(30)
    p.close()


def test_hundred_thousand_messages(bootstrap, topic):
    delivered = 0
    failed = 0

    def on_delivery(err, msg):
        nonlocal delivered, failed
        if err is None:
            delivered += 1
        else:
            failed += 1

    count = 100_000
    value = b"x" * 100
    start = time.perf_counter()
    with Producer({"bootstrap.servers": bootstrap, "linger.ms": 5}) as p:
        for i in range(count):
            while True:
                try:
                    p.produce(topic, value, on_delivery=on_delivery)
                    break
                except BufferError:
                    p.poll(0.05)
            if i % 10_000 == 0:
                p.poll(0)
        assert p.flush(120) == 0
    elapsed = time.perf_counter() - start
    print(f"\n{count} messages of {len(value)} bytes with delivery callbacks in {elapsed:.2f} s ({count / elapsed:,.0f} msg/s)")
    assert (delivered, failed) == (count, 0)


def test_fire_and_forget_throughput(bootstrap, topic):
    count = 100_000
    start = time.perf_counter()
    with Producer({"bootstrap.servers": bootstrap}) as p:
        for _ in range(count):
            while True:
                try:
                    p.produce(topic, b"y" * 100)
                    break
                except BufferError:
                    p.poll(0.05)
        assert p.flush(120) == 0
    elapsed = time.perf_counter() - start
    print(f"\n{count} messages without callbacks in {elapsed:.2f} s ({count / elapsed:,.0f} msg/s)")


def test_logger_gets_the_client_log(bootstrap):
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("samsa-test")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Collect())
    # a consumer property in a producer configuration is ignored with a warning
    with Producer({"bootstrap.servers": bootstrap, "group.id": "g", "logger": logger}) as p:
        p.poll(0)
    assert any(r.levelno == logging.WARNING and "group.id" in r.getMessage() for r in records)


@pytest.mark.skipif(KCAT is None, reason="kcat is not installed")
def test_round_trip_with_headers_read_by_kcat(bootstrap, topic):
    with Producer({"bootstrap.servers": bootstrap, "compression.type": "zstd"}) as p:
        for i in range(50):
            p.produce(topic, value=f"v{i}-\u00e9", key=f"k{i}", partition=1, headers=[("n", str(i)), ("empty", b""), ("null", None)])
        p.produce(topic, value=None, key=b"tombstone", partition=1)
        assert p.flush(30) == 0
    out = read_back(bootstrap, topic, fmt="%k|%s|%S|%h\\n", partition=1).decode("utf-8").splitlines()
    assert len(out) == 51
    assert out[7] == "k7|v7-\u00e9|%d|n=7,empty=,null=NULL" % len("v7-\u00e9".encode())
    assert out[50] == "tombstone||-1|"


@pytest.mark.skipif(KCAT is None, reason="kcat is not installed")
def test_hundred_thousand_round_trip_count(bootstrap, topic):
    with Producer({"bootstrap.servers": bootstrap}) as p:
        for i in range(100_000):
            while True:
                try:
                    p.produce(topic, value=b"%d" % i, key=b"%d" % (i % 100))
                    break
                except BufferError:
                    p.poll(0.05)
        assert p.flush(120) == 0
    lines = read_back(bootstrap, topic, fmt="%k|%s\\n").splitlines()
    assert len(lines) == 100_000
    values = {int(line.split(b"|")[1]) for line in lines}
    assert values == set(range(100_000))
    # the same key always lands on the same partition
    parts = {}
    for line in read_back(bootstrap, topic, fmt="%k|%p\\n").splitlines():
        k, part = line.split(b"|")
        assert parts.setdefault(k, part) == part
