"""KafkaError (an error code with its name and description) and KafkaException (raised, carrying one)."""
from __future__ import annotations

from typing import Optional

from ._lib import lib


class KafkaError:
    """An error: Kafka's code (positive), or a local one (negative, numbered as librdkafka's).

    Every code is also a class attribute by its name: ``KafkaError._MSG_TIMED_OUT``,
    ``KafkaError.MESSAGE_TOO_LARGE`` (local names start with an underscore, as in confluent-kafka).
    """

    def __init__(self, code: int, reason: Optional[str] = None) -> None:
        self._code = int(code)
        self._reason = reason

    def code(self) -> int:
        return self._code

    def name(self) -> str:
        return lib.samsa_err2name(self._code).decode("utf-8")

    def str(self) -> str:
        """The reason given when the error happened, else the code's description."""
        return self._reason or lib.samsa_err2str(self._code).decode("utf-8")

    def __str__(self) -> str:
        return self.str()

    def __repr__(self) -> str:
        return f"KafkaError{{code={self.name()},val={self._code},str=\"{self.str()}\"}}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, KafkaError):
            return self._code == other._code
        if isinstance(other, int):
            return self._code == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._code)


def _name_codes() -> None:
    for code in range(-200, 200):
        name = lib.samsa_err2name(code).decode("utf-8")
        if name != "UNKNOWN":
            setattr(KafkaError, name, code)


_name_codes()


class KafkaException(Exception):
    """Raised by the bindings; ``args[0]`` (and ``.error``) is the KafkaError."""

    def __init__(self, error: KafkaError) -> None:
        super().__init__(error)
        self.error = error

    @property
    def code(self) -> int:
        return self.error.code()

    def __str__(self) -> str:
        return f"{self.error.name()}: {self.error.str()}"


def raise_for(code: int, reason: Optional[str]) -> None:
    if code != 0:
        raise KafkaException(KafkaError(code, reason))
