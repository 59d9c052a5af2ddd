/* Reads partitions of a topic from the beginning, without a group (assign), and prints each message.
 *
 *   consumer BOOTSTRAP TOPIC PARTITION_COUNT
 *
 * Build: cc consumer.c $(pkg-config --cflags --libs samsa) -o consumer
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <samsa.h>

static volatile sig_atomic_t running = 1;

static void stop(int sig)
{
    (void)sig;
    running = 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s BOOTSTRAP TOPIC PARTITION_COUNT\n", argv[0]);
        return 2;
    }
    char errstr[512];
    samsa_conf_t *conf = samsa_conf_new();
    if (samsa_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof errstr) != SAMSA_OK) {
        fprintf(stderr, "%s\n", errstr);
        samsa_conf_destroy(conf);
        return 1;
    }
    samsa_consumer_t *consumer = samsa_consumer_new(conf, errstr, sizeof errstr);
    if (consumer == NULL) {
        fprintf(stderr, "samsa_consumer_new: %s\n", errstr);
        samsa_conf_destroy(conf);
        return 1;
    }

    int count = atoi(argv[3]);
    samsa_topic_partition_t *parts = calloc((size_t)count, sizeof *parts);
    for (int i = 0; i < count; i++) {
        parts[i].topic = argv[2];
        parts[i].partition = i;
        parts[i].offset = SAMSA_OFFSET_BEGINNING;
    }
    int err = samsa_consumer_assign(consumer, parts, (size_t)count);
    free(parts);
    if (err != SAMSA_OK) {
        fprintf(stderr, "assign: %s\n", samsa_last_errstr());
        samsa_consumer_destroy(consumer);
        return 1;
    }

    signal(SIGINT, stop);
    while (running) {
        samsa_message_t *m = samsa_consumer_poll(consumer, 1000);
        if (m == NULL) {
            continue; /* timeout */
        }
        if (m->err != SAMSA_OK) {
            fprintf(stderr, "error: %s\n", m->errstr);
        } else {
            printf("%s [%d] @%lld: %.*s\n", m->topic, (int)m->partition, (long long)m->offset,
                   (int)m->value_len, m->value != NULL ? (const char *)m->value : "");
        }
        samsa_message_destroy(m); /* releases the pooled memory key/value point into */
    }
    samsa_consumer_close(consumer);
    samsa_consumer_destroy(consumer);
    return 0;
}
