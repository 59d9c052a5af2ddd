using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Admin;

/// <summary>DescribeCluster, topic listings and topic descriptions: any broker answers them.</summary>
internal static class ClusterOperations
{
    public static async Task<ClusterDescription> DescribeClusterAsync(AdminContext context, AdminOptions? options, CancellationToken cancellationToken)
    {
        using AdminCall call = context.Begin("DescribeCluster", options, cancellationToken);
        ClusterDescription? result = null;
        var items = new PendingItems<string, IAdminResult?>(["cluster"]);
        await AdminRetry.RunAsync(call, items, async _ =>
        {
            KafkaConnection connection = await context.AnyBrokerAsync(call, ApiKey.Metadata).ConfigureAwait(false);
            result = connection.ApiVersions.Supports(ApiKey.DescribeCluster)
                ? await ViaDescribeClusterAsync(connection, call).ConfigureAwait(false)
                : await ViaMetadataAsync(connection, call).ConfigureAwait(false);
            items.Complete("cluster", null);
        }, (_, e, m) => throw new KafkaException(e, $"DescribeCluster failed: {m}")).ConfigureAwait(false);
        return result ?? throw new KafkaException(ErrorCode.LocalTimedOut, "DescribeCluster did not finish before its timeout.");
    }

    public static async Task<IReadOnlyList<TopicListing>> ListTopicsAsync(AdminContext context, bool includeInternal, AdminOptions? options, CancellationToken cancellationToken)
    {
        using AdminCall call = context.Begin("ListTopics", options, cancellationToken);
        List<TopicListing>? listing = null;
        var items = new PendingItems<string, IAdminResult?>(["topics"]);
        await AdminRetry.RunAsync(call, items, async _ =>
        {
            KafkaConnection connection = await context.AnyBrokerAsync(call, ApiKey.Metadata).ConfigureAwait(false);
            MetadataResponse response = await connection.SendAsync<MetadataRequest, MetadataResponse>(
                new MetadataRequest { Topics = null, AllowAutoTopicCreation = false }, call.Token, -1, call.RequestTimeout).ConfigureAwait(false);
            var topics = new List<TopicListing>(response.Topics.Count);
            foreach (MetadataResponse.MetadataResponseTopic t in response.Topics)
            {
                if (t.Name is not null && (ErrorCode)t.ErrorCode == ErrorCode.None && (includeInternal || !t.IsInternal))
                {
                    topics.Add(new TopicListing(t.Name, t.TopicId, t.IsInternal));
                }
            }

            topics.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            listing = topics;
            items.Complete("topics", null);
        }, (_, e, m) => throw new KafkaException(e, $"ListTopics failed: {m}")).ConfigureAwait(false);
        return listing ?? throw new KafkaException(ErrorCode.LocalTimedOut, "ListTopics did not finish before its timeout.");
    }

    public static async Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(AdminContext context, IReadOnlyList<string> topics, AdminOptions? options, CancellationToken cancellationToken)
    {
        foreach (string topic in topics)
        {
            TopicOperations.ValidateName(topic);
        }

        using AdminCall call = context.Begin("DescribeTopics", options, cancellationToken);
        var items = new PendingItems<string, TopicDescription>(topics, StringComparer.Ordinal);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            KafkaConnection connection = await context.AnyBrokerAsync(call, ApiKey.Metadata).ConfigureAwait(false);
            var request = new MetadataRequest { Topics = new List<MetadataRequest.MetadataRequestTopic>(pending.Count), AllowAutoTopicCreation = false };
            foreach (string name in pending)
            {
                request.Topics.Add(new MetadataRequest.MetadataRequestTopic { Name = name });
            }

            MetadataResponse response = await connection.SendAsync<MetadataRequest, MetadataResponse>(request, call.Token, -1, call.RequestTimeout).ConfigureAwait(false);
            foreach (MetadataResponse.MetadataResponseTopic t in response.Topics)
            {
                if (t.Name is null)
                {
                    continue;
                }

                var error = (ErrorCode)t.ErrorCode;
                if (AdminRetry.IsTransient(error))
                {
                    items.Retry(t.Name, error, null);
                    continue;
                }

                items.Complete(t.Name, Describe(t, error));
            }

            items.CompleteUnanswered(pending, "Metadata", (n, e, m) => new TopicDescription(n, e, m));
        }, (n, e, m) => new TopicDescription(n, e, m)).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("DescribeTopics", items.Results());
    }

    private static TopicDescription Describe(MetadataResponse.MetadataResponseTopic t, ErrorCode error)
    {
        var partitions = new List<PartitionDescription>(t.Partitions.Count);
        foreach (MetadataResponse.MetadataResponsePartition p in t.Partitions)
        {
            partitions.Add(new PartitionDescription(p.PartitionIndex, p.LeaderId, p.LeaderEpoch, p.ReplicaNodes, p.IsrNodes, p.OfflineReplicas, (ErrorCode)p.ErrorCode));
        }

        partitions.Sort((a, b) => a.Partition.CompareTo(b.Partition));
        return new TopicDescription(t.Name!, error, AdminContext.Message(error, null))
        {
            TopicId = t.TopicId,
            IsInternal = t.IsInternal,
            Partitions = partitions,
        };
    }

    private static async Task<ClusterDescription> ViaDescribeClusterAsync(KafkaConnection connection, AdminCall call)
    {
        // EndpointType 1 = brokers (v1+; v0 always describes brokers).
        var request = new DescribeClusterRequest { IncludeClusterAuthorizedOperations = false, EndpointType = 1 };
        DescribeClusterResponse response = await connection.SendAsync<DescribeClusterRequest, DescribeClusterResponse>(request, call.Token, -1, call.RequestTimeout).ConfigureAwait(false);
        var error = (ErrorCode)response.ErrorCode;
        if (error != ErrorCode.None)
        {
            throw new KafkaException(error, $"DescribeCluster failed: {AdminContext.Message(error, response.ErrorMessage)}");
        }

        var brokers = new List<Node>(response.Brokers.Count);
        foreach (DescribeClusterResponse.DescribeClusterBroker b in response.Brokers)
        {
            brokers.Add(new Node(b.BrokerId, b.Host, b.Port, b.Rack));
        }

        brokers.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new ClusterDescription(response.ClusterId, response.ControllerId, brokers);
    }

    private static async Task<ClusterDescription> ViaMetadataAsync(KafkaConnection connection, AdminCall call)
    {
        var request = new MetadataRequest { Topics = [], AllowAutoTopicCreation = false };
        MetadataResponse response = await connection.SendAsync<MetadataRequest, MetadataResponse>(request, call.Token, -1, call.RequestTimeout).ConfigureAwait(false);
        var brokers = new List<Node>(response.Brokers.Count);
        foreach (MetadataResponse.MetadataResponseBroker b in response.Brokers)
        {
            brokers.Add(new Node(b.NodeId, b.Host, b.Port, b.Rack));
        }

        brokers.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new ClusterDescription(response.ClusterId, response.ControllerId, brokers);
    }
}
