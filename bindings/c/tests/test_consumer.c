/* Consumer round trip through libsamsa alone: N messages (keys, values, a header, a tombstone) are produced
 * over every partition, then read back with samsa_consumer_assign() from the beginning until each partition
 * reports SAMSA_ERR_PARTITION_EOF; every payload is checked, none may be missing or repeated. Messages kept
 * past the consumer's destroy must stay valid, and destroying a message twice must be harmless. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "test_util.h"

#define COUNT 3000
#define PARTITIONS 4
#define KEPT 10

static int delivered_ok = 0;

static void on_delivery(const samsa_delivery_t *report, void *opaque)
{
    (void)opaque;
    if (report->err == SAMSA_OK) {
        delivered_ok++;
    }
}

/* Checks one consumed message against what was produced; returns its index or -1. */
static int check_message(const samsa_message_t *m, const char *topic)
{
    if (m->topic == NULL || strcmp(m->topic, topic) != 0 || m->key == NULL) {
        return -1;
    }
    char key[32], value[128];
    int index = -1;
    if (m->key_len < sizeof key) {
        memcpy(key, m->key, m->key_len);
        key[m->key_len] = '\0';
        if (sscanf(key, "k%d", &index) != 1 || index < 0 || index > COUNT) {
            return -1;
        }
    }
    if (index == COUNT) { /* the tombstone */
        return m->value == NULL && m->value_len == 0 && m->header_cnt == 0 ? index : -1;
    }
    int vl = snprintf(value, sizeof value, "value-%d-\xc3\xa9-%0*d", index, index % 50, 0);
    if (m->value == NULL || m->value_len != (size_t)vl || memcmp(m->value, value, (size_t)vl) != 0) {
        return -1;
    }
    if (m->header_cnt != 1 || strcmp(m->headers[0].name, "idx") != 0 || m->headers[0].value_len != m->key_len
        || memcmp(m->headers[0].value, m->key, m->key_len) != 0) {
        return -1;
    }
    if (m->partition != index % PARTITIONS || m->timestamp <= 0 || m->timestamp_type != SAMSA_TIMESTAMP_CREATE_TIME) {
        return -1;
    }
    return index;
}

/* Messages handed to another thread, which checks and destroys them (samsa_message_destroy from any thread). */
#define RING 64
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    samsa_message_t *items[RING];
    int head, tail, done;
    int checked, bad;
    const char *topic;
} ring = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0, 0, 0, 0, 0, NULL };

static void *destroyer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&ring.lock);
    for (;;) {
        while (ring.head == ring.tail && !ring.done) {
            pthread_cond_wait(&ring.changed, &ring.lock);
        }
        if (ring.head == ring.tail) {
            break;
        }
        samsa_message_t *m = ring.items[ring.tail % RING];
        ring.tail++;
        pthread_cond_broadcast(&ring.changed);
        pthread_mutex_unlock(&ring.lock);
        int ok = check_message(m, ring.topic) >= 0;
        samsa_message_destroy(m);
        pthread_mutex_lock(&ring.lock);
        ring.checked++;
        ring.bad += !ok;
    }
    pthread_mutex_unlock(&ring.lock);
    return NULL;
}

static void hand_over(samsa_message_t *m)
{
    pthread_mutex_lock(&ring.lock);
    while (ring.head - ring.tail == RING) {
        pthread_cond_wait(&ring.changed, &ring.lock);
    }
    ring.items[ring.head % RING] = m;
    ring.head++;
    pthread_cond_broadcast(&ring.changed);
    pthread_mutex_unlock(&ring.lock);
}

