/*
 * bench client API on libsamsa (samsa.h). The consumer part needs samsa_consumer_new & co., which bench/run.sh
 * detects in the header (-DBENCH_SAMSA_CONSUMER); without them the consume phase reports itself unsupported.
 */
#include "client_api.h"

#include <samsa.h>
#include <stdio.h>
#include <stdlib.h>

const char *bench_client_name = "libsamsa";

struct bench_producer { samsa_producer_t *p; };
struct bench_consumer { samsa_consumer_t *c; };

static void (*delivery_handler)(int err);

static void on_dr(const samsa_delivery_t *report, void *opaque)
{
    (void)opaque;
    delivery_handler(report->err);
}

static samsa_conf_t *make_conf(const char *const *props, char *errstr, size_t errstr_size)
{
    samsa_conf_t *conf = samsa_conf_new();
    for (size_t i = 0; props[i]; i += 2) {
        if (samsa_conf_set(conf, props[i], props[i + 1], errstr, errstr_size) != SAMSA_OK) {
            samsa_conf_destroy(conf);
            return NULL;
        }
    }
    return conf;
}

bench_producer *bench_producer_new(const char *const *props, void (*on_delivery)(int err), char *errstr, size_t errstr_size)
{
    samsa_conf_t *conf = make_conf(props, errstr, errstr_size);
    if (!conf) return NULL;
    delivery_handler = on_delivery;
    samsa_conf_set_delivery_cb(conf, on_dr, NULL);
    samsa_producer_t *p = samsa_producer_new(conf, errstr, errstr_size);
    if (!p) { samsa_conf_destroy(conf); return NULL; }
    bench_producer *b = calloc(1, sizeof *b);
    b->p = p;
    return b;
}

int bench_produce(bench_producer *p, const char *topic, const void *value, size_t len)
{
    int err = samsa_produce(p->p, topic, SAMSA_PARTITION_UA, NULL, 0, value, len, NULL);
    return err == SAMSA_OK ? 0 : err == SAMSA_ERR_QUEUE_FULL ? 1 : err;
}

void bench_producer_poll(bench_producer *p, int timeout_ms) { samsa_poll(p->p, timeout_ms); }

int bench_producer_flush(bench_producer *p) { return samsa_flush(p->p, -1); }

void bench_producer_destroy(bench_producer *p)
{
    samsa_producer_destroy(p->p);
    free(p);
}

#ifdef BENCH_SAMSA_CONSUMER
bench_consumer *bench_consumer_new(const char *const *props, int *unsupported, char *errstr, size_t errstr_size)
{
    *unsupported = 0;
    samsa_conf_t *conf = make_conf(props, errstr, errstr_size);
    if (!conf) return NULL;
    samsa_consumer_t *c = samsa_consumer_new(conf, errstr, errstr_size);
    if (!c) { samsa_conf_destroy(conf); return NULL; }
    bench_consumer *b = calloc(1, sizeof *b);
    b->c = c;
    return b;
}

int bench_consumer_assign_all(bench_consumer *c, const char *topic, int count)
{
    samsa_topic_partition_t *tp = calloc((size_t)count, sizeof *tp);
    for (int i = 0; i < count; i++) {
        tp[i].topic = topic;
        tp[i].partition = i;
        tp[i].offset = SAMSA_OFFSET_BEGINNING;
    }
    int err = samsa_consumer_assign(c->c, tp, (size_t)count);
    free(tp);
    return err;
}

int bench_consumer_poll(bench_consumer *c, int timeout_ms, size_t *value_len, int *err)
{
    samsa_message_t *m = samsa_consumer_poll(c->c, timeout_ms);
    if (!m) return 0;
    int result = 1;
    if (m->err == SAMSA_ERR_PARTITION_EOF) result = 0;
    else if (m->err) { *err = m->err; result = -1; }
    else *value_len = m->value_len;
    samsa_message_destroy(m);
    return result;
}

void bench_consumer_destroy(bench_consumer *c)
{
    samsa_consumer_close(c->c);
    samsa_consumer_destroy(c->c);
    free(c);
}
#else
bench_consumer *bench_consumer_new(const char *const *props, int *unsupported, char *errstr, size_t errstr_size)
{
    (void)props;
    *unsupported = 1;
    snprintf(errstr, errstr_size, "this libsamsa has no consumer C API (samsa.h declares no samsa_consumer_new)");
    return NULL;
}
int bench_consumer_assign_all(bench_consumer *c, const char *topic, int count) { (void)c; (void)topic; (void)count; return -1; }
int bench_consumer_poll(bench_consumer *c, int timeout_ms, size_t *value_len, int *err)
{
    (void)c; (void)timeout_ms; (void)value_len; (void)err;
    return -1;
}
void bench_consumer_destroy(bench_consumer *c) { (void)c; }
#endif
