/* Group consumer through libsamsa: consumer A subscribes, reads part of the messages, commits and closes;
 * consumer B in the same group resumes from the committed offsets (nothing lost, nothing read twice) and
 * commits from its rebalance callback while closing; consumer C then finds nothing left. Rebalance callbacks
 * must run on the thread that polls (or closes). Run with the mock's rebalance delay at 0. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "test_util.h"

#define COUNT 300
#define PARTITIONS 3
#define GROUP "ctest-group-consumer"

struct rebalance_log {
    int assigned;   /* partitions assigned, summed over events */
    int revoked;    /* partitions revoked */
    int lost;
    int off_thread; /* callbacks not on the main thread */
    int commit_in_revoke; /* commit from the revoke callback: -1 not tried, else its result */
};

static pthread_t main_thread;

static void on_rebalance(samsa_consumer_t *consumer, int event, const samsa_topic_partition_t *partitions,
                         size_t partition_cnt, void *opaque)
{
    struct rebalance_log *log = opaque;
    if (!pthread_equal(pthread_self(), main_thread)) {
        log->off_thread++;
    }
    for (size_t i = 0; i < partition_cnt; i++) {
        if (partitions[i].topic == NULL || partitions[i].partition < 0 || partitions[i].partition >= PARTITIONS) {
            log->off_thread += 1000; /* reported as a failure below */
        }
    }
    if (event == SAMSA_REBALANCE_ASSIGNED) {
        log->assigned += (int)partition_cnt;
    } else if (event == SAMSA_REBALANCE_REVOKED) {
        log->revoked += (int)partition_cnt;
        if (log->commit_in_revoke == -1) {
            log->commit_in_revoke = samsa_consumer_commit(consumer, 0);
        }
    } else {
        log->lost += (int)partition_cnt;
    }
}

static samsa_consumer_t *group_consumer(const char *bootstrap, const char *topic, struct rebalance_log *log)
{
    char errstr[512];
    samsa_conf_t *conf = test_conf(bootstrap);
    CHECK_ERR(samsa_conf_set(conf, "group.id", GROUP, errstr, sizeof errstr), SAMSA_OK);
    CHECK_ERR(samsa_conf_set(conf, "auto.offset.reset", "earliest", errstr, sizeof errstr), SAMSA_OK);
    CHECK_ERR(samsa_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr), SAMSA_OK);
    /* The mock rebalances a group whose member left only after the group's session timeout less 1 s: keep it short. */
    CHECK_ERR(samsa_conf_set(conf, "session.timeout.ms", "6000", errstr, sizeof errstr), SAMSA_OK);
    CHECK_ERR(samsa_conf_set_rebalance_cb(conf, on_rebalance, log), SAMSA_OK);
    samsa_consumer_t *c = samsa_consumer_new(conf, errstr, sizeof errstr);
    if (c == NULL) {
        fprintf(stderr, "consumer: %s\n", errstr);
        exit(1);
    }
    const char *topics[] = { topic };
    CHECK_ERR(samsa_consumer_subscribe(c, topics, 1), SAMSA_OK);
    return c;
}

/* Polls until *count reaches target (or the deadline); marks each value's index in seen. */
static void consume(samsa_consumer_t *c, int target, int *count, unsigned char *seen, int *twice, long long ms)
{
    long long deadline = test_now_ms() + ms;
    while (*count < target && test_now_ms() < deadline) {
        samsa_message_t *m = samsa_consumer_poll(c, 500);
        if (m == NULL) {
            continue;
        }
        if (m->err == SAMSA_OK) {
            int index = -1;
            char text[32];
            if (m->value_len < sizeof text) {
                memcpy(text, m->value, m->value_len);
                text[m->value_len] = '\0';
                sscanf(text, "g%d", &index);
            }
            CHECK(index >= 0 && index < COUNT);
            if (index >= 0 && index < COUNT && seen[index]++) {
                (*twice)++;
            }
            (*count)++;
        } else {
            fprintf(stderr, "error message: %s (%s)\n", samsa_err2name(m->err), m->errstr);
        }
        samsa_message_destroy(m);
    }
}

