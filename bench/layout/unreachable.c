/* A consumer whose broker is not there (bench/layout/run.sh): traces the code of start-up, failed connections and
 * retries, which a consumer also runs when its brokers are slow to come up. */
#include <samsa.h>
#include <stdio.h>

int main(void)
{
    char errstr[512];
    samsa_conf_t *conf = samsa_conf_new();
    if (samsa_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", errstr, sizeof errstr) != SAMSA_OK
        || samsa_conf_set(conf, "group.id", "layout", errstr, sizeof errstr) != SAMSA_OK) {
        fprintf(stderr, "%s\n", errstr);
        return 1;
    }
    samsa_consumer_t *consumer = samsa_consumer_new(conf, errstr, sizeof errstr);
    if (!consumer) {
        fprintf(stderr, "%s\n", errstr);
        return 1;
    }
    for (int i = 0; i < 5; i++) {
        samsa_message_t *message = samsa_consumer_poll(consumer, 100);
        if (message) samsa_message_destroy(message);
    }
    samsa_consumer_close(consumer);
    samsa_consumer_destroy(consumer);
    return 0;
}
