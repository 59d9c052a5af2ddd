/* Minimal test helpers for the C tests: CHECK records a failure and goes on; the program's exit status is
 * the number of failures (capped), 77 means skipped (CTest's SKIP_RETURN_CODE). */
#ifndef SAMSA_TEST_UTIL_H
#define SAMSA_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "samsa.h"

static int test_failures = 0;
static int test_checks = 0;

#define CHECK(cond)                                                                                 \
    do {                                                                                            \
        test_checks++;                                                                              \
        if (!(cond)) {                                                                              \
            test_failures++;                                                                        \
            fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, #cond, \
                    samsa_last_errstr());                                                           \
        }                                                                                           \
    } while (0)

#define CHECK_ERR(expr, expected)                                                                   \
    do {                                                                                            \
        int check_err_got_ = (int)(expr);                                                           \
        test_checks++;                                                                              \
        if (check_err_got_ != (expected)) {                                                         \
            test_failures++;                                                                        \
            fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s); last error: %s\n",        \
                    __FILE__, __LINE__, #expr, check_err_got_, samsa_err2name(check_err_got_),      \
                    (int)(expected), samsa_err2name(expected), samsa_last_errstr());                \
        }                                                                                           \
    } while (0)

static inline int test_finish(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
    return test_failures > 100 ? 100 : test_failures;
}

/* The bootstrap servers the harness (bindings/testing/samsa_test_cluster.py) passes, or NULL. */
static inline const char *test_bootstrap(void)
{
    const char *b = getenv("SAMSA_BOOTSTRAP_SERVERS");
    return b != NULL && b[0] != '\0' ? b : NULL;
}

static inline long long test_now_ms(void);

/* With SAMSA_TEST_DEBUG set: the clients' logs (served during poll) on stderr. */
static void test_log(int level, const char *fac, const char *msg, void *opaque)
{
    (void)opaque;
    fprintf(stderr, "%lld %d %s %s\n", test_now_ms() % 1000000, level, fac, msg);
    fflush(stderr);
}

/* A conf with bootstrap.servers set and short timeouts for tests. */
static inline samsa_conf_t *test_conf(const char *bootstrap)
{
    char errstr[512];
    samsa_conf_t *conf = samsa_conf_new();
    if (samsa_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr) != SAMSA_OK) {
        fprintf(stderr, "bootstrap.servers: %s\n", errstr);
        exit(1);
    }
    if (getenv("SAMSA_TEST_DEBUG") != NULL) { /* every client's debug log on stderr, with a millisecond clock */
        samsa_conf_set(conf, "debug", "all", errstr, sizeof errstr);
        samsa_conf_set_log_cb(conf, test_log, NULL);
    }
    return conf;
}

static inline long long test_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
