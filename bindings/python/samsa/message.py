"""Message: what a consumer returns and a delivery callback receives (confluent-kafka's shape)."""
from __future__ import annotations

from typing import List, Optional, Tuple, Union

from ._errors import KafkaError

Headers = List[Tuple[str, Optional[bytes]]]

TIMESTAMP_NOT_AVAILABLE = 0
TIMESTAMP_CREATE_TIME = 1
TIMESTAMP_LOG_APPEND_TIME = 2


class Message:
    """A Kafka message (read-only accessors, as confluent_kafka.Message)."""

    __slots__ = ("_topic", "_partition", "_offset", "_key", "_value", "_headers", "_timestamp", "_error", "_leader_epoch")

    def __init__(self, topic: Optional[str], partition: int, offset: int, key: Optional[bytes], value: Optional[bytes],
                 headers: Optional[Headers] = None, timestamp: Tuple[int, int] = (TIMESTAMP_NOT_AVAILABLE, 0),
                 error: Optional[KafkaError] = None, leader_epoch: Optional[int] = None) -> None:
        self._topic = topic
        self._partition = partition
        self._offset = offset
        self._key = key
        self._value = value
        self._headers = headers
        self._timestamp = timestamp
        self._error = error
        self._leader_epoch = leader_epoch

    def topic(self) -> Optional[str]:
        return self._topic

    def partition(self) -> int:
        return self._partition

    def offset(self) -> int:
        return self._offset

    def key(self) -> Optional[Union[bytes, str]]:
        return self._key

    def value(self) -> Optional[Union[bytes, str]]:
        return self._value

    def headers(self) -> Optional[Headers]:
        """The headers as a list of (name, value) tuples, or None when there are none."""
        return self._headers

    def timestamp(self) -> Tuple[int, int]:
        """(timestamp type, ms since the epoch): type is TIMESTAMP_NOT_AVAILABLE, _CREATE_TIME or _LOG_APPEND_TIME."""
        return self._timestamp

    def error(self) -> Optional[KafkaError]:
        return self._error

    def leader_epoch(self) -> Optional[int]:
        return self._leader_epoch

    def __len__(self) -> int:
        return len(self._value) if self._value is not None else 0

    def __repr__(self) -> str:
        return f"Message(topic={self._topic!r}, partition={self._partition}, offset={self._offset}, error={self._error!r})"
