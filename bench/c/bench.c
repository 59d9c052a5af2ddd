/*
 * The C end-to-end benchmark client: one process produces or consumes, measures its timed window (wall clock,
 * user+system CPU of the process from getrusage) and prints the RESULT line the orchestrator
 * (tests/Samsa.Bench.E2E) parses, with the peak RSS (ru_maxrss). The same source is linked once with
 * client_samsa.c (libsamsa) and once with client_rdkafka.c (librdkafka): see bench/run.sh.
 *
 *   bench-X --phase produce|consume --bootstrap HOST:PORT,... --topic T [--partitions 256] [--n 1000000]
 *           [--size 100] [--idle-ms 5000] [--profile default|fast] [--consumer-props "name=value;..."]
 *
 * Exit status 77: the client has no API for the phase.
 */
#include "client_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static long delivered, delivery_errors;

static void on_delivery(int err)
{
    delivered++;
    if (err) delivery_errors++;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The process's own high-water mark: VmHWM from /proc/self/status. Not ru_maxrss: Linux carries the parent's
 * RSS at fork/vfork into the child's ru_maxrss across execve, so a client started by the .NET orchestrator
 * (~37 MB) reported at least that much whatever it used itself. ru_maxrss only where /proc is absent. */
static long peak_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        long kb = -1;
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "VmHWM:", 6) == 0) { kb = atol(line + 6); break; }
        fclose(f);
        if (kb >= 0) return kb;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void result(const char *phase, long msgs, long long bytes, double seconds, double cpu, long errors, long queue_full)
{
    printf("RESULT client=%s phase=%s msgs=%ld bytes=%lld seconds=%.4f cpu=%.4f rss_kb=%ld errors=%ld queue_full=%ld\n",
           bench_client_name, phase, msgs, bytes, seconds, cpu, peak_rss_kb(), errors, queue_full);
    fflush(stdout);
}

static const char *arg(int argc, char **argv, const char *name, const char *fallback)
{
    for (int i = 1; i + 1 < argc; i++)
        if (argv[i][0] == '-' && argv[i][1] == '-' && strcmp(argv[i] + 2, name) == 0) return argv[i + 1];
    if (!fallback) { fprintf(stderr, "--%s is required\n", name); exit(2); }
    return fallback;
}

static int produce(const char *bootstrap, const char *topic, long n, size_t size)
{
    /* No key, acks=all, idempotence on, linger.ms=5: the same properties as the .NET clients (Workload.cs). */
    const char *props[] = {"bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", "true", "linger.ms", "5", NULL};
    char errstr[512];
    bench_producer *p = bench_producer_new(props, on_delivery, errstr, sizeof errstr);
    if (!p) { fprintf(stderr, "producer: %s\n", errstr); return 1; }
    char *value = calloc(1, size ? size : 1);
    long queue_full = 0;
    double t0 = now_s(), c0 = cpu_s();
    for (long i = 0; i < n; i++) {
        int err;
        while ((err = bench_produce(p, topic, value, size)) == 1) {
            queue_full++;
            bench_producer_poll(p, 10); /* queue full: serve reports to make room */
        }
        if (err) { fprintf(stderr, "produce: error %d\n", err); return 1; }
        bench_producer_poll(p, 0); /* serve the reports that are ready, as librdkafka's documentation asks */
    }
    int ferr = bench_producer_flush(p);
    double seconds = now_s() - t0, cpu = cpu_s() - c0;
    if (ferr || delivered != n) fprintf(stderr, "flush: error %d, %ld of %ld reports\n", ferr, delivered, n);
    result("produce", delivered - delivery_errors, (long long)(delivered - delivery_errors) * (long long)size, seconds, cpu, delivery_errors, queue_full);
    bench_producer_destroy(p);
    free(value);
    return 0;
}

