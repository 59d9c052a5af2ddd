"""Bad input: clear exceptions carrying the code, never a crash; closing twice is harmless."""
import pytest

import samsa
from samsa import KafkaError, KafkaException, Producer


def test_version_and_error_names():
    assert samsa.version()
    assert KafkaError._INVALID_ARG == -186
    assert KafkaError._MSG_TIMED_OUT == -192
    assert KafkaError.MESSAGE_TOO_LARGE == 10
    e = KafkaError(KafkaError._QUEUE_FULL)
    assert e.code() == -184 and e.name() == "_QUEUE_FULL" and "Queue full" in e.str()


def test_unknown_property_suggests_the_name():
    with pytest.raises(KafkaException) as info:
        Producer({"bootstrap.servers": "127.0.0.1:1", "linger.msec": 5})
    assert info.value.code == KafkaError._INVALID_ARG
    assert "linger.ms" in str(info.value)


def test_invalid_value_names_property_and_value():
    with pytest.raises(KafkaException) as info:
        Producer({"bootstrap.servers": "127.0.0.1:1", "acks": "sometimes"})
    assert "acks" in str(info.value) and "sometimes" in str(info.value)


def test_missing_bootstrap_servers():
    with pytest.raises(KafkaException) as info:
        Producer({})
    assert "bootstrap.servers" in str(info.value)


def test_config_must_be_a_dict():
    with pytest.raises(TypeError):
        Producer([("bootstrap.servers", "x")])  # type: ignore[arg-type]


def test_bad_produce_arguments():
    with Producer({"bootstrap.servers": "127.0.0.1:1", "message.timeout.ms": 1000}) as p:
        with pytest.raises(TypeError):
            p.produce("t", value=12345)
        with pytest.raises(TypeError):
            p.produce(None, value=b"x")  # type: ignore[arg-type]
        with pytest.raises(KafkaException) as info:
            p.produce("", value=b"x")
        assert info.value.code == KafkaError._INVALID_ARG
        with pytest.raises(KafkaException) as info:
            p.produce("t", value=b"x" * 2_000_000)
        assert info.value.code == KafkaError.MESSAGE_TOO_LARGE
        assert "message.max.bytes" in str(info.value)
        assert len(p) == 0


def test_queue_full_raises_buffer_error():
    p = Producer({"bootstrap.servers": "127.0.0.1:1", "queue.buffering.max.messages": 5, "message.timeout.ms": 1000})
    for _ in range(5):
        p.produce("t", value=b"x")
    with pytest.raises(BufferError):
        p.produce("t", value=b"x")
    assert len(p) == 5
    # nothing listens on port 1: the messages time out (message.timeout.ms), which empties the queue
    assert p.flush(10) == 0
    p.produce("t", value=b"x")  # room again
    p.close(0)
    assert len(p) == 0


def test_failed_delivery_reports_the_error():
    errors = []
    with Producer({"bootstrap.servers": "127.0.0.1:1", "message.timeout.ms": 1000}) as p:
        p.produce("t", value=b"x", key=b"k", on_delivery=lambda err, msg: errors.append((err, msg)))
        assert p.flush(10) == 0
    assert len(errors) == 1
    err, msg = errors[0]
    assert err is not None and err.code() == KafkaError._MSG_TIMED_OUT
    assert msg.error() == err and msg.key() == b"k" and msg.value() == b"x" and msg.topic() == "t"


def test_close_twice_and_use_after_close():
    p = Producer({"bootstrap.servers": "127.0.0.1:1"})
    assert p.close() == 0
    assert p.close() == 0
    assert len(p) == 0
    with pytest.raises(KafkaException) as info:
        p.produce("t", value=b"x")
    assert info.value.code == KafkaError._DESTROY
    with pytest.raises(KafkaException):
        p.poll(0)
