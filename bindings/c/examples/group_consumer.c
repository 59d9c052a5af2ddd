/* Joins a consumer group, subscribes to topics, prints messages and rebalances, commits as it goes.
 *
 *   group_consumer BOOTSTRAP GROUP TOPIC...
 */
#include <signal.h>
#include <stdio.h>

#include <samsa.h>

static volatile sig_atomic_t running = 1;

static void stop(int sig)
{
    (void)sig;
    running = 0;
}

static void on_rebalance(samsa_consumer_t *consumer, int event, const samsa_topic_partition_t *partitions,
                         size_t partition_cnt, void *opaque)
{
    (void)opaque;
    const char *what = event == SAMSA_REBALANCE_ASSIGNED ? "assigned" : event == SAMSA_REBALANCE_REVOKED ? "revoked" : "lost";
    for (size_t i = 0; i < partition_cnt; i++) {
        printf("%s: %s [%d]\n", what, partitions[i].topic, (int)partitions[i].partition);
    }
    if (event == SAMSA_REBALANCE_REVOKED) {
        samsa_consumer_commit(consumer, 0); /* keep what was consumed before the partitions go */
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s BOOTSTRAP GROUP TOPIC...\n", argv[0]);
        return 2;
    }
    char errstr[512];
    samsa_conf_t *conf = samsa_conf_new();
    if (samsa_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof errstr) != SAMSA_OK
        || samsa_conf_set(conf, "group.id", argv[2], errstr, sizeof errstr) != SAMSA_OK
        || samsa_conf_set(conf, "auto.offset.reset", "earliest", errstr, sizeof errstr) != SAMSA_OK
        || samsa_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr) != SAMSA_OK) {
        fprintf(stderr, "%s\n", errstr);
        samsa_conf_destroy(conf);
        return 1;
    }
    samsa_conf_set_rebalance_cb(conf, on_rebalance, NULL);
    samsa_consumer_t *consumer = samsa_consumer_new(conf, errstr, sizeof errstr);
    if (consumer == NULL) {
        fprintf(stderr, "samsa_consumer_new: %s\n", errstr);
        samsa_conf_destroy(conf);
        return 1;
    }
    if (samsa_consumer_subscribe(consumer, (const char *const *)&argv[3], (size_t)(argc - 3)) != SAMSA_OK) {
        fprintf(stderr, "subscribe: %s\n", samsa_last_errstr());
        samsa_consumer_destroy(consumer);
        return 1;
    }

    signal(SIGINT, stop);
    long consumed = 0;
    while (running) {
        samsa_message_t *m = samsa_consumer_poll(consumer, 1000); /* rebalance callbacks run in here */
        if (m == NULL) {
            continue;
        }
        if (m->err == SAMSA_OK) {
            printf("%s [%d] @%lld: %zu bytes\n", m->topic, (int)m->partition, (long long)m->offset, m->value_len);
            if (++consumed % 1000 == 0) {
                samsa_consumer_commit(consumer, 1);
            }
        } else {
            fprintf(stderr, "error: %s\n", m->errstr);
        }
        samsa_message_destroy(m);
    }
    samsa_consumer_commit(consumer, 0);
    samsa_consumer_close(consumer); /* leaves the group */
    samsa_consumer_destroy(consumer);
    return 0;
}
