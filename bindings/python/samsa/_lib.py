"""Loads libsamsa.so and declares the C functions (ctypes; no compiler involved).

The library is looked for in $SAMSA_LIBRARY, then next to this package (samsa/libsamsa.so), then wherever the
system loader finds libsamsa.so (an installed library).
"""
from __future__ import annotations

import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int32, c_int64, c_size_t, c_void_p)
from pathlib import Path
from typing import Optional


class samsa_delivery_t(Structure):
    _fields_ = [
        ("err", c_int),
        ("partition", c_int32),
        ("topic", c_char_p),
        ("offset", c_int64),
        ("timestamp", c_int64),
        ("timestamp_type", c_int),
        ("status", c_int),
        ("errstr", c_char_p),
        ("msg_opaque", c_void_p),
    ]


class samsa_header_t(Structure):
    _fields_ = [("name", c_char_p), ("value", c_void_p), ("value_len", c_size_t)]


class samsa_message_t(Structure):
    _fields_ = [
        ("err", c_int),
        ("partition", c_int32),
        ("topic", c_char_p),
        ("offset", c_int64),
        ("timestamp", c_int64),
        ("timestamp_type", c_int),
        ("leader_epoch", c_int32),
        ("key", c_void_p),
        ("key_len", c_size_t),
        ("value", c_void_p),
        ("value_len", c_size_t),
        ("headers", POINTER(samsa_header_t)),
        ("header_cnt", c_size_t),
        ("errstr", c_char_p),
        ("reserved", c_void_p),
    ]


class samsa_topic_partition_t(Structure):
    _fields_ = [("topic", c_char_p), ("partition", c_int32), ("offset", c_int64), ("err", c_int)]


DELIVERY_CB = CFUNCTYPE(None, POINTER(samsa_delivery_t), c_void_p)
LOG_CB = CFUNCTYPE(None, c_int, c_char_p, c_char_p, c_void_p)
REBALANCE_CB = CFUNCTYPE(None, c_void_p, c_int, POINTER(samsa_topic_partition_t), c_size_t, c_void_p)
OAUTHBEARER_CB = CFUNCTYPE(None, c_void_p, c_char_p, c_void_p)
TOPIC_CB = CFUNCTYPE(None, c_char_p, c_int, c_void_p)
GROUP_CB = CFUNCTYPE(None, c_char_p, c_char_p, c_char_p, c_int32, c_void_p)


def _find() -> str:
    explicit = os.environ.get("SAMSA_LIBRARY")
    if explicit:
        if not Path(explicit).is_file():
            raise ImportError(f"SAMSA_LIBRARY names {explicit!r}, which does not exist")
        return explicit
    beside = Path(__file__).resolve().parent / "libsamsa.so"
    if beside.is_file():
        return str(beside)
    return "libsamsa.so"


