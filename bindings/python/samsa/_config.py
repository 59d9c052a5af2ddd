"""Builds a samsa_conf_t from a confluent-kafka style configuration dict."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, Tuple

from ._errors import KafkaError, KafkaException
from ._lib import lib

# Keys the bindings handle themselves instead of passing to the library.
PYTHON_KEYS = ("on_delivery", "logger", "error_cb", "on_assign", "on_revoke", "on_lost")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def make_conf(config: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
    """A new conf handle with every library property of *config* set, and the Python-only entries."""
    if not isinstance(config, dict):
        raise TypeError("the configuration must be a dict")
    extras = {k: config[k] for k in PYTHON_KEYS if k in config}
    conf = lib.samsa_conf_new()
    errstr = ctypes.create_string_buffer(512)
    for name, value in config.items():
        if name in extras:
            continue
        if not isinstance(name, str):
            lib.samsa_conf_destroy(conf)
            raise TypeError(f"configuration keys must be str, not {type(name).__name__}")
        err = lib.samsa_conf_set(conf, name.encode("utf-8"), _text(value).encode("utf-8"), errstr, len(errstr))
        if err != 0:
            lib.samsa_conf_destroy(conf)
            raise KafkaException(KafkaError(err, errstr.value.decode("utf-8", "replace")))
    return conf, extras


def python_log_level(syslog_level: int) -> int:
    """syslog level to the logging module's."""
    import logging
    if syslog_level <= 3:
        return logging.ERROR
    if syslog_level == 4:
        return logging.WARNING
    if syslog_level <= 6:
        return logging.INFO
    return logging.DEBUG