int main(void)
{
    const char *bootstrap = test_bootstrap();
    const char *topic = getenv("SAMSA_TEST_TOPIC");
    if (bootstrap == NULL || topic == NULL) {
        fprintf(stderr, "run under bindings/testing/samsa_test_cluster.py\n");
        return 77;
    }
    char errstr[512];

    /* Produce. */
    samsa_conf_t *pconf = test_conf(bootstrap);
    CHECK_ERR(samsa_conf_set(pconf, "compression.type", "lz4", errstr, sizeof errstr), SAMSA_OK);
    samsa_conf_set_delivery_cb(pconf, on_delivery, NULL);
    samsa_producer_t *p = samsa_producer_new(pconf, errstr, sizeof errstr);
    if (p == NULL) {
        fprintf(stderr, "producer: %s\n", errstr);
        return 1;
    }
    char key[32], value[128];
    for (int i = 0; i < COUNT; i++) {
        int kl = snprintf(key, sizeof key, "k%d", i);
        int vl = snprintf(value, sizeof value, "value-%d-\xc3\xa9-%0*d", i, i % 50, 0);
        samsa_header_t h = { "idx", key, (size_t)kl };
        int err;
        while ((err = samsa_produce_with_headers(p, topic, i % PARTITIONS, key, (size_t)kl, value, (size_t)vl, &h, 1, NULL))
               == SAMSA_ERR_QUEUE_FULL) {
            samsa_poll(p, 10);
        }
        CHECK_ERR(err, SAMSA_OK);
    }
    int tl = snprintf(key, sizeof key, "k%d", COUNT);
    CHECK_ERR(samsa_produce(p, topic, COUNT % PARTITIONS, key, (size_t)tl, NULL, 0, NULL), SAMSA_OK);
    CHECK_ERR(samsa_flush(p, 60000), SAMSA_OK);
    CHECK(delivered_ok == COUNT + 1);
    samsa_producer_destroy(p);

    /* Consume everything back with an explicit assignment. */
    samsa_conf_t *conf = test_conf(bootstrap);
    CHECK_ERR(samsa_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof errstr), SAMSA_OK);
    samsa_consumer_t *c = samsa_consumer_new(conf, errstr, sizeof errstr);
    if (c == NULL) {
        fprintf(stderr, "consumer: %s\n", errstr);
        return 1;
    }
    samsa_topic_partition_t parts[PARTITIONS];
    for (int i = 0; i < PARTITIONS; i++) {
        parts[i].topic = topic;
        parts[i].partition = i;
        parts[i].offset = SAMSA_OFFSET_BEGINNING;
        parts[i].err = 0;
    }
    CHECK_ERR(samsa_consumer_assign(c, parts, PARTITIONS), SAMSA_OK);

    static unsigned char seen[COUNT + 1];
    long long next_offset[PARTITIONS] = { 0 };
    int received = 0, bad = 0, duplicates = 0, out_of_order = 0, eofs = 0, other_errors = 0;
    int eof_seen[PARTITIONS] = { 0 };
    samsa_message_t *kept[KEPT];
    int kept_index[KEPT];
    int kept_cnt = 0;
    long long deadline = test_now_ms() + 120000;
    while (eofs < PARTITIONS && test_now_ms() < deadline) {
        samsa_message_t *m = samsa_consumer_poll(c, 1000);
        if (m == NULL) {
            continue;
        }
        if (m->err == SAMSA_ERR_PARTITION_EOF) {
            if (m->partition >= 0 && m->partition < PARTITIONS && !eof_seen[m->partition]) {
                eof_seen[m->partition] = 1;
                eofs++;
                CHECK(m->offset == next_offset[m->partition]);
                CHECK(m->errstr != NULL);
            }
            samsa_message_destroy(m);
            continue;
        }
        if (m->err != SAMSA_OK) {
            if (other_errors++ < 5) {
                fprintf(stderr, "error message: %s (%s)\n", samsa_err2name(m->err), m->errstr);
            }
            samsa_message_destroy(m);
            continue;
        }
        int index = check_message(m, topic);
        if (index < 0) {
            if (bad++ < 5) {
                fprintf(stderr, "bad message at %s [%d] @%lld\n", m->topic, (int)m->partition, (long long)m->offset);
            }
        } else if (seen[index]++) {
            duplicates++;
        }
        if (m->partition >= 0 && m->partition < PARTITIONS) {
            if (m->offset != next_offset[m->partition]) {
                out_of_order++;
            }
            next_offset[m->partition] = m->offset + 1;
        }
        received++;
        if (index >= 0 && kept_cnt < KEPT && index % 97 == 0) {
            kept_index[kept_cnt] = index;
            kept[kept_cnt++] = m; /* kept past the consumer's destroy */
        } else {
            samsa_message_destroy(m);
        }
    }
    CHECK(eofs == PARTITIONS);
    CHECK(received == COUNT + 1);
    CHECK(bad == 0);
    CHECK(duplicates == 0);
    CHECK(out_of_order == 0);
    CHECK(other_errors == 0);
    int missing = 0;
    for (int i = 0; i <= COUNT; i++) {
        missing += !seen[i];
    }
    CHECK(missing == 0);

    /* Positions: the offset after each partition's last message. */
    samsa_topic_partition_t pos[PARTITIONS];
    memcpy(pos, parts, sizeof pos);
    CHECK_ERR(samsa_consumer_position(c, pos, PARTITIONS), SAMSA_OK);
    for (int i = 0; i < PARTITIONS; i++) {
        CHECK(pos[i].err == SAMSA_OK && pos[i].offset == next_offset[i]);
    }
    CHECK_ERR(samsa_consumer_position(c, NULL, 1), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_consumer_pause(c, parts, PARTITIONS), SAMSA_OK);
    CHECK_ERR(samsa_consumer_resume(c, parts, PARTITIONS), SAMSA_OK);
    CHECK_ERR(samsa_consumer_seek(c, NULL, 0, 0), SAMSA_ERR_INVALID_ARG);

    /* Double destroy of a message, while the consumer is alive, is ignored. */
    samsa_message_t *m = NULL;
    CHECK_ERR(samsa_consumer_assign(c, parts, 1), SAMSA_OK); /* partition 0 again, from the beginning */
    for (long long until = test_now_ms() + 30000; m == NULL && test_now_ms() < until;) {
        m = samsa_consumer_poll(c, 1000);
    }
    CHECK(m != NULL && m->err == SAMSA_OK && m->partition == 0 && m->offset == 0);
    samsa_message_destroy(m);
    samsa_message_destroy(m);
    samsa_message_destroy(NULL);
    samsa_message_t *after = samsa_consumer_poll(c, 5000);
    CHECK(after != NULL && after->err == SAMSA_OK && after->partition == 0 && after->offset == 1);
    samsa_message_destroy(after);

    /* Seek back, and positions of a partition no longer assigned. */
    CHECK_ERR(samsa_consumer_seek(c, topic, 0, 5), SAMSA_OK);
    samsa_message_t *sought = samsa_consumer_poll(c, 5000);
    CHECK(sought != NULL && sought->err == SAMSA_OK && sought->partition == 0 && sought->offset == 5);
    samsa_message_destroy(sought);
    memcpy(pos, parts, sizeof pos);
    CHECK_ERR(samsa_consumer_position(c, pos, 2), SAMSA_OK);
    CHECK(pos[0].err == SAMSA_OK && pos[0].offset == 6);
    CHECK(pos[1].err == SAMSA_ERR_STATE && pos[1].offset == SAMSA_OFFSET_INVALID);
    CHECK_ERR(samsa_consumer_seek(c, topic, 3, 0), SAMSA_ERR_STATE); /* not assigned */

    /* Everything again, destroyed on another thread while this one polls. */
    CHECK_ERR(samsa_consumer_assign(c, parts, PARTITIONS), SAMSA_OK);
    ring.topic = topic;
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, destroyer, NULL) == 0);
    int handed = 0, eofs_again = 0;
    for (long long until = test_now_ms() + 120000; eofs_again < PARTITIONS && test_now_ms() < until;) {
        samsa_message_t *hm = samsa_consumer_poll(c, 1000);
        if (hm == NULL) {
            continue;
        }
        if (hm->err == SAMSA_ERR_PARTITION_EOF) {
            eofs_again++;
            samsa_message_destroy(hm);
            continue;
        }
        CHECK(hm->err == SAMSA_OK);
        hand_over(hm);
        handed++;
    }
    pthread_mutex_lock(&ring.lock);
    ring.done = 1;
    pthread_cond_broadcast(&ring.changed);
    pthread_mutex_unlock(&ring.lock);
    pthread_join(thread, NULL);
    CHECK(handed == COUNT + 1);
    CHECK(ring.checked == handed);
    CHECK(ring.bad == 0);

    CHECK_ERR(samsa_consumer_close(c), SAMSA_OK);
    samsa_consumer_destroy(c);

    /* Messages outlive their consumer. */
    for (int i = 0; i < kept_cnt; i++) {
        CHECK(check_message(kept[i], topic) == kept_index[i]);
        samsa_message_destroy(kept[i]);
    }
    CHECK(kept_cnt > 0);
    printf("consumed %d messages over %d partitions, kept %d past the consumer\n", received, PARTITIONS, kept_cnt);
    return test_finish("test_consumer");
}
