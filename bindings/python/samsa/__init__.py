"""samsa: Python bindings for libsamsa (pure ctypes), shaped like confluent-kafka-python.

    from samsa import Producer
    with Producer({"bootstrap.servers": "localhost:9092"}) as p:
        p.produce("topic", value=b"hello", key="k", on_delivery=lambda err, msg: print(err, msg))
        p.flush()
"""
from ._errors import KafkaError, KafkaException
from .admin import AdminClient, AdminException, GroupListing, ListGroupsException
from ._lib import HAS_CONSUMER as _HAS_CONSUMER
from ._lib import lib as _native
from .consumer import OFFSET_BEGINNING, OFFSET_END, OFFSET_INVALID, OFFSET_STORED, Consumer, TopicPartition
from .message import TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME, TIMESTAMP_NOT_AVAILABLE, Message
from .producer import Producer

__all__ = [
    "AdminClient", "AdminException", "GroupListing", "ListGroupsException", "Consumer", "KafkaError", "KafkaException", "Message", "Producer", "TopicPartition",
    "OFFSET_BEGINNING", "OFFSET_END", "OFFSET_INVALID", "OFFSET_STORED",
    "TIMESTAMP_CREATE_TIME", "TIMESTAMP_LOG_APPEND_TIME", "TIMESTAMP_NOT_AVAILABLE", "version",
]


def version() -> str:
    """libsamsa's version."""
    return _native.samsa_version().decode("utf-8")
