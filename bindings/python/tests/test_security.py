"""TLS, mutual TLS and SASL from Python through libsamsa, against the secure front (tests/Samsa.SecureFrontHost) in
front of the embedded test cluster. Each set-up is a round trip through its front: samsa.Producer writes the
messages (every delivery report checked), then samsa.Consumer, with the same security settings, reads them back
through the same front (every partition assigned from the beginning, to its end)."""
import base64
import json
import os
import time

import pytest

from samsa import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition
from samsa_test_cluster import SecureFronts

MESSAGES = 20
PARTITIONS = 3  # the topic fixture's


@pytest.fixture(scope="module")
def secure(cluster):
    with SecureFronts(cluster.bootstrap) as fronts:
        yield fronts


def settings(secure, front, mechanism=None, **extra):
    """A client's configuration for a front: the same for the producer and the consumer."""
    config = {"bootstrap.servers": secure.fronts[front]}
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


def produce_all(config, topic, timeout=30, prefix="secure"):
    """Produces MESSAGES values "<prefix>-<i>"; returns the delivery reports and the elapsed seconds."""
    reports = []
    start = time.monotonic()
    with Producer(dict(config, **{"message.timeout.ms": 60000})) as p:
        for i in range(MESSAGES):
            p.produce(topic, value=f"{prefix}-{i}", on_delivery=lambda err, msg: reports.append((err, msg)))
        p.flush(timeout)
    return reports, time.monotonic() - start


def consume_all(config, topic, deadline_s=60):
    """Reads every partition of *topic* from the beginning to its end; returns the messages and the error events."""
    got, errors, ended = [], [], set()
    with Consumer(dict(config, **{"enable.partition.eof": True, "fetch.wait.max.ms": 100})) as c:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(PARTITIONS)])
        deadline = time.monotonic() + deadline_s
        while len(ended) < PARTITIONS and time.monotonic() < deadline:
            m = c.poll(0.5)
            if m is None:
                continue
            if m.error() is None:
                got.append(m)
            elif m.error().code() == KafkaError._PARTITION_EOF:
                ended.add(m.partition())
            else:
                errors.append(m.error())
    assert ended == set(range(PARTITIONS)), f"only partitions {sorted(ended)} reached their end; errors: {errors}"
    return got, errors


def round_trip(config, topic, prefix="secure"):
    """Produces through the front, consumes back through it: each value once, where its report said."""
    reports, _ = produce_all(config, topic, prefix=prefix)
    assert len(reports) == MESSAGES
    assert all(err is None for err, _ in reports), [err for err, _ in reports if err]
    delivered = {m.value().decode(): (m.partition(), m.offset()) for _, m in reports}
    got, errors = consume_all(config, topic)
    assert errors == []
    consumed = [(m.value().decode(), (m.partition(), m.offset())) for m in got]
    assert sorted(consumed) == sorted(delivered.items())
    assert set(delivered) == {f"{prefix}-{i}" for i in range(MESSAGES)}


SETUPS = [
    ("ssl", None, {}),
    ("mtls", None, {"ssl.certificate.location": "client.pem", "ssl.key.location": "client-encrypted.key"}),
    ("sasl_plaintext", "PLAIN", {}),
    ("sasl_plaintext", "SCRAM-SHA-256", {}),
    ("sasl_plaintext", "SCRAM-SHA-512", {}),
    ("sasl_plaintext", "OAUTHBEARER", {}),
    ("sasl_ssl", "PLAIN", {}),
    ("sasl_ssl", "SCRAM-SHA-256", {}),
    ("sasl_ssl", "SCRAM-SHA-512", {}),
    ("sasl_ssl", "OAUTHBEARER", {}),
]


@pytest.mark.parametrize("front,mechanism,files", SETUPS, ids=[f"{f}-{m}" for f, m, _ in SETUPS])
def test_round_trip(secure, topic, front, mechanism, files):
    extra = {k: os.path.join(secure.certs, v) for k, v in files.items()}
    if "ssl.key.location" in extra:
        extra["ssl.key.password"] = secure.key_password
    before = secure.stats(front)
    round_trip(settings(secure, front, mechanism, **extra), topic)
    after = secure.stats(front)
    # producer and consumer each connected (bootstrap and leaders) through the front, and authenticated
    assert after["connections"] - before["connections"] >= 2
    if front != "sasl_plaintext":
        assert after["tls"] - before["tls"] >= 2
    if mechanism:
        assert after["authentications"] - before["authentications"] >= 2
    assert after["failures"] == before["failures"], secure.failures(front)


def unsecured_token_cb(subject, calls):
    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    def oauth_cb(oauthbearer_config):
        calls.append(oauthbearer_config)
        expiry = time.time() + 3600
        token = b64({"alg": "none"}) + "." + b64({"sub": subject, "exp": expiry}) + "."
        return token, expiry, subject, {"traceId": "py1"}

    return oauth_cb


def test_round_trip_over_sasl_ssl_with_tokens_from_oauth_cb(secure, topic):
    producer_calls, consumer_calls = [], []
    before = secure.stats("sasl_ssl")
    reports, _ = produce_all(settings(secure, "sasl_ssl", "OAUTHBEARER", oauth_cb=unsecured_token_cb("pyuser", producer_calls)), topic,
                             prefix="oauth")
    assert len(reports) == MESSAGES and all(err is None for err, _ in reports), reports
    delivered = sorted((m.value().decode(), m.partition(), m.offset()) for _, m in reports)
    got, errors = consume_all(settings(secure, "sasl_ssl", "OAUTHBEARER", oauth_cb=unsecured_token_cb("pyconsumer", consumer_calls)), topic)
    assert errors == []
    assert sorted((m.value().decode(), m.partition(), m.offset()) for m in got) == delivered
    # one token per client, shared by all its connections; the callback gets sasl.oauthbearer.config
    assert len(producer_calls) == 1 and producer_calls[0].startswith("principal=")
    assert len(consumer_calls) == 1
    after = secure.stats("sasl_ssl")
    assert after["authentications"] - before["authentications"] >= 2
    assert after["failures"] == before["failures"], secure.failures("sasl_ssl")


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
