using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Admin;

/// <summary>CreateTopics, DeleteTopics and CreatePartitions: sent to the controller, retried when it moves.</summary>
internal static class TopicOperations
{
    public static async Task<IReadOnlyList<CreateTopicResult>> CreateTopicsAsync(AdminContext context, IReadOnlyList<NewTopic> topics, AdminOptions? options, CancellationToken cancellationToken)
    {
        var byName = new Dictionary<string, NewTopic>(StringComparer.Ordinal);
        foreach (NewTopic topic in topics)
        {
            Validate(topic);
            byName[topic.Name] = topic;
        }

        using AdminCall call = context.Begin("CreateTopics", options, cancellationToken);
        var items = new PendingItems<string, CreateTopicResult>(Names(topics), StringComparer.Ordinal);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            KafkaConnection connection = await context.ControllerAsync(call, ApiKey.CreateTopics).ConfigureAwait(false);
            short version = connection.ResolveVersion(ApiKey.CreateTopics);
            var request = new CreateTopicsRequest { timeoutMs = call.OperationTimeoutMs, validateOnly = call.ValidateOnly };
            if (call.ValidateOnly && version < 1)
            {
                throw Unsupported(connection, "validate-only CreateTopics (v1+)", version);
            }

            foreach (string name in pending)
            {
                request.Topics.Add(Creatable(byName[name], version, connection));
            }

            CreateTopicsResponse response = await connection.SendAsync<CreateTopicsRequest, CreateTopicsResponse>(
                request, call.Token, version, call.OperationRequestTimeout).ConfigureAwait(false);
            foreach (CreateTopicsResponse.CreatableTopicResult r in response.Topics)
            {
                var error = (ErrorCode)r.ErrorCode;
                if (AdminRetry.RetryControllerError(context, items, r.Name, error, r.ErrorMessage))
                {
                    continue;
                }

                items.Complete(r.Name, new CreateTopicResult(r.Name, error, AdminContext.Message(error, r.ErrorMessage))
                {
                    TopicId = r.TopicId,
                    NumPartitions = version >= 5 ? r.NumPartitions : -1,
                    ReplicationFactor = version >= 5 ? r.ReplicationFactor : (short)-1,
                });
            }

            items.CompleteUnanswered(pending, "CreateTopics", (n, e, m) => new CreateTopicResult(n, e, m));
        }, (n, e, m) => new CreateTopicResult(n, e, m)).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("CreateTopics", items.Results());
    }

    public static async Task<IReadOnlyList<DeleteTopicResult>> DeleteTopicsAsync(AdminContext context, IReadOnlyList<string> topics, AdminOptions? options, CancellationToken cancellationToken)
    {
        foreach (string topic in topics)
        {
            ValidateName(topic);
        }

        using AdminCall call = context.Begin("DeleteTopics", options, cancellationToken);
        var items = new PendingItems<string, DeleteTopicResult>(topics, StringComparer.Ordinal);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            KafkaConnection connection = await context.ControllerAsync(call, ApiKey.DeleteTopics).ConfigureAwait(false);
            short version = connection.ResolveVersion(ApiKey.DeleteTopics);
            var request = new DeleteTopicsRequest { TimeoutMs = call.OperationTimeoutMs };
            foreach (string name in pending)
            {
                // v6 names topics in structures (by name or id); earlier versions in a plain list.
                if (version >= 6)
                {
                    request.Topics.Add(new DeleteTopicsRequest.DeleteTopicState { Name = name });
                }
                else
                {
                    request.TopicNames.Add(name);
                }
            }

            DeleteTopicsResponse response = await connection.SendAsync<DeleteTopicsRequest, DeleteTopicsResponse>(
                request, call.Token, version, call.OperationRequestTimeout).ConfigureAwait(false);
            foreach (DeleteTopicsResponse.DeletableTopicResult r in response.Responses)
            {
                if (r.Name is null)
                {
                    continue;
                }

                var error = (ErrorCode)r.ErrorCode;
                if (AdminRetry.RetryControllerError(context, items, r.Name, error, r.ErrorMessage))
                {
                    continue;
                }

                items.Complete(r.Name, new DeleteTopicResult(r.Name, error, AdminContext.Message(error, r.ErrorMessage)) { TopicId = r.TopicId });
            }

            items.CompleteUnanswered(pending, "DeleteTopics", (n, e, m) => new DeleteTopicResult(n, e, m));
        }, (n, e, m) => new DeleteTopicResult(n, e, m)).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("DeleteTopics", items.Results());
    }

    public static async Task<IReadOnlyList<CreatePartitionsResult>> CreatePartitionsAsync(AdminContext context, IReadOnlyList<PartitionsIncrease> increases, AdminOptions? options, CancellationToken cancellationToken)
    {
        var byName = new Dictionary<string, PartitionsIncrease>(StringComparer.Ordinal);
        var names = new List<string>(increases.Count);
        foreach (PartitionsIncrease increase in increases)
        {
            ArgumentNullException.ThrowIfNull(increase);
            ValidateName(increase.Topic);
            if (increase.TotalCount < 1)
            {
                throw new ArgumentException($"Topic '{increase.Topic}': the new partition count must be at least 1, not {increase.TotalCount}.", nameof(increases));
            }

            byName[increase.Topic] = increase;
            names.Add(increase.Topic);
        }

        using AdminCall call = context.Begin("CreatePartitions", options, cancellationToken);
        var items = new PendingItems<string, CreatePartitionsResult>(names, StringComparer.Ordinal);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            KafkaConnection connection = await context.ControllerAsync(call, ApiKey.CreatePartitions).ConfigureAwait(false);
            var request = new CreatePartitionsRequest { TimeoutMs = call.OperationTimeoutMs, ValidateOnly = call.ValidateOnly };
            foreach (string name in pending)
            {
                PartitionsIncrease increase = byName[name];
                var topic = new CreatePartitionsRequest.CreatePartitionsTopic { Name = name, Count = increase.TotalCount, Assignments = null };
                if (increase.Assignments is { } assignments)
                {
                    topic.Assignments = new List<CreatePartitionsRequest.CreatePartitionsAssignment>(assignments.Count);
                    foreach (IReadOnlyList<int> replicas in assignments)
                    {
                        topic.Assignments.Add(new CreatePartitionsRequest.CreatePartitionsAssignment { BrokerIds = [.. replicas] });
                    }
                }

                request.Topics.Add(topic);
            }

            CreatePartitionsResponse response = await connection.SendAsync<CreatePartitionsRequest, CreatePartitionsResponse>(
                request, call.Token, -1, call.OperationRequestTimeout).ConfigureAwait(false);
            foreach (CreatePartitionsResponse.CreatePartitionsTopicResult r in response.Results)
            {
                var error = (ErrorCode)r.ErrorCode;
                if (AdminRetry.RetryControllerError(context, items, r.Name, error, r.ErrorMessage))
                {
                    continue;
                }

                items.Complete(r.Name, new CreatePartitionsResult(r.Name, error, AdminContext.Message(error, r.ErrorMessage)));
            }

            items.CompleteUnanswered(pending, "CreatePartitions", (n, e, m) => new CreatePartitionsResult(n, e, m));
        }, (n, e, m) => new CreatePartitionsResult(n, e, m)).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("CreatePartitions", items.Results());
    }

    private static CreateTopicsRequest.CreatableTopic Creatable(NewTopic topic, short version, KafkaConnection connection)
    {
        bool defaults = topic.ReplicaAssignment is null && (topic.NumPartitions < 0 || topic.ReplicationFactor < 0);
        if (defaults && version < 4)
        {
            throw Unsupported(connection, $"creating topic '{topic.Name}' with the broker's default partition count or replication factor (CreateTopics v4+)", version);
        }

        var creatable = new CreateTopicsRequest.CreatableTopic
        {
            Name = topic.Name,
            NumPartitions = topic.ReplicaAssignment is null ? topic.NumPartitions : -1,
            ReplicationFactor = topic.ReplicaAssignment is null ? topic.ReplicationFactor : (short)-1,
        };
        if (topic.ReplicaAssignment is { } assignment)
        {
            var partitions = new List<int>(assignment.Keys);
            partitions.Sort();
            foreach (int partition in partitions)
            {
                creatable.Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = partition, BrokerIds = [.. assignment[partition]] });
            }
        }

        if (topic.Configs is { } configs)
        {
            foreach (var (name, value) in configs)
            {
                creatable.Configs.Add(new CreateTopicsRequest.CreatableTopicConfig { Name = name, Value = value });
            }
        }

        return creatable;
    }

    private static void Validate(NewTopic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ValidateName(topic.Name);
        if (topic.ReplicaAssignment is { } assignment)
        {
            if (topic.NumPartitions != -1 || topic.ReplicationFactor != -1)
            {
                throw new ArgumentException($"Topic '{topic.Name}': give either a replica assignment or a partition count and replication factor, not both.", nameof(topic));
            }

            if (assignment.Count == 0)
            {
                throw new ArgumentException($"Topic '{topic.Name}': the replica assignment is empty.", nameof(topic));
            }
        }
        else if (topic.NumPartitions == 0 || topic.NumPartitions < -1 || topic.ReplicationFactor == 0 || topic.ReplicationFactor < -1)
        {
            throw new ArgumentException($"Topic '{topic.Name}': partitions ({topic.NumPartitions}) and replication factor ({topic.ReplicationFactor}) must be positive, or -1 for the broker's default.", nameof(topic));
        }
    }

    internal static void ValidateName(string? topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            throw new ArgumentException("A topic name must not be empty.", nameof(topic));
        }
    }

    private static List<string> Names(IReadOnlyList<NewTopic> topics)
    {
        var names = new List<string>(topics.Count);
        foreach (NewTopic t in topics)
        {
            names.Add(t.Name);
        }

        return names;
    }

    internal static KafkaException Unsupported(KafkaConnection connection, string what, short version) =>
        new(ErrorCode.UnsupportedVersion, $"Broker {connection.Name} does not support {what}: the highest version in common is v{version}.");
}
