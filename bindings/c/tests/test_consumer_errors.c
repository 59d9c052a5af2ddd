/* The consumer functions with bad input, without a cluster: NULL and destroyed handles, NULL arrays, calls
 * after close, double close/destroy, messages destroyed twice. Nothing may crash; every error is a code. */
#include "test_util.h"

int main(void)
{
    char errstr[512];

    /* NULL everywhere. */
    errstr[0] = 'x';
    CHECK(samsa_consumer_new(NULL, errstr, sizeof errstr) == NULL);
    CHECK(strstr(errstr, "conf") != NULL);
    CHECK_ERR(samsa_consumer_subscribe(NULL, NULL, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_assign(NULL, NULL, 0), SAMSA_ERR_INVALID_ARG);
    CHECK(samsa_consumer_poll(NULL, 0) == NULL);
    CHECK(strstr(samsa_last_errstr(), "consumer") != NULL);
    CHECK_ERR(samsa_consumer_commit(NULL, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_close(NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_unsubscribe(NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_seek(NULL, "t", 0, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_pause(NULL, NULL, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_resume(NULL, NULL, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_position(NULL, NULL, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_committed(NULL, NULL, 0, 0), SAMSA_ERR_INVALID_ARG);
    samsa_consumer_destroy(NULL);
    samsa_message_destroy(NULL);

    /* A conf without bootstrap.servers is refused; the caller keeps the conf. */
    samsa_conf_t *empty = samsa_conf_new();
    errstr[0] = '\0';
    CHECK(samsa_consumer_new(empty, errstr, sizeof errstr) == NULL);
    CHECK(strstr(errstr, "bootstrap.servers") != NULL);
    samsa_conf_destroy(empty);

    /* A producer handle is not a consumer handle. */
    samsa_producer_t *producer = samsa_producer_new(test_conf("127.0.0.1:1"), errstr, sizeof errstr);
    CHECK(producer != NULL);
    CHECK_ERR(samsa_consumer_commit((samsa_consumer_t *)(void *)producer, 0), SAMSA_ERR_INVALID_ARG);
    samsa_consumer_destroy((samsa_consumer_t *)(void *)producer); /* ignored: wrong kind */
    CHECK(samsa_outq_len(producer) == 0);
    samsa_producer_destroy(producer);

    /* A consumer with nowhere to connect: argument checks. */
    samsa_consumer_t *c = samsa_consumer_new(test_conf("127.0.0.1:1"), errstr, sizeof errstr);
    CHECK(c != NULL);
    if (c == NULL) {
        return test_finish("test_consumer_errors");
    }
    const char *topics[] = { "t", NULL };
    CHECK_ERR(samsa_consumer_subscribe(c, NULL, 1), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_subscribe(c, topics, 0), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_subscribe(c, topics, 2), SAMSA_ERR_INVALID_ARG); /* topics[1] is NULL */
    CHECK(strstr(samsa_last_errstr(), "topics[1]") != NULL);
    CHECK_ERR(samsa_consumer_subscribe(c, topics, 1), SAMSA_ERR_INVALID_ARG); /* no group.id */
    CHECK(strstr(samsa_last_errstr(), "group.id") != NULL);
    CHECK_ERR(samsa_consumer_commit(c, 0), SAMSA_ERR_INVALID_ARG); /* no group.id */
    CHECK_ERR(samsa_consumer_assign(c, NULL, 3), SAMSA_ERR_INVALID_ARG);
    samsa_topic_partition_t bad = { NULL, 0, SAMSA_OFFSET_BEGINNING, 0 };
    CHECK_ERR(samsa_consumer_assign(c, &bad, 1), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_assign(c, NULL, 0), SAMSA_OK); /* unassign */
    CHECK_ERR(samsa_consumer_unsubscribe(c), SAMSA_OK);      /* nothing subscribed: nothing to do */
    samsa_topic_partition_t t0 = { "t", 0, 0, 0 };
    CHECK_ERR(samsa_consumer_committed(c, &t0, 1, 1000), SAMSA_ERR_INVALID_ARG); /* no group.id */
    CHECK_ERR(samsa_consumer_pause(c, NULL, 1), SAMSA_ERR_INVALID_ARG);
    long long start = test_now_ms();
    samsa_message_t *m = samsa_consumer_poll(c, 300);
    CHECK(m == NULL); /* nothing assigned: a timeout */
    CHECK(test_now_ms() - start >= 250);
    samsa_message_destroy(m);

    /* Close, then every call says the consumer is closed. */
    CHECK_ERR(samsa_consumer_close(c), SAMSA_OK);
    CHECK_ERR(samsa_consumer_close(c), SAMSA_OK); /* again: nothing to do */
    m = samsa_consumer_poll(c, 0);
    CHECK(m != NULL && m->err == SAMSA_ERR_STATE && m->errstr != NULL && m->topic == NULL);
    samsa_message_destroy(m);
    samsa_message_destroy(m); /* twice: ignored */
    samsa_message_t *m2 = samsa_consumer_poll(c, 0);
    CHECK(m2 != NULL && m2->err == SAMSA_ERR_STATE);
    samsa_message_destroy(m2);
    CHECK_ERR(samsa_consumer_subscribe(c, topics, 1), SAMSA_ERR_STATE);
    samsa_topic_partition_t tp = { "t", 0, SAMSA_OFFSET_BEGINNING, 0 };
    CHECK_ERR(samsa_consumer_assign(c, &tp, 1), SAMSA_ERR_STATE);
    CHECK_ERR(samsa_consumer_commit(c, 1), SAMSA_ERR_STATE);
    CHECK_ERR(samsa_consumer_seek(c, "t", 0, 0), SAMSA_ERR_STATE);
    CHECK_ERR(samsa_consumer_pause(c, &tp, 1), SAMSA_ERR_STATE);
    CHECK_ERR(samsa_consumer_position(c, &tp, 1), SAMSA_ERR_STATE);
    CHECK_ERR(samsa_consumer_committed(c, &tp, 1, 0), SAMSA_ERR_STATE);
    CHECK_ERR(samsa_consumer_unsubscribe(c), SAMSA_ERR_STATE);
    samsa_consumer_destroy(c);
    samsa_consumer_destroy(c); /* twice: ignored */
    CHECK(samsa_consumer_poll(c, 0) == NULL);
    CHECK_ERR(samsa_consumer_close(c), SAMSA_ERR_INVALID_ARG);

    /* Destroy without close closes. */
    samsa_consumer_t *d = samsa_consumer_new(test_conf("127.0.0.1:1"), errstr, sizeof errstr);
    CHECK(d != NULL);
    CHECK_ERR(samsa_consumer_assign(d, &tp, 1), SAMSA_OK);
    samsa_consumer_destroy(d);

    return test_finish("test_consumer_errors");
}
