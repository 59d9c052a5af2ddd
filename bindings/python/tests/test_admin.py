"""The admin client against the test cluster: topic listings work; the admin APIs the test cluster lacks
(CreateTopics, DeleteTopics, ListGroups) fail at once with UNSUPPORTED_VERSION for every item."""
import time

import pytest

from samsa import AdminClient, AdminException, KafkaError, KafkaException, ListGroupsException


def test_lists_topics(bootstrap, topic):
    with AdminClient({"bootstrap.servers": bootstrap}) as admin:
        assert topic in admin.list_topics(timeout=10)


def test_create_and_delete_report_each_topic(bootstrap, topic):
    with AdminClient({"bootstrap.servers": bootstrap}) as admin:
        started = time.monotonic()
        with pytest.raises(AdminException) as info:
            admin.create_topics(["py-admin-a", "py-admin-b"], num_partitions=2, replication_factor=1, timeout=10)
        assert info.value.code == KafkaError.UNSUPPORTED_VERSION
        assert set(info.value.results) == {"py-admin-a", "py-admin-b"}
        assert all(e is not None and e.code() == KafkaError.UNSUPPORTED_VERSION for e in info.value.results.values())
        assert "CreateTopics" in str(info.value)
        with pytest.raises(AdminException) as deleted:
            admin.delete_topics([topic], timeout=10)
        assert deleted.value.results[topic].code() == KafkaError.UNSUPPORTED_VERSION
        assert time.monotonic() - started < 10


def test_list_groups_names_each_failing_broker(bootstrap):
    with AdminClient({"bootstrap.servers": bootstrap}) as admin:
        with pytest.raises(ListGroupsException) as info:
            admin.list_groups(timeout=10)
        assert info.value.code == KafkaError.UNSUPPORTED_VERSION
        assert info.value.groups == []
        assert "broker" in str(info.value) and "ListGroups" in str(info.value)


def test_bad_arguments_and_closed_client():
    admin = AdminClient({"bootstrap.servers": "127.0.0.1:1"})
    with pytest.raises(TypeError):
        admin.create_topics("not-a-list")
    with pytest.raises(TypeError):
        admin.delete_topics([])
    with pytest.raises(KafkaException) as bad:
        admin.create_topics(["t"], num_partitions=0)
    assert bad.value.code == KafkaError._INVALID_ARG
    admin.close()
    admin.close()
    with pytest.raises(KafkaException):
        admin.list_topics()


def test_unknown_property_is_named():
    with pytest.raises(KafkaException) as info:
        AdminClient({"bootstrap.servers": "127.0.0.1:1", "request.timeout.msx": 5})
    assert "request.timeout.ms" in str(info.value)