def _load() -> ctypes.CDLL:
    path = _find()
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(
            f"libsamsa could not be loaded ({e}). Set SAMSA_LIBRARY to the path of libsamsa.so, copy it next to "
            f"the samsa package, or install it where the system loader finds it.") from e

    def fn(name: str, restype, *argtypes):
        f = getattr(lib, name, None)
        if f is not None:
            f.restype = restype
            f.argtypes = list(argtypes)
        return f

    fn("samsa_version", c_char_p)
    fn("samsa_err2str", c_char_p, c_int)
    fn("samsa_err2name", c_char_p, c_int)
    fn("samsa_last_errstr", c_char_p)
    fn("samsa_conf_new", c_void_p)
    fn("samsa_conf_set", c_int, c_void_p, c_char_p, c_char_p, c_char_p, c_size_t)
    fn("samsa_conf_get", c_int, c_void_p, c_char_p, c_char_p, POINTER(c_size_t))
    fn("samsa_conf_dup", c_void_p, c_void_p)
    fn("samsa_conf_destroy", None, c_void_p)
    fn("samsa_conf_set_delivery_cb", c_int, c_void_p, DELIVERY_CB, c_void_p)
    fn("samsa_conf_set_log_cb", c_int, c_void_p, LOG_CB, c_void_p)
    fn("samsa_conf_set_rebalance_cb", c_int, c_void_p, REBALANCE_CB, c_void_p)
    fn("samsa_conf_set_oauthbearer_token_refresh_cb", c_int, c_void_p, OAUTHBEARER_CB, c_void_p)
    fn("samsa_oauthbearer_set_token", c_int, c_void_p, c_char_p, c_int64, c_char_p, POINTER(c_char_p), c_size_t,
       c_char_p, c_size_t)
    fn("samsa_oauthbearer_set_token_failure", c_int, c_void_p, c_char_p)
    fn("samsa_producer_new", c_void_p, c_void_p, c_char_p, c_size_t)
    fn("samsa_produce", c_int, c_void_p, c_char_p, c_int32, c_char_p, c_size_t, c_char_p, c_size_t, c_void_p)
    fn("samsa_produce_with_headers", c_int, c_void_p, c_char_p, c_int32, c_char_p, c_size_t, c_char_p, c_size_t,
       POINTER(samsa_header_t), c_size_t, c_void_p)
    fn("samsa_poll", c_int, c_void_p, c_int)
    fn("samsa_flush", c_int, c_void_p, c_int)
    fn("samsa_outq_len", c_int64, c_void_p)
    fn("samsa_producer_destroy", None, c_void_p)
    # The consumer (present once libsamsa has it).
    fn("samsa_consumer_new", c_void_p, c_void_p, c_char_p, c_size_t)
    fn("samsa_consumer_subscribe", c_int, c_void_p, POINTER(c_char_p), c_size_t)
    fn("samsa_consumer_assign", c_int, c_void_p, POINTER(samsa_topic_partition_t), c_size_t)
    fn("samsa_consumer_poll", POINTER(samsa_message_t), c_void_p, c_int)
    fn("samsa_message_destroy", None, POINTER(samsa_message_t))
    fn("samsa_consumer_commit", c_int, c_void_p, c_int)
    fn("samsa_consumer_close", c_int, c_void_p)
    fn("samsa_consumer_destroy", None, c_void_p)
    fn("samsa_consumer_unsubscribe", c_int, c_void_p)
    fn("samsa_consumer_seek", c_int, c_void_p, c_char_p, c_int32, c_int64)
    fn("samsa_consumer_pause", c_int, c_void_p, POINTER(samsa_topic_partition_t), c_size_t)
    fn("samsa_consumer_resume", c_int, c_void_p, POINTER(samsa_topic_partition_t), c_size_t)
    fn("samsa_consumer_position", c_int, c_void_p, POINTER(samsa_topic_partition_t), c_size_t)
    fn("samsa_consumer_committed", c_int, c_void_p, POINTER(samsa_topic_partition_t), c_size_t, c_int)
    # The admin client.
    fn("samsa_admin_new", c_void_p, c_void_p, c_char_p, c_size_t)
    fn("samsa_admin_create_topics", c_int, c_void_p, POINTER(c_char_p), c_size_t, c_int32, c_int32, c_int32, POINTER(c_int32))
    fn("samsa_admin_delete_topics", c_int, c_void_p, POINTER(c_char_p), c_size_t, c_int32, POINTER(c_int32))
    fn("samsa_admin_list_topics", c_int, c_void_p, c_int32, TOPIC_CB, c_void_p)
    fn("samsa_admin_list_groups", c_int, c_void_p, c_int32, GROUP_CB, c_void_p)
    fn("samsa_admin_destroy", None, c_void_p)
    return lib


lib = _load()
HAS_CONSUMER = getattr(lib, "samsa_consumer_new", None) is not None


def last_errstr() -> str:
    return (lib.samsa_last_errstr() or b"").decode("utf-8", "replace")


def timeout_ms(timeout: Optional[float]) -> int:
    """Seconds (None or negative: no limit) to the C API's milliseconds (-1: no limit)."""
    if timeout is None or timeout < 0:
        return -1
    return min(int(timeout * 1000), 2**31 - 1)


def to_bytes(value, what: str) -> Optional[bytes]:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be str, bytes or None, not {type(value).__name__}")
