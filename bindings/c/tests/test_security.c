/* TLS, mutual TLS and SASL through libsamsa, against the secure front in front of the test cluster (the harness
 * runs it with --secure: SAMSA_FRONT_<SET-UP> bootstrap lists, SAMSA_SECURE_CERTS, ...). Each set-up is a round
 * trip through its front: a libsamsa producer writes MESSAGES values and checks every delivery report, then a
 * libsamsa consumer with the same security settings reads the topic back through the same front (explicit
 * assignment from the beginning, to the end of each partition) and checks each value arrived once, where its
 * report said. The failures (wrong password, unknown CA, no client certificate, a token callback that fails)
 * must be reported with their error quickly, not as timeouts. OAUTHBEARER tokens also come from a C callback
 * (samsa_conf_set_oauthbearer_token_refresh_cb), for the producer and for the consumer. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>

#include "test_util.h"

#define MESSAGES 20
#define PARTITIONS 3 /* ctest-security:3 (cmake/SamsaTests.cmake) */

struct outcome {
    int delivered;
    int failed;
    int last_err;
    char last_errstr[512];
    int32_t partition[MESSAGES]; /* where message i went, by its delivery report */
    int64_t offset[MESSAGES];
};

struct token_calls {
    int calls;
    int fail;
};

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "%s is not set: run under samsa_test_cluster.py --secure\n", name);
        exit(77);
    }
    return v;
}

static void cert_path(char *out, size_t size, const char *file)
{
    snprintf(out, size, "%s/%s", env("SAMSA_SECURE_CERTS"), file);
}

static void on_delivery(const samsa_delivery_t *r, void *opaque)
{
    struct outcome *o = opaque;
    int i = (int)((intptr_t)r->msg_opaque - 1); /* produce() passes i + 1; NULL elsewhere */
    if (r->err == SAMSA_OK) {
        o->delivered++;
        if (i >= 0 && i < MESSAGES) {
            o->partition[i] = r->partition;
            o->offset[i] = r->offset;
        }
    } else {
        o->failed++;
        o->last_err = r->err;
        snprintf(o->last_errstr, sizeof o->last_errstr, "%s", r->errstr ? r->errstr : "");
    }
}

static void set(samsa_conf_t *conf, const char *name, const char *value)
{
    char errstr[512];
    if (samsa_conf_set(conf, name, value, errstr, sizeof errstr) != SAMSA_OK) {
        fprintf(stderr, "%s: %s\n", name, errstr);
        exit(1);
    }
}

/* An unsecured JWT ({"alg":"none"} . {"sub":"carol","exp":...} .), built here for the token callback. */
static void b64url(const char *in, char *out)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t n = strlen(in), o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)in[i] << 16;
        if (i + 1 < n) v |= (unsigned char)in[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned char)in[i + 2];
        out[o++] = t[(v >> 18) & 63];
        out[o++] = t[(v >> 12) & 63];
        if (i + 1 < n) out[o++] = t[(v >> 6) & 63];
        if (i + 2 < n) out[o++] = t[v & 63];
    }
    out[o] = '\0';
}

