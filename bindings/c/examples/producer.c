/* Produces lines read from stdin (or COUNT generated messages) to a topic, with delivery reports.
 *
 *   producer BOOTSTRAP TOPIC [COUNT]
 *
 * Build: cc producer.c $(pkg-config --cflags --libs samsa) -o producer
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <samsa.h>

static int delivered, failed;

static void on_delivery(const samsa_delivery_t *report, void *opaque)
{
    (void)opaque;
    if (report->err != SAMSA_OK) {
        failed++;
        fprintf(stderr, "message %ld failed: %s\n", (long)(intptr_t)report->msg_opaque, report->errstr);
    } else {
        delivered++;
    }
}

static int produce(samsa_producer_t *producer, const char *topic, const char *value, size_t len, intptr_t n)
{
    int err;
    while ((err = samsa_produce(producer, topic, SAMSA_PARTITION_UA, NULL, 0, value, len, (void *)n)) == SAMSA_ERR_QUEUE_FULL) {
        samsa_poll(producer, 100); /* the queue is full: serve reports, which frees room */
    }
    if (err != SAMSA_OK) {
        fprintf(stderr, "produce: %s: %s\n", samsa_err2name(err), samsa_last_errstr());
    }
    samsa_poll(producer, 0);
    return err;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s BOOTSTRAP TOPIC [COUNT]\n", argv[0]);
        return 2;
    }
    char errstr[512];
    samsa_conf_t *conf = samsa_conf_new();
    if (samsa_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof errstr) != SAMSA_OK
        || samsa_conf_set(conf, "linger.ms", "5", errstr, sizeof errstr) != SAMSA_OK) {
        fprintf(stderr, "%s\n", errstr);
        samsa_conf_destroy(conf);
        return 1;
    }
    samsa_conf_set_delivery_cb(conf, on_delivery, NULL);
    samsa_producer_t *producer = samsa_producer_new(conf, errstr, sizeof errstr);
    if (producer == NULL) {
        fprintf(stderr, "samsa_producer_new: %s\n", errstr);
        samsa_conf_destroy(conf);
        return 1;
    }

    intptr_t n = 0;
    if (argc > 3) {
        long count = strtol(argv[3], NULL, 10);
        char value[64];
        for (n = 0; n < count; n++) {
            int len = snprintf(value, sizeof value, "message %ld", (long)n);
            if (produce(producer, argv[2], value, (size_t)len, n) != SAMSA_OK) {
                break;
            }
        }
    } else {
        char line[4096];
        while (fgets(line, sizeof line, stdin) != NULL) {
            size_t len = strcspn(line, "\n");
            if (produce(producer, argv[2], line, len, n++) != SAMSA_OK) {
                break;
            }
        }
    }

    if (samsa_flush(producer, 30000) != SAMSA_OK) {
        fprintf(stderr, "flush: %ld messages not delivered in time\n", (long)samsa_outq_len(producer));
    }
    samsa_producer_destroy(producer);
    printf("%d delivered, %d failed\n", delivered, failed);
    return failed == 0 ? 0 : 1;
}