static int consume(const char *bootstrap, const char *topic, int partitions, long n, int idle_ms, const char *profile,
                   const char *extra)
{
    char group[300];
    snprintf(group, sizeof group, "bench-%s", topic);
    const char *base[] = {"bootstrap.servers", bootstrap, "group.id", group, "enable.auto.commit", "false",
                          "auto.offset.reset", "earliest"};
    /* librdkafka's high-throughput fetch settings (also in Workload.cs). */
    const char *fast[] = {"fetch.queue.backoff.ms", "0", "fetch.wait.max.ms", "200", "fetch.max.bytes", "67108864",
                          "receive.message.max.bytes", "68000000", "max.partition.fetch.bytes", "4194304"};
    const char *props[64];
    size_t k = 0;
    for (size_t i = 0; i < sizeof base / sizeof *base; i++) props[k++] = base[i];
    if (strcmp(profile, "fast") == 0)
        for (size_t i = 0; i < sizeof fast / sizeof *fast; i++) props[k++] = fast[i];
    /* --consumer-props "name=value;...": given to every client alike. */
    char *copy = strdup(extra);
    for (char *save = NULL, *pair = strtok_r(copy, ";", &save); pair && k < 60; pair = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(pair, '=');
        if (!eq) { fprintf(stderr, "--consumer-props: '%s' is not name=value\n", pair); return 2; }
        *eq = '\0';
        props[k++] = pair;
        props[k++] = eq + 1;
    }
    props[k] = NULL;

    char errstr[512];
    int unsupported = 0;
    bench_consumer *c = bench_consumer_new(props, &unsupported, errstr, sizeof errstr);
    if (!c) { fprintf(stderr, "consumer: %s\n", errstr); return unsupported ? 77 : 1; }

    long count = 0, errors = 0;
    long long bytes = 0;
    double t0 = now_s(), c0 = cpu_s();
    double mark_t = 0, mark_c = 0, idle_since = -1;
    if (bench_consumer_assign_all(c, topic, partitions) != 0) { fprintf(stderr, "assign failed\n"); return 1; }
    while (count < n) {
        size_t len = 0;
        int err = 0;
        int r = bench_consumer_poll(c, 100, &len, &err);
        if (r == 1) {
            count++;
            bytes += (long long)len;
            idle_since = -1;
            continue;
        }
        if (r < 0) {
            errors++;
            if (errors <= 5) fprintf(stderr, "consume: error event %d\n", err);
        }
        if (idle_since < 0) { /* the window may end here: the idle wait is not measured */
            idle_since = now_s();
            mark_t = idle_since - t0;
            mark_c = cpu_s() - c0;
        }
        double limit = (count == 0 ? (idle_ms > 30000 ? idle_ms : 30000) : idle_ms) / 1000.0;
        if (now_s() - idle_since >= limit) break;
    }
    double seconds = count == n ? now_s() - t0 : mark_t;
    double cpu = count == n ? cpu_s() - c0 : mark_c;
    char phase[64];
    snprintf(phase, sizeof phase, "consume-%s", profile);
    result(phase, count, bytes, seconds, cpu, errors, 0);
    bench_consumer_destroy(c);
    free(copy);
    return 0;
}

int main(int argc, char **argv)
{
    const char *phase = arg(argc, argv, "phase", NULL);
    const char *bootstrap = arg(argc, argv, "bootstrap", NULL);
    const char *topic = arg(argc, argv, "topic", NULL);
    int partitions = atoi(arg(argc, argv, "partitions", "256"));
    long n = atol(arg(argc, argv, "n", "1000000"));
    size_t size = (size_t)atol(arg(argc, argv, "size", "100"));
    int idle_ms = atoi(arg(argc, argv, "idle-ms", "5000"));
    const char *profile = arg(argc, argv, "profile", "default");
    if (strcmp(phase, "produce") == 0) return produce(bootstrap, topic, n, size);
    const char *extra = arg(argc, argv, "consumer-props", "");
    if (strcmp(phase, "consume") == 0) return consume(bootstrap, topic, partitions, n, idle_ms, profile, extra);
    fprintf(stderr, "unknown --phase %s\n", phase);
    return 2;
}
