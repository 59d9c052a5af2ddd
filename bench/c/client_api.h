/*
 * The one C API the benchmark (bench.c) is written against, mapped onto libsamsa (-DBENCH_SAMSA, samsa.h) or
 * librdkafka (-DBENCH_RDKAFKA, rdkafka.h). Each mapping uses the client's usual calls, nothing more.
 */
#ifndef BENCH_CLIENT_API_H
#define BENCH_CLIENT_API_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_producer bench_producer;
typedef struct bench_consumer bench_consumer;

/* The client's name in RESULT lines. */
extern const char *bench_client_name;

/* Properties are "name", "value" pairs ending with NULL. The delivery callback counts reports. */
bench_producer *bench_producer_new(const char *const *props, void (*on_delivery)(int err), char *errstr, size_t errstr_size);
/* 0 when queued, 1 when the queue is full (poll, then retry), another value on an error. */
int bench_produce(bench_producer *p, const char *topic, const void *value, size_t len);
void bench_producer_poll(bench_producer *p, int timeout_ms);
int bench_producer_flush(bench_producer *p);
void bench_producer_destroy(bench_producer *p);

/* NULL with errstr when the client has no consumer API; *unsupported is then set. */
bench_consumer *bench_consumer_new(const char *const *props, int *unsupported, char *errstr, size_t errstr_size);
/* Assigns partitions 0..count-1 of topic from the beginning. */
int bench_consumer_assign_all(bench_consumer *c, const char *topic, int count);
/* 1 with the value length when a message came, 0 on timeout (or a partition-EOF event), -1 with *err on an error event. */
int bench_consumer_poll(bench_consumer *c, int timeout_ms, size_t *value_len, int *err);
void bench_consumer_destroy(bench_consumer *c);

#endif
