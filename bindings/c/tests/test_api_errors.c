/* Bad input never crashes: NULL arguments, unknown and invalid properties, stale handles, destroy twice,
 * produce after destroy. Needs no cluster (nothing connects). */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

static void test_version_and_errors(void)
{
    CHECK(samsa_version() != NULL && samsa_version()[0] != '\0');
    CHECK(strcmp(samsa_err2name(SAMSA_ERR_INVALID_ARG), "_INVALID_ARG") == 0);
    CHECK(strcmp(samsa_err2name(SAMSA_ERR_MESSAGE_TOO_LARGE), "MESSAGE_TOO_LARGE") == 0);
    CHECK(strstr(samsa_err2str(SAMSA_ERR_INVALID_ARG), "Invalid argument") != NULL);
    CHECK(strcmp(samsa_err2str(123456), "Unknown error code") == 0); /* unknown codes still get a description */
    CHECK(strcmp(samsa_err2name(123456), "UNKNOWN") == 0);
    CHECK(SAMSA_ERR_INVALID_ARG == -186 && SAMSA_ERR_QUEUE_FULL == -184 && SAMSA_ERR_TIMED_OUT == -185);
}

static void test_conf_errors(void)
{
    char errstr[256];
    samsa_conf_t *conf = samsa_conf_new();
    CHECK(conf != NULL);

    CHECK_ERR(samsa_conf_set(conf, "linger.ms", "10", errstr, sizeof errstr), SAMSA_OK);
    CHECK_ERR(samsa_conf_set(conf, "queue.buffering.max.ms", "20", errstr, sizeof errstr), SAMSA_OK); /* alias replaces */

    errstr[0] = '\0';
    CHECK_ERR(samsa_conf_set(conf, "bootstrap.server", "x:1", errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);
    CHECK(strstr(errstr, "bootstrap.server") != NULL);
    CHECK(strstr(errstr, "Did you mean 'bootstrap.servers'") != NULL);

    errstr[0] = '\0';
    CHECK_ERR(samsa_conf_set(conf, "acks", "maybe", errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);
    CHECK(strstr(errstr, "acks") != NULL && strstr(errstr, "maybe") != NULL);

    /* errstr may be NULL, and a tiny buffer gets a truncated, terminated message */
    CHECK_ERR(samsa_conf_set(conf, "nope", "1", NULL, 0), SAMSA_ERR_INVALID_ARG);
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    CHECK_ERR(samsa_conf_set(conf, "nope", "1", tiny, sizeof tiny), SAMSA_ERR_INVALID_ARG);
    CHECK(memchr(tiny, '\0', sizeof tiny) != NULL);

    CHECK_ERR(samsa_conf_set(NULL, "linger.ms", "1", errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_conf_set(conf, NULL, "1", errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_conf_set(conf, "linger.ms", NULL, errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);

    /* read back: by either name; the size query; not set */
    size_t size = 0;
    CHECK_ERR(samsa_conf_get(conf, "linger.ms", NULL, &size), SAMSA_OK);
    CHECK(size == 3);
    char value[16];
    size = sizeof value;
    CHECK_ERR(samsa_conf_get(conf, "linger.ms", value, &size), SAMSA_OK);
    CHECK(strcmp(value, "20") == 0);
    size = sizeof value;
    CHECK_ERR(samsa_conf_get(conf, "client.id", value, &size), SAMSA_ERR_NOENT);
    size = 1;
    CHECK_ERR(samsa_conf_get(conf, "linger.ms", value, &size), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_conf_get(conf, "linger.ms", value, NULL), SAMSA_ERR_INVALID_ARG);

    samsa_conf_t *copy = samsa_conf_dup(conf);
    CHECK(copy != NULL && copy != conf);
    size = sizeof value;
    CHECK_ERR(samsa_conf_get(copy, "linger.ms", value, &size), SAMSA_OK);
    CHECK(samsa_conf_dup(NULL) == NULL);

    CHECK_ERR(samsa_conf_set_delivery_cb(NULL, NULL, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_conf_set_log_cb(NULL, NULL, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_conf_set_rebalance_cb(NULL, NULL, NULL), SAMSA_ERR_INVALID_ARG);

    samsa_conf_destroy(copy);
    samsa_conf_destroy(conf);
    samsa_conf_destroy(conf); /* twice: ignored */
    samsa_conf_destroy(NULL);
    CHECK_ERR(samsa_conf_set(conf, "linger.ms", "1", errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG); /* after destroy */
}

static void test_producer_new_errors(void)
{
    char errstr[512];
    CHECK(samsa_producer_new(NULL, errstr, sizeof errstr) == NULL);

    /* no bootstrap.servers: refused, and the caller keeps the conf */
    samsa_conf_t *conf = samsa_conf_new();
    errstr[0] = '\0';
    CHECK(samsa_producer_new(conf, errstr, sizeof errstr) == NULL);
    CHECK(strstr(errstr, "bootstrap.servers") != NULL);
    CHECK_ERR(samsa_conf_set(conf, "linger.ms", "1", errstr, sizeof errstr), SAMSA_OK); /* still owned */

    /* a rule between properties: idempotence needs acks=all */
    CHECK_ERR(samsa_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", errstr, sizeof errstr), SAMSA_OK);
    CHECK_ERR(samsa_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr), SAMSA_OK);
    CHECK_ERR(samsa_conf_set(conf, "acks", "1", errstr, sizeof errstr), SAMSA_OK);
    errstr[0] = '\0';
    CHECK(samsa_producer_new(conf, errstr, sizeof errstr) == NULL);
    CHECK(strstr(errstr, "acks") != NULL);
    samsa_conf_destroy(conf);
}

static void test_stale_handles(void)
{
    char errstr[512];
    samsa_conf_t *conf = samsa_conf_new();
    CHECK_ERR(samsa_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", errstr, sizeof errstr), SAMSA_OK);
    CHECK_ERR(samsa_conf_set(conf, "message.timeout.ms", "1000", errstr, sizeof errstr), SAMSA_OK);
    samsa_producer_t *p = samsa_producer_new(conf, errstr, sizeof errstr);
    CHECK(p != NULL);
    /* the producer took the conf: the conf handle is now stale */
    CHECK_ERR(samsa_conf_set(conf, "linger.ms", "1", errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);
    samsa_conf_destroy(conf); /* ignored */

    /* a handle of the wrong kind is refused */
    CHECK_ERR(samsa_conf_set((samsa_conf_t *)p, "linger.ms", "1", errstr, sizeof errstr), SAMSA_ERR_INVALID_ARG);

    /* bad produce arguments */
    CHECK_ERR(samsa_produce(p, NULL, -1, NULL, 0, "v", 1, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_produce(p, "t", -1, NULL, 5, "v", 1, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_produce(p, "t", -1, "k", 1, NULL, 3, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_produce(p, "", -1, "k", 1, "v", 1, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_produce(p, "\xff\xfe", -1, "k", 1, "v", 1, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_produce(p, "t", -7, "k", 1, "v", 1, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_produce_with_headers(p, "t", -1, "k", 1, "v", 1, NULL, 2, NULL), SAMSA_ERR_INVALID_ARG);
    samsa_header_t bad = { NULL, "v", 1 };
    CHECK_ERR(samsa_produce_with_headers(p, "t", -1, "k", 1, "v", 1, &bad, 1, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK(strstr(samsa_last_errstr(), "NULL name") != NULL);

    /* oversized: refused at once, with the limit named */
    size_t big = 2 * 1000 * 1000;
    char *value = calloc(1, big);
    CHECK_ERR(samsa_produce(p, "t", -1, NULL, 0, value, big, NULL), SAMSA_ERR_MESSAGE_TOO_LARGE);
    CHECK(strstr(samsa_last_errstr(), "message.max.bytes") != NULL);
    free(value);

    CHECK(samsa_poll(p, 0) >= 0);
    CHECK(samsa_outq_len(p) == 0);

    samsa_producer_destroy(p);
    samsa_producer_destroy(p); /* twice: ignored */
    samsa_producer_destroy(NULL);

    /* after destroy: every call is refused, none crashes */
    CHECK_ERR(samsa_produce(p, "t", -1, "k", 1, "v", 1, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_poll(p, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_flush(p, 0), SAMSA_ERR_INVALID_ARG);
    CHECK(samsa_outq_len(p) == SAMSA_ERR_INVALID_ARG);

    /* NULL and made-up handles */
    CHECK_ERR(samsa_produce(NULL, "t", -1, "k", 1, "v", 1, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_poll((samsa_producer_t *)(uintptr_t)0x1234, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_flush(NULL, 0), SAMSA_ERR_INVALID_ARG);
    samsa_producer_destroy((samsa_producer_t *)(uintptr_t)0xdeadbeef);
}

static void test_undeliverable(void)
{
    /* nothing listens on port 1: the message times out (message.timeout.ms) and is reported as failed */
    char errstr[512];
    samsa_conf_t *conf = samsa_conf_new();
    samsa_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", errstr, sizeof errstr);
    CHECK_ERR(samsa_conf_set(conf, "message.timeout.ms", "1500", errstr, sizeof errstr), SAMSA_OK);
    samsa_producer_t *p = samsa_producer_new(conf, errstr, sizeof errstr);
    CHECK(p != NULL);
    CHECK_ERR(samsa_produce(p, "t", -1, "k", 1, "v", 1, NULL), SAMSA_OK);
    CHECK(samsa_outq_len(p) == 1);
    CHECK_ERR(samsa_flush(p, 100), SAMSA_ERR_TIMED_OUT);
    CHECK_ERR(samsa_flush(p, 10000), SAMSA_OK); /* failed by then, which also empties the queue */
    CHECK(samsa_outq_len(p) == 0);
    samsa_producer_destroy(p);
}

int main(void)
{
    test_version_and_errors();
    test_conf_errors();
    test_producer_new_errors();
    test_stale_handles();
    test_undeliverable();
    return test_finish("test_api_errors");
}
