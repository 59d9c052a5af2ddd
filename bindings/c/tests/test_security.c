/* TLS, mutual TLS and SASL through libsamsa, against the secure front in front of the test cluster (the harness
 * runs it with --secure: SAMSA_FRONT_<SET-UP> bootstrap lists, SAMSA_SECURE_CERTS, ...). Each set-up produces and
 * checks every delivery report; the failures (wrong password, unknown CA, no client certificate, a token callback
 * that fails) must be reported with their error quickly, not as timeouts. OAUTHBEARER tokens also come from a C
 * callback (samsa_conf_set_oauthbearer_token_refresh_cb). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>

#include "test_util.h"

#define MESSAGES 20

struct outcome {
    int delivered;
    int failed;
    int last_err;
    char last_errstr[512];
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
    if (r->err == SAMSA_OK) {
        o->delivered++;
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

/* A conf for a set-up: front bootstrap, security properties, delivery reports into *o. */
static samsa_conf_t *secure_conf(const char *front, const char *protocol, const char *mechanism, struct outcome *o)
{
    char path[1024];
    samsa_conf_t *conf = test_conf(env(front));
    set(conf, "security.protocol", protocol);
    set(conf, "message.timeout.ms", "60000");
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
    if (o != NULL) {
        samsa_conf_set_delivery_cb(conf, on_delivery, o);
    }
    return conf;
}

/* Produces MESSAGES and waits for their reports (up to timeout_ms); returns the producer's elapsed ms. */
static long long produce(samsa_conf_t *conf, const char *topic, int timeout_ms)
{
    char errstr[512];
    samsa_producer_t *p = samsa_producer_new(conf, errstr, sizeof errstr);
    CHECK(p != NULL);
    if (p == NULL) {
        fprintf(stderr, "producer: %s\n", errstr);
        samsa_conf_destroy(conf);
        return -1;
    }
    long long start = test_now_ms();
    char value[32];
    for (int i = 0; i < MESSAGES; i++) {
        int n = snprintf(value, sizeof value, "secure-%d", i);
        CHECK_ERR(samsa_produce(p, topic, SAMSA_PARTITION_UA, NULL, 0, value, (size_t)n, NULL), SAMSA_OK);
    }
    samsa_flush(p, timeout_ms);
    long long elapsed = test_now_ms() - start;
    samsa_producer_destroy(p);
    return elapsed;
}

static void round_trip(const char *name, const char *front, const char *protocol, const char *mechanism, const char *topic)
{
    struct outcome o = {0};
    samsa_conf_t *conf = secure_conf(front, protocol, mechanism, &o);
    if (strcmp(front, "SAMSA_FRONT_MTLS") == 0) {
        char path[1024];
        cert_path(path, sizeof path, "client.pem");
        set(conf, "ssl.certificate.location", path);
        cert_path(path, sizeof path, "client-encrypted.key");
        set(conf, "ssl.key.location", path);
        set(conf, "ssl.key.password", env("SAMSA_SECURE_KEY_PASSWORD"));
    }
    produce(conf, topic, 30000);
    printf("%s: %d delivered, %d failed %s\n", name, o.delivered, o.failed, o.last_errstr);
    CHECK(o.delivered == MESSAGES);
    CHECK(o.failed == 0);
}

static void refused(const char *name, samsa_conf_t *conf, const char *topic, int expected_err, const char *expected_text)
{
    static struct outcome st;
    memset(&st, 0, sizeof st);
    samsa_conf_set_delivery_cb(conf, on_delivery, &st);
    long long elapsed = produce(conf, topic, 20000);
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

    round_trip("ssl", "SAMSA_FRONT_SSL", "ssl", NULL, topic);
    round_trip("mtls (encrypted key)", "SAMSA_FRONT_MTLS", "ssl", NULL, topic);
    round_trip("sasl_plaintext PLAIN", "SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "PLAIN", topic);
    round_trip("sasl_plaintext SCRAM-SHA-256", "SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "SCRAM-SHA-256", topic);
    round_trip("sasl_plaintext SCRAM-SHA-512", "SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "SCRAM-SHA-512", topic);
    round_trip("sasl_plaintext OAUTHBEARER (unsecured JWT)", "SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "OAUTHBEARER", topic);
    round_trip("sasl_ssl SCRAM-SHA-512", "SAMSA_FRONT_SASL_SSL", "sasl_ssl", "SCRAM-SHA-512", topic);

    /* OAUTHBEARER tokens from the C callback. */
    {
        struct outcome o = {0};
        struct token_calls calls = {0};
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SASL_SSL", "sasl_ssl", "OAUTHBEARER", &o);
        CHECK_ERR(samsa_conf_set_oauthbearer_token_refresh_cb(conf, token_refresh, &calls), SAMSA_OK);
        produce(conf, topic, 30000);
        printf("token callback: %d calls, %d delivered, %d failed %s\n", calls.calls, o.delivered, o.failed, o.last_errstr);
        CHECK(calls.calls == 1);
        CHECK(o.delivered == MESSAGES);
    }

    /* Failures. */
    {
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SASL_SSL", "sasl_ssl", "SCRAM-SHA-256", NULL);
        set(conf, "sasl.password", "not-the-password");
        refused("wrong password", conf, topic, SAMSA_ERR_SASL_AUTHENTICATION_FAILED, "invalid credentials");
    }
    {
        char path[1024];
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SSL", "ssl", NULL, NULL);
        cert_path(path, sizeof path, "other-ca.pem");
        set(conf, "ssl.ca.location", path);
        refused("unknown CA", conf, topic, SAMSA_ERR_SSL, "not signed by a trusted CA");
    }
    {
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_MTLS", "ssl", NULL, NULL);
        refused("mtls without a client certificate", conf, topic, SAMSA_ERR_SSL, "client certificate");
    }
    {
        struct token_calls calls = {0, 1};
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SASL_PLAINTEXT", "sasl_plaintext", "OAUTHBEARER", NULL);
        CHECK_ERR(samsa_conf_set_oauthbearer_token_refresh_cb(conf, token_refresh, &calls), SAMSA_OK);
        refused("token callback failure", conf, topic, SAMSA_ERR_AUTHENTICATION, "identity provider unreachable");
    }

    /* Sessions of 2 s (KIP-368): producing goes on across re-authentications. */
    {
        struct outcome o = {0};
        char errstr[512];
        samsa_conf_t *conf = secure_conf("SAMSA_FRONT_SASL_REAUTH", "sasl_plaintext", "SCRAM-SHA-256", &o);
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
