"""Producer: confluent_kafka.Producer's interface over libsamsa."""
from __future__ import annotations

import ctypes
import itertools
import logging
import threading
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _lib
from ._callbacks import CallbackHost
from ._config import install_oauth_cb, make_conf
from ._errors import KafkaError, KafkaException
from ._lib import lib, to_bytes
from .message import Message

DeliveryCallback = Callable[[Optional[KafkaError], Message], None]
HeadersArg = Union[Dict[str, Any], Sequence[Tuple[str, Any]], None]

_QUEUE_FULL = -184


class Producer(CallbackHost):
    """An asynchronous producer.

    ``Producer({"bootstrap.servers": "host:9092", ...})`` takes librdkafka/Java property names, plus
    ``on_delivery`` (a default delivery callback) and ``logger`` (a logging.Logger for the client's log).
    Delivery callbacks run inside :meth:`poll` and :meth:`flush`, on the calling thread; an exception raised
    by one comes out of that call.
    """

    def __init__(self, config: Dict[str, Any]) -> None:
        self._handle: Optional[int] = None
        conf, extras = make_conf(config)
        self._default_callback: Optional[DeliveryCallback] = extras.get("on_delivery")
        self._logger: Optional[logging.Logger] = extras.get("logger")
        self._pending: Dict[int, Tuple[Optional[DeliveryCallback], Optional[bytes], Optional[bytes]]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._callback_error: Optional[BaseException] = None
        # Keep the trampolines alive as long as the producer: the library holds their addresses.
        self._delivery_cb = _lib.DELIVERY_CB(self._on_delivery)
        self._log_cb = _lib.LOG_CB(self._on_log)
        lib.samsa_conf_set_delivery_cb(conf, self._delivery_cb, None)
        if self._logger is not None:
            lib.samsa_conf_set_log_cb(conf, self._log_cb, None)
        self._oauth_cb = install_oauth_cb(conf, extras["oauth_cb"]) if extras.get("oauth_cb") is not None else None
        errstr = ctypes.create_string_buffer(512)
        handle = lib.samsa_producer_new(conf, errstr, len(errstr))
        if not handle:
            lib.samsa_conf_destroy(conf)
            raise KafkaException(KafkaError(KafkaError._INVALID_ARG, errstr.value.decode("utf-8", "replace")))
        self._handle = handle

    # --- producing -----------------------------------------------------------------------------------------

    def produce(self, topic: str, value: Any = None, key: Any = None, partition: int = -1,
                on_delivery: Optional[DeliveryCallback] = None, headers: HeadersArg = None,
                callback: Optional[DeliveryCallback] = None) -> None:
        """Queues a message. Raises BufferError when the queue is full (poll, then retry), KafkaException otherwise."""
        handle = self._live()
        if not isinstance(topic, str):
            raise TypeError("topic must be a str")
        value_b = to_bytes(value, "value")
        key_b = to_bytes(key, "key")
        cb = on_delivery or callback or self._default_callback
        msg_id = 0
        if cb is not None:
            msg_id = next(self._ids)
            with self._lock:
                self._pending[msg_id] = (cb, key_b, value_b)
        topic_b = topic.encode("utf-8")
        if headers:
            array, keep = _headers(headers)
            err = lib.samsa_produce_with_headers(handle, topic_b, partition, key_b, len(key_b) if key_b else 0,
                                                 value_b, len(value_b) if value_b else 0, array, len(keep), msg_id or None)
        else:
            err = lib.samsa_produce(handle, topic_b, partition, key_b, len(key_b) if key_b else 0,
                                    value_b, len(value_b) if value_b else 0, msg_id or None)
        if err != 0:
            reason = _lib.last_errstr()
            if msg_id:
                with self._lock:
                    self._pending.pop(msg_id, None)
            if err == _QUEUE_FULL:
                raise BufferError(reason)
            raise KafkaException(KafkaError(err, reason))

    def poll(self, timeout: Optional[float] = None) -> int:
        """Serves delivery (and log) callbacks, waiting up to *timeout* seconds (None: no limit) for the first."""
        served = lib.samsa_poll(self._live(), _lib.timeout_ms(timeout))
        self._reraise()
        if served < 0:
            raise KafkaException(KafkaError(served, _lib.last_errstr()))
        return served

    def flush(self, timeout: Optional[float] = None) -> int:
        """Waits until every message is delivered (serving callbacks); returns how many are still outstanding."""
        handle = self._live()
        lib.samsa_flush(handle, _lib.timeout_ms(timeout))
        self._reraise()
        return len(self)

    def __len__(self) -> int:
        if self._handle is None:
            return 0
        n = lib.samsa_outq_len(self._handle)
        return max(int(n), 0)

    # --- lifetime ------------------------------------------------------------------------------------------

    def close(self, timeout: Optional[float] = None) -> int:
        """Flushes (for up to *timeout* seconds, default no limit), then frees the producer. Calling it again is harmless."""
        if self._handle is None:
            return 0
        left = self.flush(timeout)
        handle, self._handle = self._handle, None
        lib.samsa_producer_destroy(handle)
        return left

    def __enter__(self) -> "Producer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is not None:
            self._handle = None
            lib.samsa_producer_destroy(handle)

    # --- callbacks (run inside samsa_poll / samsa_flush on this thread) -------------------------------------

    def _on_delivery(self, report_ptr, _opaque) -> None:
        try:
            r = report_ptr.contents
            msg_id = r.msg_opaque or 0
            if not msg_id:
                return
            with self._lock:
                entry = self._pending.pop(msg_id, None)
            if entry is None:
                return
            cb, key_b, value_b = entry
            error = KafkaError(r.err, r.errstr.decode("utf-8", "replace") if r.errstr else None) if r.err else None
            msg = Message(r.topic.decode("utf-8") if r.topic else None, r.partition, r.offset, key_b, value_b,
                          None, (r.timestamp_type, r.timestamp), error)
            if cb is not None:
                cb(error, msg)
        except BaseException as e:  # noqa: BLE001 - re-raised from poll()/flush(), never lost in ctypes
            if self._callback_error is None:
                self._callback_error = e

    def _live(self) -> int:
        if self._handle is None:
            raise KafkaException(KafkaError(KafkaError._DESTROY, "the producer is closed"))
        return self._handle


def _headers(headers: HeadersArg) -> Tuple[Any, List[Tuple[bytes, Optional[bytes]]]]:
    items = headers.items() if isinstance(headers, dict) else headers
    keep: List[Tuple[bytes, Optional[bytes]]] = []
    for name, value in items:  # type: ignore[union-attr]
        if not isinstance(name, str):
            raise TypeError("header names must be str")
        keep.append((name.encode("utf-8"), to_bytes(value, "header value")))
    array = (_lib.samsa_header_t * len(keep))()
    for i, (name_b, value_b) in enumerate(keep):
        array[i].name = name_b
        array[i].value = ctypes.cast(ctypes.c_char_p(value_b), ctypes.c_void_p) if value_b is not None else None
        array[i].value_len = len(value_b) if value_b is not None else 0
    return array, keep
