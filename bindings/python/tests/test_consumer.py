"""The consumer against the embedded test cluster: round trips through libsamsa alone, 100,000 messages,
groups with rebalance callbacks and commits, error events and bad input."""
import threading
import time

import pytest

from samsa import (OFFSET_BEGINNING, OFFSET_INVALID, Consumer, KafkaError, KafkaException, Producer, TIMESTAMP_CREATE_TIME,
                   TopicPartition)


def produce(bootstrap, topic, count, partitions, reports=None, value=lambda i: f"value-{i}".encode()):
    def on_delivery(err, msg):
        if reports is not None:
            reports.append((err, msg))
    with Producer({"bootstrap.servers": bootstrap, "linger.ms": 20}) as p:
        for i in range(count):
            while True:
                try:
                    p.produce(topic, value=value(i), key=f"k{i}", partition=i % partitions,
                              headers=[("idx", str(i).encode())], on_delivery=on_delivery)
                    break
                except BufferError:
                    p.poll(0.05)
            if i % 1000 == 0:
                p.poll(0)
        assert p.flush(120) == 0


def consume_all(consumer, expected, deadline_s=120):
    """Polls until *expected* messages (error events are collected apart)."""
    got, errors = [], []
    deadline = time.time() + deadline_s
    while len(got) < expected and time.time() < deadline:
        m = consumer.poll(1.0)
        if m is None:
            continue
        (errors if m.error() is not None else got).append(m)
    return got, errors


def group_config(bootstrap, group, **extra):
    config = {"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
              "enable.auto.commit": False,
              # the mock rebalances after a member left only after the session timeout less 1 s: keep it short
              "session.timeout.ms": 6000}
    config.update(extra)
    return config


def test_round_trip_with_assign(bootstrap, topic):
    reports = []
    produce(bootstrap, topic, 30, 3, reports)
    assert len(reports) == 30 and all(err is None for err, _ in reports)
    delivered = {m.key(): (m.partition(), m.offset()) for _, m in reports}
    with Consumer({"bootstrap.servers": bootstrap}) as c:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(3)])
        got, errors = consume_all(c, 30)
    assert errors == []
    assert len(got) == 30
    for m in got:
        i = int(m.key()[1:])
        assert m.topic() == topic
        assert m.value() == f"value-{i}".encode()
        assert m.headers() == [("idx", str(i).encode())]
        assert (m.partition(), m.offset()) == delivered[m.key()]  # where the delivery callback said it went
        ts_type, ts = m.timestamp()
        assert ts_type == TIMESTAMP_CREATE_TIME and ts > 0
        assert m.error() is None and len(m) == len(m.value())


def test_partition_eof_is_an_error_event(bootstrap, topic):
    produce(bootstrap, topic, 3, 3)
    with Consumer({"bootstrap.servers": bootstrap, "enable.partition.eof": True}) as c:
        c.assign([TopicPartition(topic, 1, OFFSET_BEGINNING)])
        got, errors = [], []
        deadline = time.time() + 60
        while not errors and time.time() < deadline:
            m = c.poll(1.0)
            if m is not None:
                (errors if m.error() is not None else got).append(m)
    assert [m.offset() for m in got] == [0]
    assert errors and errors[0].error().code() == KafkaError._PARTITION_EOF
    assert errors[0].topic() == topic and errors[0].partition() == 1 and errors[0].offset() == 1


def test_100000_messages(bootstrap, cluster):
    topic = "py-consumer-100k"
    partitions = 8  # ~1.4 MB each: well within the mock's ~5 MB per partition
    cluster.create_topic(topic, partitions)
    count = 100_000
    reports = []
    started = time.time()
    produce(bootstrap, topic, count, partitions, reports, value=lambda i: b"%08d" % i + b"." * 100)
    assert len(reports) == count and all(err is None for err, _ in reports)
    seen = bytearray(count)
    with Consumer({"bootstrap.servers": bootstrap}) as c:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
        received, duplicates, bad = 0, 0, 0
        deadline = time.time() + 300
        while received < count and time.time() < deadline:
            m = c.poll(1.0)
            if m is None:
                continue
            assert m.error() is None, m.error()
            v = m.value()
            i = int(v[:8])
            if len(v) != 108 or m.key() != f"k{i}".encode() or m.partition() != i % partitions:
                bad += 1
            if seen[i]:
                duplicates += 1
            seen[i] = 1
            received += 1
    assert received == count and duplicates == 0 and bad == 0
    assert all(seen)
    print(f"100,000 messages produced and consumed in {time.time() - started:.1f} s")


