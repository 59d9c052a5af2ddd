/* The admin client against the test cluster: listing topics works (SAMSA_TEST_TOPIC is there); the admin APIs
 * the test cluster lacks (CreateTopics, DeleteTopics, ListGroups) fail at once with UNSUPPORTED_VERSION for
 * every item; bad arguments are refused. */
#include "test_util.h"

struct topics_seen {
    const char *wanted;
    int found;
    int count;
};

static void on_topic(const char *topic, int is_internal, void *opaque)
{
    struct topics_seen *st = opaque;
    st->count++;
    if (!is_internal && strcmp(topic, st->wanted) == 0) {
        st->found++;
    }
}

static void on_group(const char *group_id, const char *state, const char *protocol_type, int32_t coordinator_id, void *opaque)
{
    (void)group_id;
    (void)state;
    (void)protocol_type;
    (void)coordinator_id;
    (*(int *)opaque)++;
}

int main(void)
{
    const char *bootstrap = test_bootstrap();
    const char *topic = getenv("SAMSA_TEST_TOPIC");
    if (bootstrap == NULL || topic == NULL) {
        fprintf(stderr, "needs SAMSA_BOOTSTRAP_SERVERS and SAMSA_TEST_TOPIC (run under the test cluster harness)\n");
        return 77;
    }

    char errstr[512];
    samsa_admin_t *admin = samsa_admin_new(test_conf(bootstrap), errstr, sizeof errstr);
    CHECK(admin != NULL);

    struct topics_seen seen = { topic, 0, 0 };
    CHECK_ERR(samsa_admin_list_topics(admin, 10000, on_topic, &seen), SAMSA_OK);
    CHECK(seen.found == 1);
    CHECK(seen.count >= 1);

    const char *names[2] = { "c-admin-a", "c-admin-b" };
    int32_t errors[2] = { -1, -1 };
    time_t started = time(NULL);
    CHECK_ERR(samsa_admin_create_topics(admin, names, 2, 3, 1, 10000, errors), SAMSA_ERR_UNSUPPORTED_VERSION);
    CHECK(errors[0] == SAMSA_ERR_UNSUPPORTED_VERSION && errors[1] == SAMSA_ERR_UNSUPPORTED_VERSION);
    CHECK(strstr(samsa_last_errstr(), "CreateTopics") != NULL);
    const char *existing[1] = { topic };
    errors[0] = -1;
    CHECK_ERR(samsa_admin_delete_topics(admin, existing, 1, 10000, errors), SAMSA_ERR_UNSUPPORTED_VERSION);
    CHECK(errors[0] == SAMSA_ERR_UNSUPPORTED_VERSION);
    CHECK_ERR(samsa_admin_create_topics(admin, names, 2, 3, 1, 10000, NULL), SAMSA_ERR_UNSUPPORTED_VERSION);
    int groups = 0;
    CHECK_ERR(samsa_admin_list_groups(admin, 10000, on_group, &groups), SAMSA_ERR_UNSUPPORTED_VERSION);
    CHECK(groups == 0);
    CHECK(strstr(samsa_last_errstr(), "ListGroups") != NULL);
    CHECK(time(NULL) - started < 10); /* missing APIs fail at once, not at the timeout */

    /* Bad arguments. */
    CHECK_ERR(samsa_admin_create_topics(NULL, names, 2, 1, 1, 0, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_admin_create_topics(admin, NULL, 2, 1, 1, 0, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_admin_create_topics(admin, names, 0, 1, 1, 0, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_admin_create_topics(admin, names, 2, 0, 1, 0, NULL), SAMSA_ERR_INVALID_ARG);
    const char *with_null[2] = { "ok", NULL };
    CHECK_ERR(samsa_admin_delete_topics(admin, with_null, 2, 0, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_admin_list_groups(admin, 0, NULL, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK_ERR(samsa_admin_list_topics(admin, 0, NULL, NULL), SAMSA_ERR_INVALID_ARG);
    CHECK(samsa_admin_new(NULL, errstr, sizeof errstr) == NULL);

    samsa_admin_destroy(admin);
    samsa_admin_destroy(admin); /* ignored */
    CHECK_ERR(samsa_admin_list_topics(admin, 0, on_topic, &seen), SAMSA_ERR_INVALID_ARG);
    return test_finish("test_admin");
}