static void token_refresh(samsa_oauthbearer_request_t *request, const char *config, void *opaque)
{
    struct token_calls *calls = opaque;
    calls->calls++;
    (void)config;
    if (calls->fail) {
        CHECK_ERR(samsa_oauthbearer_set_token_failure(request, "identity provider unreachable"), SAMSA_OK);
        return;
    }
    long long now_s = (long long)time(NULL);
    char payload[128], header[64], body[256], token[512], errstr[256];
    snprintf(payload, sizeof payload, "{\"sub\":\"carol\",\"iat\":%lld,\"exp\":%lld}", now_s, now_s + 3600);
    b64url("{\"alg\":\"none\"}", header);
    b64url(payload, body);
    snprintf(token, sizeof token, "%s.%s.", header, body);
    const char *extensions[] = {"traceId", "c42"};
    CHECK_ERR(samsa_oauthbearer_set_token(request, token, (int64_t)(now_s + 3600) * 1000, "carol", extensions, 2, errstr, sizeof errstr), SAMSA_OK);
    /* Wrong uses are refused with a reason. */
    CHECK_ERR(samsa_oauthbearer_set_token(request, token, (int64_t)(now_s - 10) * 1000, NULL, NULL, 0, errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);
    CHECK(strstr(errstr, "past") != NULL);
    CHECK_ERR(samsa_oauthbearer_set_token(request, token, (int64_t)(now_s + 3600) * 1000, NULL, extensions, 1, errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);
}

/* A conf for a front: bootstrap, security.protocol, the CA and the mechanism's credentials. */
static samsa_conf_t *secure_conf(const char *front, const char *protocol, const char *mechanism)
{
    char path[1024];
    samsa_conf_t *conf = test_conf(env(front));
    set(conf, "security.protocol", protocol);
    if (strstr(protocol, "ssl") != NULL) {
        cert_path(path, sizeof path, "ca.pem");
        set(conf, "ssl.ca.location", path);
    }
    if (mechanism != NULL) {
        set(conf, "sasl.mechanism", mechanism);
        if (strcmp(mechanism, "OAUTHBEARER") == 0) {
            set(conf, "sasl.oauthbearer.config", "principal=alice lifeSeconds=3600");
        } else {
            set(conf, "sasl.username", env("SAMSA_SECURE_USER"));
            set(conf, "sasl.password", env("SAMSA_SECURE_PASSWORD"));
        }
    }
    return conf;
}

/* A set-up whose round trip must succeed; the value of each message is "<name>-<i>". */
struct setup {
    const char *name;
    const char *front;
    const char *protocol;
    const char *mechanism;
    int token_cb; /* OAUTHBEARER tokens from token_refresh() rather than sasl.oauthbearer.config */
};

/* The same conf for the producer and for the consumer of a set-up (mTLS: certificate and encrypted key). */
static samsa_conf_t *setup_conf(const struct setup *s, struct token_calls *calls)
{
    samsa_conf_t *conf = secure_conf(s->front, s->protocol, s->mechanism);
    if (strcmp(s->front, "SAMSA_FRONT_MTLS") == 0) {
        char path[1024];
        cert_path(path, sizeof path, "client.pem");
        set(conf, "ssl.certificate.location", path);
        cert_path(path, sizeof path, "client-encrypted.key");
        set(conf, "ssl.key.location", path);
        set(conf, "ssl.key.password", env("SAMSA_SECURE_KEY_PASSWORD"));
    }
    if (s->token_cb) {
        CHECK_ERR(samsa_conf_set_oauthbearer_token_refresh_cb(conf, token_refresh, calls), SAMSA_OK);
    }
    return conf;
}

/* Produces MESSAGES values "<tag>-<i>" and waits for their reports (into *o, up to timeout_ms); returns the
 * producer's elapsed ms. */
static long long produce(samsa_conf_t *conf, const char *topic, const char *tag, int timeout_ms, struct outcome *o)
{
    char errstr[512];
    set(conf, "message.timeout.ms", "60000");
    samsa_conf_set_delivery_cb(conf, on_delivery, o);
    samsa_producer_t *p = samsa_producer_new(conf, errstr, sizeof errstr);
    CHECK(p != NULL);
    if (p == NULL) {
        fprintf(stderr, "producer: %s\n", errstr);
        samsa_conf_destroy(conf);
        return -1;
    }
    long long start = test_now_ms();
    char value[128];
    for (int i = 0; i < MESSAGES; i++) {
        int n = snprintf(value, sizeof value, "%s-%d", tag, i);
        CHECK_ERR(samsa_produce(p, topic, SAMSA_PARTITION_UA, NULL, 0, value, (size_t)n, (void *)(intptr_t)(i + 1)), SAMSA_OK);
    }
    samsa_flush(p, timeout_ms);
    long long elapsed = test_now_ms() - start;
    samsa_producer_destroy(p);
    return elapsed;
}

/* i when the message's value is "<tag>-<i>" (0 <= i < MESSAGES), else -1 (another set-up's message). */
static int value_index(const samsa_message_t *m, const char *tag)
{
    size_t taglen = strlen(tag);
    char digits[16];
    if (m->value == NULL || m->value_len <= taglen + 1 || m->value_len - taglen - 1 >= sizeof digits
        || memcmp(m->value, tag, taglen) != 0 || ((const char *)m->value)[taglen] != '-') {
        return -1;
    }
    memcpy(digits, (const char *)m->value + taglen + 1, m->value_len - taglen - 1);
    digits[m->value_len - taglen - 1] = '\0';
    char *end;
    long i = strtol(digits, &end, 10);
    return *end == '\0' && end != digits && i >= 0 && i < MESSAGES ? (int)i : -1;
}

/* Reads the whole topic back through the front with a libsamsa consumer (every partition assigned from the
 * beginning, until each reports its end) and checks that each of the set-up's values arrived exactly once, at
 * the partition and offset its delivery report gave. Other set-ups' messages (same topic) are skipped. */
static void consume_back(const char *name, samsa_conf_t *conf, const char *topic, const char *tag, const struct outcome *o)
{
    char errstr[512];
    set(conf, "enable.partition.eof", "true");
    set(conf, "fetch.wait.max.ms", "100");
    samsa_consumer_t *c = samsa_consumer_new(conf, errstr, sizeof errstr);
    CHECK(c != NULL);
    if (c == NULL) {
        fprintf(stderr, "%s: consumer: %s\n", name, errstr);
        samsa_conf_destroy(conf);
        return;
    }
    samsa_topic_partition_t parts[PARTITIONS];
    for (int i = 0; i < PARTITIONS; i++) {
        parts[i].topic = topic;
        parts[i].partition = i;
        parts[i].offset = SAMSA_OFFSET_BEGINNING;
        parts[i].err = 0;
    }
    CHECK_ERR(samsa_consumer_assign(c, parts, PARTITIONS), SAMSA_OK);
    int seen[MESSAGES] = {0};
    int eof_seen[PARTITIONS] = {0};
    int mine = 0, others = 0, misplaced = 0, errors = 0, eofs = 0;
    long long deadline = test_now_ms() + 60000;
    while (eofs < PARTITIONS && test_now_ms() < deadline) {
        samsa_message_t *m = samsa_consumer_poll(c, 500);
        if (m == NULL) {
            continue;
        }
        if (m->err == SAMSA_ERR_PARTITION_EOF) {
            if (m->partition >= 0 && m->partition < PARTITIONS && !eof_seen[m->partition]) {
                eof_seen[m->partition] = 1;
                eofs++;
            }
        } else if (m->err != SAMSA_OK) {
            if (errors++ < 5) {
                fprintf(stderr, "%s: consumer error %s: %s\n", name, samsa_err2name(m->err), m->errstr ? m->errstr : "");
            }
        } else {
            int i = value_index(m, tag);
            if (i < 0) {
                others++;
            } else {
                seen[i]++;
                mine++;
                misplaced += m->partition != o->partition[i] || m->offset != o->offset[i];
            }
        }
        samsa_message_destroy(m);
    }
    int missing = 0, duplicated = 0;
    for (int i = 0; i < MESSAGES; i++) {
        missing += seen[i] == 0;
        duplicated += seen[i] > 1;
    }
    printf("%s: consumed back %d of its %d (%d missing, %d duplicated, %d misplaced; %d of other set-ups), "
           "%d/%d partitions at their end, %d errors\n",
           name, mine, MESSAGES, missing, duplicated, misplaced, others, eofs, PARTITIONS, errors);
    CHECK(eofs == PARTITIONS);
    CHECK(errors == 0);
    CHECK(missing == 0);
    CHECK(duplicated == 0);
    CHECK(misplaced == 0);
    CHECK_ERR(samsa_consumer_close(c), SAMSA_OK);
    samsa_consumer_destroy(c);
}

/* Produces through the set-up's front, then consumes the messages back through the same front. */
static void round_trip(const struct setup *s, const char *topic)
{
    struct outcome o;
    struct token_calls producer_calls = {0, 0}, consumer_calls = {0, 0};
    memset(&o, 0, sizeof o);
    produce(setup_conf(s, &producer_calls), topic, s->name, 30000, &o);
    printf("%s: %d delivered, %d failed %s\n", s->name, o.delivered, o.failed, o.last_errstr);
    CHECK(o.delivered == MESSAGES);
    CHECK(o.failed == 0);
    consume_back(s->name, setup_conf(s, &consumer_calls), topic, s->name, &o);
    if (s->token_cb) {
        /* One token per client, shared by all its connections. */
        printf("%s: token callback called %d times by the producer, %d by the consumer\n", s->name, producer_calls.calls, consumer_calls.calls);
        CHECK(producer_calls.calls == 1);
        CHECK(consumer_calls.calls == 1);
    }
}

static void refused(const char *name, samsa_conf_t *conf, const char *topic, int expected_err, const char *expected_text)
{
    static struct outcome st;
    memset(&st, 0, sizeof st);
    long long elapsed = produce(conf, topic, "refused", 20000, &st);
    printf("%s: %d failed after %lld ms with %s: %s\n", name, st.failed, elapsed, samsa_err2name(st.last_err), st.last_errstr);
    CHECK(st.failed == MESSAGES);
    CHECK_ERR(st.last_err, expected_err);
    CHECK(strstr(st.last_errstr, expected_text) != NULL);
    CHECK(elapsed < 20000); /* failed by the security error, not by message.timeout.ms (60 s) */
}

int main(void)
{
    const char *topic = getenv("SAMSA_TEST_TOPIC");
    if (test_bootstrap() == NULL || topic == NULL) {
        fprintf(stderr, "needs the test cluster (samsa_test_cluster.py --secure)\n");
        return 77;
    }

    static const struct setup setups[] = {
        {"ssl", "SAMSA_FRONT_SSL", "ssl", NULL, 0},
        {"mtls (encrypted key)", "SAMSA_FRONT_MTLS", "ssl", NULL, 0},
        {"sasl_plaintext PLAIN", "SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "PLAIN", 0},
        {"sasl_plaintext SCRAM-SHA-256", "SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "SCRAM-SHA-256", 0},
        {"sasl_plaintext SCRAM-SHA-512", "SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "SCRAM-SHA-512", 0},
        {"sasl_plaintext OAUTHBEARER (unsecured JWT)", "SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "OAUTHBEARER", 0},
        {"sasl_ssl PLAIN", "SAMSA_FRONT_SASL_SSL", "sasl_ssl", "PLAIN", 0},
        {"sasl_ssl SCRAM-SHA-256", "SAMSA_FRONT_SASL_SSL", "sasl_ssl", "SCRAM-SHA-256", 0},
        {"sasl_ssl SCRAM-SHA-512", "SAMSA_FRONT_SASL_SSL", "sasl_ssl", "SCRAM-SHA-512", 0},
        {"sasl_ssl OAUTHBEARER (unsecured JWT)", "SAMSA_FRONT_SASL_SSL", "sasl_ssl", "OAUTHBEARER", 0},
        {"sasl_ssl OAUTHBEARER (token callback)", "SAMSA_FRONT_SASL_SSL", "sasl_ssl", "OAUTHBEARER", 1},
    };
    for (size_t i = 0; i < sizeof setups / sizeof setups[0]; i++) {
        round_trip(&setups[i], topic);
    }

    /* Failures. */
    {
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SASL_SSL", "sasl_ssl", "SCRAM-SHA-256");
        set(conf, "sasl.password", "not-the-password");
        refused("wrong password", conf, topic, SAMSA_ERR_SASL_AUTHENTICATION_FAILED, "invalid credentials");
    }
    {
        char path[1024];
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SSL", "ssl", NULL);
        cert_path(path, sizeof path, "other-ca.pem");
        set(conf, "ssl.ca.location", path);
        refused("unknown CA", conf, topic, SAMSA_ERR_SSL, "not signed by a trusted CA");
    }
    {
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_MTLS", "ssl", NULL);
        refused("mtls without a client certificate", conf, topic, SAMSA_ERR_SSL, "client certificate");
    }
    {
        struct token_calls calls = {0, 1};
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "OAUTHBEARER");
        CHECK_ERR(samsa_conf_set_oauthbearer_token_refresh_cb(conf, token_refresh, &calls), SAMSA_OK);
        refused("token callback failure", conf, topic, SAMSA_ERR_AUTHENTICATION, "identity provider unreachable");
    }

    /* Sessions of 2 s (KIP-368): producing goes on across re-authentications. */
    {
        static struct outcome o;
        char errstr[512];
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SASL_REAUTH", "sasl_plaintext", "SCRAM-SHA-256");
        set(conf, "message.timeout.ms", "60000");
        samsa_conf_set_delivery_cb(conf, on_delivery, &o);
        samsa_producer_t *p = samsa_producer_new(conf, errstr, sizeof errstr);
        CHECK(p != NULL);
        int sent = 0;
        long long start = test_now_ms();
        while (p != NULL && test_now_ms() - start < 6000) {
            CHECK_ERR(samsa_produce(p, topic, SAMSA_PARTITION_UA, NULL, 0, "r", 1, NULL), SAMSA_OK);
            sent++;
            samsa_flush(p, 10000);
        }
        if (p != NULL) {
            samsa_producer_destroy(p);
        }
        printf("re-authentication: %d sent, %d delivered, %d failed %s\n", sent, o.delivered, o.failed, o.last_errstr);
        CHECK(o.delivered == sent);
        CHECK(o.failed == 0);
    }

    return test_finish("test_security");
}