int main(void)
{
    const char *bootstrap = test_bootstrap();
    const char *topic = getenv("SAMSA_TEST_TOPIC");
    if (bootstrap == NULL || topic == NULL) {
        fprintf(stderr, "run under bindings/testing/samsa_test_cluster.py\n");
        return 77;
    }
    main_thread = pthread_self();
    long long t0 = test_now_ms();
    char errstr[512];

    samsa_producer_t *p = samsa_producer_new(test_conf(bootstrap), errstr, sizeof errstr);
    if (p == NULL) {
        fprintf(stderr, "producer: %s\n", errstr);
        return 1;
    }
    for (int i = 0; i < COUNT; i++) {
        char value[32];
        int vl = snprintf(value, sizeof value, "g%d", i);
        CHECK_ERR(samsa_produce(p, topic, i % PARTITIONS, NULL, 0, value, (size_t)vl, NULL), SAMSA_OK);
    }
    CHECK_ERR(samsa_flush(p, 60000), SAMSA_OK);
    samsa_producer_destroy(p);

    static unsigned char seen[COUNT];
    int twice = 0;

    /* A: half of the messages, then a synchronous and an asynchronous commit, then close. */
    struct rebalance_log a_log = { 0, 0, 0, 0, 0 };
    samsa_consumer_t *a = group_consumer(bootstrap, topic, &a_log);
    int a_count = 0;
    consume(a, COUNT / 2, &a_count, seen, &twice, 90000);
    CHECK(a_count == COUNT / 2);
    CHECK(a_log.assigned == PARTITIONS);
    CHECK_ERR(samsa_consumer_commit(a, 0), SAMSA_OK);
    CHECK_ERR(samsa_consumer_commit(a, 1), SAMSA_OK);
    samsa_topic_partition_t committed[PARTITIONS];
    for (int i = 0; i < PARTITIONS; i++) {
        committed[i].topic = topic;
        committed[i].partition = i;
        committed[i].offset = 12345;
        committed[i].err = -1;
    }
    CHECK_ERR(samsa_consumer_committed(a, committed, PARTITIONS, 30000), SAMSA_OK);
    long long committed_sum = 0;
    for (int i = 0; i < PARTITIONS; i++) {
        /* A partition A read nothing from has nothing stored, so nothing committed (as with librdkafka). */
        CHECK(committed[i].err == SAMSA_OK && (committed[i].offset >= 0 || committed[i].offset == SAMSA_OFFSET_INVALID));
        if (committed[i].offset > 0) {
            committed_sum += committed[i].offset;
        }
    }
    CHECK(committed_sum == COUNT / 2); /* what A read, all of it committed */
    CHECK_ERR(samsa_consumer_close(a), SAMSA_OK);
    printf("%lld ms: after %s", test_now_ms() - t0, "CHECK_ERR(samsa_consumer_close(a), SAMSA\n");
    CHECK(a_log.revoked == PARTITIONS); /* the revoke callback ran inside close, on this thread */
    CHECK(a_log.off_thread == 0);
    samsa_consumer_destroy(a);
    printf("%lld ms: after %s", test_now_ms() - t0, "samsa_consumer_destroy(a);\n");

    /* B: the rest, from the committed offsets; commits from its revoke callback while closing. */
    struct rebalance_log b_log = { 0, 0, 0, 0, -1 };
    samsa_consumer_t *b = group_consumer(bootstrap, topic, &b_log);
    int b_count = 0;
    consume(b, COUNT - a_count, &b_count, seen, &twice, 90000);
    CHECK(b_count == COUNT - a_count);
    CHECK_ERR(samsa_consumer_close(b), SAMSA_OK);
    printf("%lld ms: after %s", test_now_ms() - t0, "CHECK_ERR(samsa_consumer_close(b), SAMSA\n");
    CHECK(b_log.assigned == PARTITIONS);
    CHECK(b_log.revoked == PARTITIONS);
    CHECK_ERR(b_log.commit_in_revoke, SAMSA_OK);
    CHECK(b_log.off_thread == 0);
    samsa_consumer_destroy(b);
    printf("%lld ms: after %s", test_now_ms() - t0, "samsa_consumer_destroy(b);\n");
    CHECK(twice == 0);
    int missing = 0;
    for (int i = 0; i < COUNT; i++) {
        missing += !seen[i];
    }
    CHECK(missing == 0);

    /* C: everything was committed, so nothing comes once it has its partitions. */
    struct rebalance_log c_log = { 0, 0, 0, 0, 0 };
    samsa_consumer_t *c = group_consumer(bootstrap, topic, &c_log);
    int c_count = 0;
    for (long long deadline = test_now_ms() + 60000; c_log.assigned < PARTITIONS && test_now_ms() < deadline;) {
        consume(c, 1, &c_count, seen, &twice, 500);
    }
    CHECK(c_log.assigned == PARTITIONS);
    printf("%lld ms: after %s", test_now_ms() - t0, "CHECK(c_log.assigned == PARTITIONS);\n");
    consume(c, 1, &c_count, seen, &twice, 2000);
    CHECK(c_count == 0);
    samsa_consumer_destroy(c); /* closes */
    printf("%lld ms: after %s", test_now_ms() - t0, "samsa_consumer_destroy(c); /* closes */\n");
    CHECK(c_log.revoked == PARTITIONS);
    CHECK(c_log.off_thread == 0);

    printf("A read %d, B read %d, C read %d\n", a_count, b_count, c_count);
    return test_finish("test_group_consumer");
}
