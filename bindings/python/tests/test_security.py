"""TLS, mutual TLS and SASL from Python through libsamsa, against the secure front (tests/Samsa.SecureFrontHost) in
front of the embedded test cluster. What the producer wrote is read back with kcat from the plaintext cluster."""
import os
import time

import pytest

from samsa import KafkaError, Producer
from samsa_test_cluster import SecureFronts
from test_producer import KCAT, read_back

MESSAGES = 20


@pytest.fixture(scope="module")
def secure(cluster):
    with SecureFronts(cluster.bootstrap) as fronts:
        yield fronts


def settings(secure, front, mechanism=None, **extra):
    config = {"bootstrap.servers": secure.fronts[front], "message.timeout.ms": 60000}
    config["security.protocol"] = {"ssl": "ssl", "mtls": "ssl"}.get(front, front.replace("sasl_reauth", "sasl_plaintext"))
    if front in ("ssl", "mtls", "sasl_ssl"):
        config["ssl.ca.location"] = os.path.join(secure.certs, "ca.pem")
    if mechanism:
        config["sasl.mechanism"] = mechanism
        if mechanism == "OAUTHBEARER":
            config["sasl.oauthbearer.config"] = f"principal={secure.user} lifeSeconds=3600"
        else:
            config["sasl.username"] = secure.user
            config["sasl.password"] = secure.password
    config.update(extra)
    return config


def produce_all(config, topic, timeout=30):
    reports = []
    start = time.monotonic()
    with Producer(config) as p:
        for i in range(MESSAGES):
            p.produce(topic, value=f"secure-{i}", on_delivery=lambda err, msg: reports.append((err, msg)))
        p.flush(timeout)
    return reports, time.monotonic() - start


SETUPS = [
    ("ssl", None, {}),
    ("mtls", None, {"ssl.certificate.location": "client.pem", "ssl.key.location": "client-encrypted.key"}),
    ("sasl_plaintext", "PLAIN", {}),
    ("sasl_plaintext", "SCRAM-SHA-256", {}),
    ("sasl_plaintext", "SCRAM-SHA-512", {}),
    ("sasl_plaintext", "OAUTHBEARER", {}),
    ("sasl_ssl", "SCRAM-SHA-512", {}),
    ("sasl_ssl", "PLAIN", {}),
]


@pytest.mark.parametrize("front,mechanism,files", SETUPS, ids=[f"{f}-{m}" for f, m, _ in SETUPS])
def test_round_trip(secure, cluster, topic, front, mechanism, files):
    extra = {k: os.path.join(secure.certs, v) for k, v in files.items()}
    if "ssl.key.location" in extra:
        extra["ssl.key.password"] = secure.key_password
    before = secure.stats(front)
    reports, _ = produce_all(settings(secure, front, mechanism, **extra), topic)
    assert len(reports) == MESSAGES
    assert all(err is None for err, _ in reports), [err for err, _ in reports if err]
    after = secure.stats(front)
    assert after["connections"] > before["connections"]
    if front != "sasl_plaintext":
        assert after["tls"] > before["tls"]
    if mechanism:
        assert after["authentications"] > before["authentications"]
    assert after["failures"] == before["failures"], secure.failures(front)
    if KCAT:
        values = set(read_back(cluster.bootstrap, topic, fmt="%s\\n").decode().split())
        assert {f"secure-{i}" for i in range(MESSAGES)} <= values


def test_oauth_cb_supplies_the_tokens(secure, topic):
    import base64
    import json

    calls = []

    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    def oauth_cb(oauthbearer_config):
        calls.append(oauthbearer_config)
        expiry = time.time() + 3600
        token = b64({"alg": "none"}) + "." + b64({"sub": "pyuser", "exp": expiry}) + "."
        return token, expiry, "pyuser", {"traceId": "py1"}

    config = settings(secure, "sasl_ssl", "OAUTHBEARER", oauth_cb=oauth_cb)
    before = secure.stats("sasl_ssl")
    reports, _ = produce_all(config, topic)
    assert all(err is None for err, _ in reports)
    assert len(calls) == 1 and calls[0].startswith("principal=")
    assert secure.stats("sasl_ssl")["authentications"] > before["authentications"]


