"""Consumer: confluent_kafka.Consumer's interface over libsamsa's consumer functions.

    from samsa import Consumer, TopicPartition, OFFSET_BEGINNING
    with Consumer({"bootstrap.servers": "localhost:9092", "group.id": "g", "auto.offset.reset": "earliest"}) as c:
        c.subscribe(["topic"])             # or c.assign([TopicPartition("topic", 0, OFFSET_BEGINNING)])
        msg = c.poll(1.0)                  # None on timeout
        if msg is not None and msg.error() is None:
            print(msg.value())
        c.commit()

With a libsamsa that does not export the consumer functions, creating a Consumer raises
KafkaException(_NOT_IMPLEMENTED).
"""
from __future__ import annotations

import ctypes
import logging
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import _lib
from ._callbacks import CallbackHost
from ._config import install_oauth_cb, make_conf
from ._errors import KafkaError, KafkaException, raise_for
from ._lib import lib
from .message import Message

OFFSET_BEGINNING = -2
OFFSET_END = -1
OFFSET_STORED = -1000
OFFSET_INVALID = -1001


class TopicPartition:
    """A partition of a topic, with an offset (confluent_kafka.TopicPartition's shape)."""

    def __init__(self, topic: str, partition: int = -1, offset: int = OFFSET_INVALID) -> None:
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.error: Optional[KafkaError] = None

    def __repr__(self) -> str:
        return f"TopicPartition{{topic={self.topic},partition={self.partition},offset={self.offset}}}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TopicPartition) and (self.topic, self.partition) == (other.topic, other.partition)

    def __hash__(self) -> int:
        return hash((self.topic, self.partition))


