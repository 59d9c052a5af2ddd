using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport;

public sealed partial class FakeKafka
{
    /// <summary>Partition count of a topic created with NumPartitions -1.</summary>
    public int DefaultPartitions { get; set; } = 1;

    private CreateTopicsResponse CreateTopics(int broker, CreateTopicsRequest request, short version)
    {
        var response = new CreateTopicsResponse();
        ErrorCode injected = TakeInjected(ApiKey.CreateTopics);
        foreach (CreateTopicsRequest.CreatableTopic t in request.Topics)
        {
            var result = new CreateTopicsResponse.CreatableTopicResult { Name = t.Name, NumPartitions = -1, ReplicationFactor = -1, Configs = null };
            ErrorCode error = injected != ErrorCode.None ? injected : broker != ControllerId ? ErrorCode.NotController : ErrorCode.None;
            string? message = null;
            int partitions = t.NumPartitions < 0 ? DefaultPartitions : t.NumPartitions;
            int rf = t.ReplicationFactor < 0 ? Math.Min(3, _brokers.Length) : t.ReplicationFactor;
            List<List<int>>? assignment = t.Assignments.Count > 0 ? [.. t.Assignments.OrderBy(a => a.PartitionIndex).Select(a => a.BrokerIds)] : null;
            if (error == ErrorCode.None && _topics.ContainsKey(t.Name))
            {
                (error, message) = (ErrorCode.TopicAlreadyExists, $"Topic '{t.Name}' already exists.");
            }
            else if (error == ErrorCode.None && assignment is null && rf > _brokers.Length)
            {
                (error, message) = (ErrorCode.InvalidReplicationFactor, $"Replication factor: {rf} larger than available brokers: {_brokers.Length}.");
            }
            else if (error == ErrorCode.None && partitions == 0)
            {
                (error, message) = (ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.");
            }
            else if (error == ErrorCode.None && t.Configs.Any(c => c.Name.StartsWith("bogus", StringComparison.Ordinal)))
            {
                (error, message) = (ErrorCode.InvalidConfig, "Unknown topic config name: " + t.Configs.First(c => c.Name.StartsWith("bogus", StringComparison.Ordinal)).Name);
            }

            result.ErrorCode = (short)error;
            result.ErrorMessage = message;
            if (error == ErrorCode.None)
            {
                FakeTopic topic = NewTopic(t.Name, partitions, rf, assignment);
                foreach (CreateTopicsRequest.CreatableTopicConfig c in t.Configs)
                {
                    topic.Configs[c.Name] = c.Value ?? "";
                }

                if (!request.validateOnly)
                {
                    _topics[t.Name] = topic;
                }

                result.TopicId = request.validateOnly ? Guid.Empty : topic.Id;
                result.NumPartitions = topic.Partitions.Count;
                result.ReplicationFactor = topic.ReplicationFactor;
                result.Configs = [.. topic.Configs.Select(c => new CreateTopicsResponse.CreatableTopicConfigs { Name = c.Key, Value = c.Value, ConfigSource = 1 })];
            }

            response.Topics.Add(result);
        }

        return response;
    }

    private DeleteTopicsResponse DeleteTopics(int broker, DeleteTopicsRequest request, short version)
    {
        var response = new DeleteTopicsResponse();
        ErrorCode injected = TakeInjected(ApiKey.DeleteTopics);
        IEnumerable<string> names = version >= 6 ? request.Topics.Select(t => t.Name ?? "") : request.TopicNames;
        foreach (string name in names)
        {
            ErrorCode error = injected != ErrorCode.None ? injected : broker != ControllerId ? ErrorCode.NotController : ErrorCode.None;
            Guid id = Guid.Empty;
            if (error == ErrorCode.None)
            {
                if (_topics.Remove(name, out FakeTopic? topic))
                {
                    id = topic.Id;
                }
                else
                {
                    error = ErrorCode.UnknownTopicOrPartition;
                }
            }

            response.Responses.Add(new DeleteTopicsResponse.DeletableTopicResult
            {
                Name = name,
                TopicId = id,
                ErrorCode = (short)error,
                ErrorMessage = error == ErrorCode.UnknownTopicOrPartition ? "This server does not host this topic-partition." : null,
            });
        }

        return response;
    }

    private CreatePartitionsResponse CreatePartitions(int broker, CreatePartitionsRequest request)
    {
        var response = new CreatePartitionsResponse();
        ErrorCode injected = TakeInjected(ApiKey.CreatePartitions);
        foreach (CreatePartitionsRequest.CreatePartitionsTopic t in request.Topics)
        {
            ErrorCode error = injected != ErrorCode.None ? injected : broker != ControllerId ? ErrorCode.NotController : ErrorCode.None;
            string? message = null;
            FakeTopic? topic = null;
            if (error == ErrorCode.None && !_topics.TryGetValue(t.Name, out topic))
            {
                (error, message) = (ErrorCode.UnknownTopicOrPartition, $"The topic '{t.Name}' does not exist.");
            }
            else if (error == ErrorCode.None && t.Count <= topic!.Partitions.Count)
            {
                (error, message) = (ErrorCode.InvalidPartitions, $"Topic currently has {topic.Partitions.Count} partitions, which is higher than the requested {t.Count}.");
            }
            else if (error == ErrorCode.None && t.Assignments is { } a && a.Count != t.Count - topic!.Partitions.Count)
            {
                (error, message) = (ErrorCode.InvalidReplicaAssignment, $"Increasing the number of partitions by {t.Count - topic.Partitions.Count} but {a.Count} assignments provided.");
            }

            if (error == ErrorCode.None && !request.ValidateOnly)
            {
                int rf = topic!.ReplicationFactor;
                for (int p = topic.Partitions.Count, i = 0; p < t.Count; p++, i++)
                {
                    List<int> replicas = t.Assignments?[i].BrokerIds ?? [.. Enumerable.Range(0, rf).Select(r => 1 + ((p + r) % _brokers.Length))];
                    topic.Partitions.Add(new FakePartition { Index = p, Leader = replicas[0], Replicas = replicas });
                }
            }

            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = t.Name, ErrorCode = (short)error, ErrorMessage = message });
        }

        return response;
    }
}
