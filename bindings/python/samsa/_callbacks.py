"""What Producer and Consumer share for the callbacks libsamsa makes on the polling thread."""
from __future__ import annotations

import logging
from typing import Optional

from ._config import python_log_level


class CallbackHost:
    """Forwards library log lines to ``self._logger`` and keeps the first exception a callback raised, so that
    poll()/flush() can raise it (an exception must never unwind through ctypes into the library)."""

    _logger: Optional[logging.Logger]
    _callback_error: Optional[BaseException]

    def _on_log(self, level: int, fac, msg, _opaque) -> None:
        if self._logger is not None:
            self._logger.log(python_log_level(level), "%s: %s", (fac or b"").decode("utf-8", "replace"),
                             (msg or b"").decode("utf-8", "replace"))

    def _reraise(self) -> None:
        if self._callback_error is not None:
            e, self._callback_error = self._callback_error, None
            raise e