def test_a_failing_oauth_cb_fails_the_messages_with_its_reason(secure, topic):
    def oauth_cb(_config):
        raise RuntimeError("no token for you")

    reports, elapsed = produce_all(settings(secure, "sasl_plaintext", "OAUTHBEARER", oauth_cb=oauth_cb), topic)
    assert len(reports) == MESSAGES and elapsed < 20
    err = reports[0][0]
    assert err is not None and err.code() == KafkaError._AUTHENTICATION
    assert "no token for you" in err.str()


def test_a_wrong_password_fails_quickly_with_the_brokers_reason(secure, topic):
    reports, elapsed = produce_all(settings(secure, "sasl_ssl", "SCRAM-SHA-256", **{"sasl.password": "pw-NOT-alices"}), topic)
    assert len(reports) == MESSAGES and elapsed < 20
    err = reports[0][0]
    assert err.code() == KafkaError.SASL_AUTHENTICATION_FAILED
    assert "invalid credentials" in err.str() and "pw-NOT-alices" not in err.str()


def test_an_unknown_ca_is_a_tls_error(secure, topic):
    config = settings(secure, "ssl", **{"ssl.ca.location": os.path.join(secure.certs, "other-ca.pem")})
    reports, elapsed = produce_all(config, topic)
    assert elapsed < 20
    err = reports[0][0]
    assert err.code() == KafkaError._SSL and "not signed by a trusted CA" in err.str()


def test_mutual_tls_without_a_certificate_is_refused(secure, topic):
    reports, _ = produce_all(settings(secure, "mtls"), topic)
    err = reports[0][0]
    assert err.code() == KafkaError._SSL and "client certificate" in err.str()


def test_producing_continues_across_reauthentications(secure, topic):
    before = secure.stats("sasl_reauth")
    delivered = []
    with Producer(settings(secure, "sasl_reauth", "SCRAM-SHA-256")) as p:
        start = time.monotonic()
        while time.monotonic() - start < 6:
            p.produce(topic, value=b"r", on_delivery=lambda err, msg: delivered.append(err))
            p.flush(10)
    after = secure.stats("sasl_reauth")
    assert delivered and all(err is None for err in delivered)
    assert after["reauthentications"] - before["reauthentications"] >= 2, after
    assert after["expired"] == before["expired"]
    assert after["connections"] - before["connections"] <= 4  # the same connections, re-authenticated


def test_consumer_reads_over_sasl_ssl_with_tokens_from_oauth_cb(secure, cluster, topic):
    import base64
    import json

    from samsa import OFFSET_BEGINNING, Consumer, TopicPartition

    with Producer({"bootstrap.servers": cluster.bootstrap}) as p:
        for i in range(MESSAGES):
            p.produce(topic, value=f"oauth-{i}", partition=i % 3)
        assert p.flush(30) == 0

    calls = []

    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    def oauth_cb(oauthbearer_config):
        calls.append(oauthbearer_config)
        expiry = time.time() + 3600
        return b64({"alg": "none"}) + "." + b64({"sub": "pyconsumer", "exp": expiry}) + ".", expiry, "pyconsumer"

    before = secure.stats("sasl_ssl")
    config = settings(secure, "sasl_ssl", "OAUTHBEARER", oauth_cb=oauth_cb)
    del config["message.timeout.ms"]
    values = set()
    with Consumer(config) as c:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(3)])
        deadline = time.time() + 60
        while len(values) < MESSAGES and time.time() < deadline:
            m = c.poll(1.0)
            if m is not None:
                assert m.error() is None, m.error()
                values.add(m.value().decode())
    assert values == {f"oauth-{i}" for i in range(MESSAGES)}
    assert len(calls) == 1 and calls[0].startswith("principal=")
    assert secure.stats("sasl_ssl")["authentications"] > before["authentications"]
