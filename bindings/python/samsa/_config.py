"""Builds a samsa_conf_t from a confluent-kafka style configuration dict."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, Tuple

from ._errors import KafkaError, KafkaException
from ._lib import OAUTHBEARER_CB, lib

# Keys the bindings handle themselves instead of passing to the library.
PYTHON_KEYS = ("on_delivery", "logger", "error_cb", "on_assign", "on_revoke", "on_lost", "oauth_cb")


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


def install_oauth_cb(conf: int, oauth_cb: Any) -> Any:
    """Makes *oauth_cb* the conf's OAUTHBEARER token source; returns the trampoline (keep it alive with the client).

    As confluent-kafka's: ``oauth_cb(oauthbearer_config) -> (token, expiry)`` with the expiry in seconds since the
    epoch, optionally followed by the principal name and a dict of SASL extensions. It is called on a library
    thread when a connection authenticates and the last token is missing or past 80% of its lifetime; an
    exception fails that authentication with its message.
    """
    if not callable(oauth_cb):
        raise TypeError("oauth_cb must be callable")

    def trampoline(request, config, _opaque) -> None:
        try:
            answer = oauth_cb((config or b"").decode("utf-8", "replace"))
            if not isinstance(answer, tuple) or len(answer) < 2:
                raise TypeError("oauth_cb must return (token, expiry_seconds[, principal[, extensions]])")
            token, expiry = answer[0], answer[1]
            principal = answer[2] if len(answer) > 2 else None
            extensions = answer[3] if len(answer) > 3 else None
            pairs = []
            for k, v in (extensions or {}).items():
                pairs += [str(k).encode("utf-8"), str(v).encode("utf-8")]
            array = (ctypes.c_char_p * len(pairs))(*pairs) if pairs else None
            errstr = ctypes.create_string_buffer(512)
            err = lib.samsa_oauthbearer_set_token(request, str(token).encode("utf-8"), int(float(expiry) * 1000),
                                                  principal.encode("utf-8") if principal else None, array, len(pairs),
                                                  errstr, len(errstr))
            if err != 0:
                lib.samsa_oauthbearer_set_token_failure(request, errstr.value)
        except BaseException as e:  # noqa: BLE001 - reported to the library, never lost in ctypes
            lib.samsa_oauthbearer_set_token_failure(request, f"oauth_cb raised {type(e).__name__}: {e}".encode("utf-8"))

    callback = OAUTHBEARER_CB(trampoline)
    lib.samsa_conf_set_oauthbearer_token_refresh_cb(conf, callback, None)
    return callback


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
