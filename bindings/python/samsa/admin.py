"""AdminClient: topic creation and deletion, topic and group listings over libsamsa (blocking calls)."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, List, NamedTuple, Optional, Sequence

from . import _lib
from ._config import make_conf
from ._errors import KafkaError, KafkaException
from ._lib import lib


class GroupListing(NamedTuple):
    """A consumer group as its coordinator listed it (state is "" for brokers before Kafka 2.6)."""
    group_id: str
    state: str
    protocol_type: str
    coordinator_id: int


class AdminException(KafkaException):
    """Raised when some items failed; ``results`` maps every item to None (success) or its KafkaError."""

    def __init__(self, error: KafkaError, results: Dict[str, Optional[KafkaError]]) -> None:
        super().__init__(error)
        self.results = results


class ListGroupsException(KafkaException):
    """Raised when some brokers could not list their groups; ``groups`` holds the other brokers' groups."""

    def __init__(self, error: KafkaError, groups: List[GroupListing]) -> None:
        super().__init__(error)
        self.groups = groups


def _milliseconds(timeout: Optional[float]) -> int:
    return 0 if timeout is None or timeout < 0 else max(1, _lib.timeout_ms(timeout))


class AdminClient:
    """``AdminClient({"bootstrap.servers": "host:9092", ...})``; every call blocks until the cluster answered.

    Operations on several topics return normally only when every topic succeeded; otherwise they raise
    :class:`AdminException` whose ``results`` says, per topic, None or the KafkaError.
    """

    def __init__(self, config: Dict[str, Any]) -> None:
        self._handle: Optional[int] = None
        conf, _ = make_conf(config)
        errstr = ctypes.create_string_buffer(512)
        handle = lib.samsa_admin_new(conf, errstr, len(errstr))
        if not handle:
            lib.samsa_conf_destroy(conf)
            raise KafkaException(KafkaError(KafkaError._INVALID_ARG, errstr.value.decode("utf-8", "replace")))
        self._handle = handle

    def create_topics(self, topics: Sequence[str], num_partitions: int = -1, replication_factor: int = -1,
                      timeout: Optional[float] = None) -> None:
        """Creates the topics (-1: the broker's default partition count or replication factor)."""
        names = self._names(topics)
        errors = (ctypes.c_int32 * len(names))()
        err = lib.samsa_admin_create_topics(self._live(), self._array(names), len(names), num_partitions,
                                            replication_factor, _milliseconds(timeout), errors)
        self._check(err, names, errors)

    def delete_topics(self, topics: Sequence[str], timeout: Optional[float] = None) -> None:
        """Deletes the topics."""
        names = self._names(topics)
        errors = (ctypes.c_int32 * len(names))()
        err = lib.samsa_admin_delete_topics(self._live(), self._array(names), len(names), _milliseconds(timeout), errors)
        self._check(err, names, errors)

    def list_topics(self, timeout: Optional[float] = None, include_internal: bool = False) -> List[str]:
        """The cluster's topic names, sorted."""
        found: List[str] = []

        def on_topic(name: bytes, is_internal: int, _opaque) -> None:
            if include_internal or not is_internal:
                found.append(name.decode("utf-8"))

        cb = _lib.TOPIC_CB(on_topic)
        err = lib.samsa_admin_list_topics(self._live(), _milliseconds(timeout), cb, None)
        if err != 0:
            raise KafkaException(KafkaError(err, _lib.last_errstr()))
        return found

    def list_groups(self, timeout: Optional[float] = None) -> List[GroupListing]:
        """Every consumer group of every broker, sorted by id."""
        found: List[GroupListing] = []

        def on_group(group_id: bytes, state: bytes, protocol_type: bytes, coordinator: int, _opaque) -> None:
            found.append(GroupListing(group_id.decode("utf-8"), state.decode("utf-8"), protocol_type.decode("utf-8"), coordinator))

        cb = _lib.GROUP_CB(on_group)
        err = lib.samsa_admin_list_groups(self._live(), _milliseconds(timeout), cb, None)
        if err != 0:
            raise ListGroupsException(KafkaError(err, _lib.last_errstr()), found)
        return found

    def close(self) -> None:
        """Frees the admin client; later calls raise. Closing twice is harmless."""
        if self._handle is not None:
            lib.samsa_admin_destroy(self._handle)
            self._handle = None

    def __enter__(self) -> "AdminClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def _live(self) -> int:
        if self._handle is None:
            raise KafkaException(KafkaError(KafkaError._INVALID_ARG, "the admin client is closed"))
        return self._handle

    @staticmethod
    def _names(topics: Sequence[str]) -> List[str]:
        if isinstance(topics, str) or not topics:
            raise TypeError("topics must be a non-empty list of str")
        for t in topics:
            if not isinstance(t, str):
                raise TypeError(f"topic names must be str, not {type(t).__name__}")
        return list(topics)

    @staticmethod
    def _array(names: List[str]):
        return (ctypes.c_char_p * len(names))(*(n.encode("utf-8") for n in names))

    @staticmethod
    def _check(err: int, names: List[str], errors) -> None:
        if err == 0:
            return
        reason = _lib.last_errstr()
        results = {n: (KafkaError(errors[i], reason) if errors[i] != 0 else None) for i, n in enumerate(names)}
        raise AdminException(KafkaError(err, reason), results)