class Consumer(CallbackHost):
    """A consumer: ``Consumer({"bootstrap.servers": ..., "group.id": ...})``; subscribe or assign, then poll.

    Besides librdkafka/Java property names the config takes ``on_assign``, ``on_revoke``, ``on_lost``
    (``callback(consumer, [TopicPartition])``, called inside :meth:`poll` or :meth:`close` on the calling thread;
    the consumer applies the change itself, the callback may commit) and ``logger`` (a logging.Logger).
    An exception raised by a callback comes out of the call that ran it. Use one consumer from one thread.
    """

    def __init__(self, config: Dict[str, Any]) -> None:
        self._handle: Optional[int] = None
        self._closing = False
        if not _lib.HAS_CONSUMER:
            raise KafkaException(KafkaError(KafkaError._NOT_IMPLEMENTED, "this libsamsa has no consumer functions yet"))
        conf, extras = make_conf(config)
        self._on_assign: Optional[Callable[..., None]] = extras.get("on_assign")
        self._on_revoke: Optional[Callable[..., None]] = extras.get("on_revoke")
        self._on_lost: Optional[Callable[..., None]] = extras.get("on_lost")
        self._callback_error: Optional[BaseException] = None
        self._logger: Optional[logging.Logger] = extras.get("logger")
        # Keep the trampolines alive as long as the consumer: the library holds their addresses.
        self._rebalance_cb = _lib.REBALANCE_CB(self._on_rebalance)
        self._log_cb = _lib.LOG_CB(self._on_log)
        lib.samsa_conf_set_rebalance_cb(conf, self._rebalance_cb, None)
        if self._logger is not None:
            lib.samsa_conf_set_log_cb(conf, self._log_cb, None)
        self._oauth_cb = install_oauth_cb(conf, extras["oauth_cb"]) if extras.get("oauth_cb") is not None else None
        errstr = ctypes.create_string_buffer(512)
        handle = lib.samsa_consumer_new(conf, errstr, len(errstr))
        if not handle:
            lib.samsa_conf_destroy(conf)
            raise KafkaException(KafkaError(KafkaError._INVALID_ARG, errstr.value.decode("utf-8", "replace")))
        self._handle = handle

    def subscribe(self, topics: Sequence[str], on_assign: Optional[Callable[..., None]] = None,
                  on_revoke: Optional[Callable[..., None]] = None, on_lost: Optional[Callable[..., None]] = None) -> None:
        self._on_assign = on_assign or self._on_assign
        self._on_revoke = on_revoke or self._on_revoke
        self._on_lost = on_lost or self._on_lost
        if isinstance(topics, (str, bytes)):
            raise TypeError("subscribe takes a list of topic names")
        names = [t.encode("utf-8") for t in topics]
        array = (ctypes.c_char_p * len(names))(*names)
        raise_for(lib.samsa_consumer_subscribe(self._live(), array, len(names)), _lib.last_errstr())

    def unsubscribe(self) -> None:
        """Drops the subscription (on_revoke runs)."""
        raise_for(lib.samsa_consumer_unsubscribe(self._live()), _lib.last_errstr())

    def assign(self, partitions: List[TopicPartition]) -> None:
        """Reads exactly these partitions (no group assignment), each from its offset: an offset, OFFSET_BEGINNING,
        OFFSET_END, or OFFSET_STORED/OFFSET_INVALID (the committed offset, else auto.offset.reset). [] unassigns."""
        array, _keep = _array(partitions)
        raise_for(lib.samsa_consumer_assign(self._live(), array, len(partitions)), _lib.last_errstr())

    def unassign(self) -> None:
        raise_for(lib.samsa_consumer_assign(self._live(), None, 0), _lib.last_errstr())

    def seek(self, partition: TopicPartition) -> None:
        """Moves an assigned partition's position to partition.offset (or OFFSET_BEGINNING / OFFSET_END)."""
        raise_for(lib.samsa_consumer_seek(self._live(), partition.topic.encode("utf-8"), partition.partition, partition.offset),
                  _lib.last_errstr())

    def pause(self, partitions: List[TopicPartition]) -> None:
        array, _keep = _array(partitions)
        raise_for(lib.samsa_consumer_pause(self._live(), array, len(partitions)), _lib.last_errstr())

    def resume(self, partitions: List[TopicPartition]) -> None:
        array, _keep = _array(partitions)
        raise_for(lib.samsa_consumer_resume(self._live(), array, len(partitions)), _lib.last_errstr())

    def position(self, partitions: List[TopicPartition]) -> List[TopicPartition]:
        """The partitions with offset set to their position (the next offset poll returns; OFFSET_INVALID if unknown)."""
        array, _keep = _array(partitions)
        raise_for(lib.samsa_consumer_position(self._live(), array, len(partitions)), _lib.last_errstr())
        return _results(partitions, array)

    def committed(self, partitions: List[TopicPartition], timeout: Optional[float] = None) -> List[TopicPartition]:
        """The partitions with offset set to the group's committed offset (OFFSET_INVALID when none)."""
        array, _keep = _array(partitions)
        raise_for(lib.samsa_consumer_committed(self._live(), array, len(partitions), _lib.timeout_ms(timeout)), _lib.last_errstr())
        return _results(partitions, array)

    def poll(self, timeout: Optional[float] = None) -> Optional[Message]:
        """The next message (or an error event as a Message whose error() is set), or None on timeout."""
        ptr = lib.samsa_consumer_poll(self._live(), _lib.timeout_ms(timeout))
        try:
            self._reraise()
            if not ptr:
                return None
            m = ptr.contents
            key = ctypes.string_at(m.key, m.key_len) if m.key else None
            value = ctypes.string_at(m.value, m.value_len) if m.value else None
            headers = None
            if m.header_cnt:
                headers = []
                for i in range(m.header_cnt):
                    h = m.headers[i]
                    headers.append((h.name.decode("utf-8"), ctypes.string_at(h.value, h.value_len) if h.value else None))
            error = KafkaError(m.err, m.errstr.decode("utf-8", "replace") if m.errstr else None) if m.err else None
            return Message(m.topic.decode("utf-8") if m.topic else None, m.partition, m.offset, key, value, headers,
                           (m.timestamp_type, m.timestamp), error, m.leader_epoch if m.leader_epoch >= 0 else None)
        finally:
            if ptr:
                lib.samsa_message_destroy(ptr)

    def consume(self, num_messages: int = 1, timeout: Optional[float] = None) -> List[Message]:
        """Up to *num_messages* messages (error events included), waiting up to *timeout* seconds in all."""
        if num_messages < 1:
            raise ValueError("num_messages must be at least 1")
        deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout
        out: List[Message] = []
        while len(out) < num_messages:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            m = self.poll(left)
            if m is None:
                break
            out.append(m)
        return out

    def commit(self, asynchronous: bool = False) -> None:
        """Commits the positions of what was polled. With asynchronous=True a failure comes later, from poll(),
        as a Message whose error() is set."""
        raise_for(lib.samsa_consumer_commit(self._live(), 1 if asynchronous else 0), _lib.last_errstr())

    def close(self) -> None:
        """Revokes the assignment (on_revoke runs), leaves the group and frees the consumer. Calling it again is harmless."""
        if self._handle is None or self._closing:
            return
        self._closing = True
        handle = self._handle
        try:
            err = lib.samsa_consumer_close(handle)  # on_revoke may still commit through this object
        finally:
            self._handle = None
            lib.samsa_consumer_destroy(handle)
        self._reraise()
        raise_for(err, _lib.last_errstr())

    def __enter__(self) -> "Consumer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_handle", None) is not None:
            try:
                self.close()
            except Exception:  # noqa: BLE001 - nothing to report to during garbage collection
                pass

    def _on_rebalance(self, _consumer, event: int, parts, count: int, _opaque) -> None:
        try:
            partitions = [TopicPartition(parts[i].topic.decode("utf-8"), parts[i].partition, parts[i].offset) for i in range(count)]
            cb = {1: self._on_assign, 2: self._on_revoke, 3: self._on_lost}.get(event)
            if cb is not None:
                cb(self, partitions)
        except BaseException as e:  # noqa: BLE001 - re-raised from poll()
            if self._callback_error is None:
                self._callback_error = e

    def _live(self) -> int:
        if self._handle is None:
            raise KafkaException(KafkaError(KafkaError._STATE, "the consumer is closed"))
        return self._handle


def _array(partitions: List[TopicPartition]) -> Tuple[Any, List[bytes]]:
    """A samsa_topic_partition_t array for *partitions*, and the encoded names it points to (keep them alive)."""
    keep = [p.topic.encode("utf-8") for p in partitions]
    array = (_lib.samsa_topic_partition_t * len(partitions))()
    for i, p in enumerate(partitions):
        array[i].topic = keep[i]
        array[i].partition = p.partition
        array[i].offset = p.offset
    return array, keep


def _results(partitions: List[TopicPartition], array: Any) -> List[TopicPartition]:
    out = []
    for i, p in enumerate(partitions):
        tp = TopicPartition(p.topic, p.partition, array[i].offset)
        if array[i].err:
            tp.error = KafkaError(array[i].err)
        out.append(tp)
    return out
