/* Round trip: messages produced through libsamsa are read back, byte for byte, by an independent client
 * (kcat, librdkafka). The consumer half of libsamsa comes with the managed consumer; until then this checks
 * what the producer wrote. Skipped (77) when kcat is not installed. */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "test_util.h"

#define COUNT 1000

int main(void)
{
    const char *bootstrap = test_bootstrap();
    const char *topic = getenv("SAMSA_TEST_TOPIC");
    if (bootstrap == NULL || topic == NULL) {
        fprintf(stderr, "run under bindings/testing/samsa_test_cluster.py\n");
        return 77;
    }
    if (access("/usr/bin/kcat", X_OK) != 0) {
        fprintf(stderr, "kcat is not installed: skipped\n");
        return 77;
    }

    char errstr[512];
    samsa_conf_t *conf = test_conf(bootstrap);
    CHECK_ERR(samsa_conf_set(conf, "compression.type", "lz4", errstr, sizeof errstr), SAMSA_OK);
    samsa_producer_t *p = samsa_producer_new(conf, errstr, sizeof errstr);
    if (p == NULL) {
        fprintf(stderr, "producer: %s\n", errstr);
        return 1;
    }

    char key[32], value[64];
    for (int i = 0; i < COUNT; i++) {
        int kl = snprintf(key, sizeof key, "k%d", i);
        int vl = snprintf(value, sizeof value, "v%d-\xc3\xa9", i); /* UTF-8 in the value */
        samsa_header_t h = { "n", key, (size_t)kl };
        CHECK_ERR(samsa_produce_with_headers(p, topic, 0, key, (size_t)kl, value, (size_t)vl, &h, 1, NULL), SAMSA_OK);
    }
    CHECK_ERR(samsa_produce(p, topic, 0, "tomb", 4, NULL, 0, NULL), SAMSA_OK); /* a tombstone */
    CHECK_ERR(samsa_flush(p, 30000), SAMSA_OK);
    samsa_producer_destroy(p);

    char command[1024];
    snprintf(command, sizeof command,
             "/usr/bin/kcat -C -q -e -b '%s' -t '%s' -p 0 -o beginning -f '%%k|%%s|%%S|%%h\\n' 2>&1", bootstrap, topic);
    FILE *in = popen(command, "r");
    CHECK(in != NULL);
    if (in == NULL) {
        return test_finish("test_roundtrip");
    }
    char line[512];
    int n = 0, mismatched = 0;
    while (fgets(line, sizeof line, in) != NULL) {
        char expected[512];
        if (n < COUNT) {
            /* the value's length, for the %S field */
            int vlen = snprintf(value, sizeof value, "v%d-\xc3\xa9", n);
            snprintf(expected, sizeof expected, "k%d|v%d-\xc3\xa9|%d|n=k%d\n", n, n, vlen, n);
        } else {
            snprintf(expected, sizeof expected, "tomb||-1|\n");
        }
        if (strcmp(line, expected) != 0 && mismatched++ < 5) {
            fprintf(stderr, "message %d: got '%s' expected '%s'\n", n, line, expected);
        }
        n++;
    }
    pclose(in);
    CHECK(n == COUNT + 1);
    CHECK(mismatched == 0);
    printf("read back %d messages with kcat\n", n);
    return test_finish("test_roundtrip");
}
