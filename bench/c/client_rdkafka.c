/* bench client API on librdkafka's C API (the topic-handle produce call, as rdkafka_performance uses). */
#include "client_api.h"

#include <librdkafka/rdkafka.h>
#include <stdlib.h>
#include <string.h>

const char *bench_client_name = "librdkafka";

struct bench_producer { rd_kafka_t *rk; rd_kafka_topic_t *rkt; char *topic; };
struct bench_consumer { rd_kafka_t *rk; };

static void (*delivery_handler)(int err);

static void on_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk; (void)opaque;
    delivery_handler((int)m->err);
}

static rd_kafka_conf_t *make_conf(const char *const *props, char *errstr, size_t errstr_size)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (size_t i = 0; props[i]; i += 2) {
        if (rd_kafka_conf_set(conf, props[i], props[i + 1], errstr, errstr_size) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            return NULL;
        }
    }
    return conf;
}

bench_producer *bench_producer_new(const char *const *props, void (*on_delivery)(int err), char *errstr, size_t errstr_size)
{
    rd_kafka_conf_t *conf = make_conf(props, errstr, errstr_size);
    if (!conf) return NULL;
    delivery_handler = on_delivery;
    rd_kafka_conf_set_dr_msg_cb(conf, on_dr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, errstr_size);
    if (!rk) { rd_kafka_conf_destroy(conf); return NULL; }
    bench_producer *p = calloc(1, sizeof *p);
    p->rk = rk;
    return p;
}

int bench_produce(bench_producer *p, const char *topic, const void *value, size_t len)
{
    if (!p->rkt || strcmp(p->topic, topic) != 0) {
        if (p->rkt) rd_kafka_topic_destroy(p->rkt);
        free(p->topic);
        p->topic = strdup(topic);
        p->rkt = rd_kafka_topic_new(p->rk, topic, NULL);
    }
    if (rd_kafka_produce(p->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, (void *)value, len, NULL, 0, NULL) == 0)
        return 0;
    return rd_kafka_last_error() == RD_KAFKA_RESP_ERR__QUEUE_FULL ? 1 : (int)rd_kafka_last_error();
}

void bench_producer_poll(bench_producer *p, int timeout_ms) { rd_kafka_poll(p->rk, timeout_ms); }

int bench_producer_flush(bench_producer *p) { return (int)rd_kafka_flush(p->rk, -1); }

void bench_producer_destroy(bench_producer *p)
{
    if (p->rkt) rd_kafka_topic_destroy(p->rkt);
    rd_kafka_destroy(p->rk);
    free(p->topic);
    free(p);
}

bench_consumer *bench_consumer_new(const char *const *props, int *unsupported, char *errstr, size_t errstr_size)
{
    *unsupported = 0;
    rd_kafka_conf_t *conf = make_conf(props, errstr, errstr_size);
    if (!conf) return NULL;
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, errstr_size);
    if (!rk) { rd_kafka_conf_destroy(conf); return NULL; }
    rd_kafka_poll_set_consumer(rk);
    bench_consumer *c = calloc(1, sizeof *c);
    c->rk = rk;
    return c;
}

int bench_consumer_assign_all(bench_consumer *c, const char *topic, int count)
{
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(count);
    for (int i = 0; i < count; i++)
        rd_kafka_topic_partition_list_add(list, topic, i)->offset = RD_KAFKA_OFFSET_BEGINNING;
    int err = (int)rd_kafka_assign(c->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    return err;
}

int bench_consumer_poll(bench_consumer *c, int timeout_ms, size_t *value_len, int *err)
{
    rd_kafka_message_t *m = rd_kafka_consumer_poll(c->rk, timeout_ms);
    if (!m) return 0;
    int result = 1;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) result = 0;
    else if (m->err) { *err = (int)m->err; result = -1; }
    else *value_len = m->len;
    rd_kafka_message_destroy(m);
    return result;
}

void bench_consumer_destroy(bench_consumer *c)
{
    rd_kafka_consumer_close(c->rk);
    rd_kafka_destroy(c->rk);
    free(c);
}