def test_group_subscribe_rebalance_callbacks_and_commit(bootstrap, cluster, topic):
    cluster.command("rebalance-delay 0")
    produce(bootstrap, topic, 60, 3)
    group = f"{topic}-group"
    events, threads = [], []

    def on_assign(consumer, partitions):
        events.append(("assign", sorted(p.partition for p in partitions)))
        threads.append(threading.get_ident())

    def on_revoke(consumer, partitions):
        events.append(("revoke", sorted(p.partition for p in partitions)))
        threads.append(threading.get_ident())
        consumer.commit()  # the consumer is usable inside the callback, also during close

    c = Consumer(group_config(bootstrap, group, on_assign=on_assign, on_revoke=on_revoke))
    c.subscribe([topic])
    got, errors = consume_all(c, 20, 90)
    assert errors == [] and len(got) == 20
    c.commit()
    c.close()
    c.close()  # harmless
    assert events == [("assign", [0, 1, 2]), ("revoke", [0, 1, 2])]
    assert set(threads) == {threading.get_ident()}

    # A new member resumes from what was committed: the other 40, none again.
    with Consumer(group_config(bootstrap, group)) as d:
        d.subscribe([topic])
        rest, errors = consume_all(d, 40, 90)
        assert errors == []
        extra = d.poll(1.0)
    assert extra is None
    first = {m.key() for m in got}
    second = {m.key() for m in rest}
    assert len(second) == 40 and not (first & second)
    assert first | second == {f"k{i}".encode() for i in range(60)}


def test_bad_config_property_is_named():
    with pytest.raises(KafkaException) as e:
        Consumer({"bootstrap.servers": "127.0.0.1:1", "no.such.property": 1})
    assert "no.such.property" in str(e.value)
    assert e.value.code == KafkaError._INVALID_ARG
    with pytest.raises(KafkaException) as e:
        Consumer({"group.id": "g"})
    assert "bootstrap.servers" in str(e.value)


def test_errors_after_close_and_bad_calls():
    c = Consumer({"bootstrap.servers": "127.0.0.1:1"})
    with pytest.raises(KafkaException) as e:
        c.subscribe(["t"])  # no group.id
    assert e.value.code == KafkaError._INVALID_ARG and "group.id" in str(e.value)
    with pytest.raises(TypeError):
        c.subscribe("t")
    with pytest.raises(KafkaException) as e:
        c.commit()
    assert e.value.code == KafkaError._INVALID_ARG
    assert c.poll(0.1) is None
    c.close()
    c.close()
    with pytest.raises(KafkaException) as e:
        c.poll(0)
    assert e.value.code == KafkaError._STATE
    with pytest.raises(KafkaException):
        c.assign([TopicPartition("t", 0)])


def test_context_manager_closes_and_callback_errors_surface(bootstrap, cluster, topic):
    cluster.command("rebalance-delay 0")
    produce(bootstrap, topic, 3, 3)

    def on_assign(consumer, partitions):
        raise RuntimeError("from on_assign")

    with Consumer(group_config(bootstrap, f"{topic}-g", on_assign=on_assign)) as c:
        c.subscribe([topic])
        with pytest.raises(RuntimeError, match="from on_assign"):
            deadline = time.time() + 60
            while time.time() < deadline:
                c.poll(0.5)
    assert c._handle is None


def test_seek_position_pause_resume_and_committed(bootstrap, cluster, topic):
    cluster.command("rebalance-delay 0")
    produce(bootstrap, topic, 30, 3)
    tp = [TopicPartition(topic, p) for p in range(3)]
    with Consumer(group_config(bootstrap, f"{topic}-pos")) as c:
        c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        got, _ = consume_all(c, 10)
        assert [m.offset() for m in got] == list(range(10))
        position = c.position(tp)
        assert position[0].offset == 10 and position[0].error is None
        assert position[1].error is not None and position[1].error.code() == KafkaError._STATE  # not assigned
        c.seek(TopicPartition(topic, 0, 3))
        assert c.poll(10).offset() == 3
        c.pause([TopicPartition(topic, 0)])
        c.resume([TopicPartition(topic, 0)])
        assert c.poll(10).offset() == 4
        c.commit()
        committed = c.committed(tp, 30)
        assert [p.offset for p in committed] == [5, OFFSET_INVALID, OFFSET_INVALID]
        c.unassign()
        assert c.poll(0.5) is None
