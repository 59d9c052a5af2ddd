using Samsa.Cluster;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Admin;

/// <summary>ListGroups (every broker, merged), DescribeGroups and DeleteGroups (each group's coordinator).</summary>
internal static class GroupOperations
{
    public static async Task<IReadOnlyList<GroupListing>> ListGroupsAsync(AdminContext context, IReadOnlyList<string>? states, IReadOnlyList<string>? types,
        AdminOptions? options, CancellationToken cancellationToken)
    {
        using AdminCall call = context.Begin("ListGroups", options, cancellationToken);
        ClusterMetadata metadata = await RefreshedAsync(context, call).ConfigureAwait(false);
        var brokers = new List<int>(metadata.Brokers.Keys);
        brokers.Sort();
        var items = new PendingItems<int, BrokerGroups>(brokers);
        await AdminRetry.RunAsync(call, items, pending => AdminFanOut.RunAsync(items, OnePerKey(pending), async (broker, _) =>
        {
            KafkaConnection connection = await context.BrokerAsync(call, broker, ApiKey.ListGroups).ConfigureAwait(false);
            short version = connection.ResolveVersion(ApiKey.ListGroups);
            if (states is { Count: > 0 } && version < 4)
            {
                throw TopicOperations.Unsupported(connection, "listing groups by state (ListGroups v4+)", version);
            }

            if (types is { Count: > 0 } && version < 5)
            {
                throw TopicOperations.Unsupported(connection, "listing groups by type (ListGroups v5+)", version);
            }

            var request = new ListGroupsRequest { StatesFilter = [.. states ?? []], TypesFilter = [.. types ?? []] };
            ListGroupsResponse response = await connection.SendAsync<ListGroupsRequest, ListGroupsResponse>(request, call.Token, version, call.RequestTimeout).ConfigureAwait(false);
            var error = (ErrorCode)response.ErrorCode;
            if (AdminRetry.IsTransient(error))
            {
                items.Retry(broker, error, null);
                return;
            }

            var groups = new List<GroupListing>(response.Groups.Count);
            foreach (ListGroupsResponse.ListedGroup g in response.Groups)
            {
                groups.Add(new GroupListing(g.GroupId, g.ProtocolType, broker) { State = g.GroupState, Type = g.GroupType });
            }

            items.Complete(broker, new BrokerGroups(broker, groups, error, AdminContext.Message(error, null)));
        }, Failed), Failed).ConfigureAwait(false);

        var merged = new Dictionary<string, GroupListing>(StringComparer.Ordinal);
        var errors = new Dictionary<int, KafkaException>();
        foreach (BrokerGroups b in items.Results())
        {
            if (b.Error != ErrorCode.None)
            {
                errors[b.Broker] = new KafkaException(b.Error, b.ErrorMessage ?? b.Error.Describe());
                continue;
            }

            foreach (GroupListing g in b.Groups)
            {
                merged.TryAdd(g.GroupId, g);
            }
        }

        var list = new List<GroupListing>(merged.Values);
        list.Sort((a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
        return errors.Count == 0 ? list : throw new ListGroupsException(list, errors);

        static BrokerGroups Failed(int broker, ErrorCode error, string? message) => new(broker, [], error, message);
    }

    public static async Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(AdminContext context, IReadOnlyList<string> groups, AdminOptions? options, CancellationToken cancellationToken)
    {
        ValidateGroups(groups);
        using AdminCall call = context.Begin("DescribeGroups", options, cancellationToken);
        var items = new PendingItems<string, GroupDescription>(groups, StringComparer.Ordinal);
        Func<string, ErrorCode, string?, GroupDescription> failed = (g, e, m) => new GroupDescription(g, e, m);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            Dictionary<BrokerNode, List<string>> byCoordinator = await ByCoordinatorAsync(context, call, items, pending, failed).ConfigureAwait(false);
            await AdminFanOut.RunAsync(items, byCoordinator, async (node, keys) =>
            {
                var request = new DescribeGroupsRequest { Groups = keys, IncludeAuthorizedOperations = false };
                DescribeGroupsResponse response = await SendToCoordinatorAsync<DescribeGroupsRequest, DescribeGroupsResponse>(context, call, node, keys, request).ConfigureAwait(false);
                foreach (DescribeGroupsResponse.DescribedGroup g in response.Groups)
                {
                    var error = (ErrorCode)g.ErrorCode;
                    if (CoordinatorError(context, items, g.GroupId, error, null))
                    {
                        continue;
                    }

                    items.Complete(g.GroupId, Describe(g, error, node));
                }

                items.CompleteUnanswered(keys, "DescribeGroups", failed);
            }, failed).ConfigureAwait(false);
        }, failed).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("DescribeGroups", items.Results());
    }

    public static async Task<IReadOnlyList<DeleteGroupResult>> DeleteGroupsAsync(AdminContext context, IReadOnlyList<string> groups, AdminOptions? options, CancellationToken cancellationToken)
    {
        ValidateGroups(groups);
        using AdminCall call = context.Begin("DeleteGroups", options, cancellationToken);
        var items = new PendingItems<string, DeleteGroupResult>(groups, StringComparer.Ordinal);
        Func<string, ErrorCode, string?, DeleteGroupResult> failed = (g, e, m) => new DeleteGroupResult(g, e, m);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            Dictionary<BrokerNode, List<string>> byCoordinator = await ByCoordinatorAsync(context, call, items, pending, failed).ConfigureAwait(false);
            await AdminFanOut.RunAsync(items, byCoordinator, async (node, keys) =>
            {
                var request = new DeleteGroupsRequest { GroupsNames = keys };
                DeleteGroupsResponse response = await SendToCoordinatorAsync<DeleteGroupsRequest, DeleteGroupsResponse>(context, call, node, keys, request).ConfigureAwait(false);
                foreach (DeleteGroupsResponse.DeletableGroupResult r in response.Results)
                {
                    var error = (ErrorCode)r.ErrorCode;
                    if (!CoordinatorError(context, items, r.GroupId, error, null))
                    {
                        items.Complete(r.GroupId, new DeleteGroupResult(r.GroupId, error, AdminContext.Message(error, null)));
                    }
                }

                items.CompleteUnanswered(keys, "DeleteGroups", failed);
            }, failed).ConfigureAwait(false);
        }, failed).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("DeleteGroups", items.Results());
    }

    /// <summary>
    /// Looks up each pending group's coordinator. A transient lookup failure leaves the group for the next
    /// attempt; any other failure finishes it with that error.
    /// </summary>
    internal static async Task<Dictionary<BrokerNode, List<string>>> ByCoordinatorAsync<TResult>(AdminContext context, AdminCall call,
        PendingItems<string, TResult> items, List<string> pending, Func<string, ErrorCode, string?, TResult> failed)
    {
        var lookups = new List<(string Group, Task<BrokerNode> Node)>(pending.Count);
        foreach (string group in pending)
        {
            lookups.Add((group, context.Cluster.FindCoordinatorAsync(CoordinatorType.Group, group, call.Token).AsTask()));
        }

        var map = new Dictionary<BrokerNode, List<string>>();
        foreach (var (group, lookup) in lookups)
        {
            try
            {
                BrokerNode node = await lookup.ConfigureAwait(false);
                if (!map.TryGetValue(node, out List<string>? list))
                {
                    map[node] = list = [];
                }

                list.Add(group);
            }
            catch (KafkaException ex) when (AdminRetry.IsTransient(ex))
            {
                items.Retry(group, ex.Error, ex.Reason);
            }
            catch (KafkaException ex)
            {
                items.Complete(group, failed(group, ex.Error, ex.Reason));
            }
        }

        return map;
    }

    /// <summary>
    /// Sends a request to a coordinator. When the connection fails, the coordinator of every group in the
    /// request is forgotten, so that the retry looks it up again (it may have moved with the broker).
    /// </summary>
    internal static Task<TResponse> SendToCoordinatorAsync<TRequest, TResponse>(AdminContext context, AdminCall call, BrokerNode node, List<string> groups, TRequest request)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse> =>
        SendToCoordinatorAsync<TRequest, TResponse>(context, call, node, groups, _ => request);

    /// <summary>As above, with the request built for the version the coordinator negotiated.</summary>
    internal static async Task<TResponse> SendToCoordinatorAsync<TRequest, TResponse>(AdminContext context, AdminCall call, BrokerNode node, List<string> groups, Func<short, TRequest> build)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        try
        {
            KafkaConnection connection = AdminContext.Supported(await context.Cluster.GetConnectionAsync(node, call.Token).ConfigureAwait(false), TRequest.ApiKey);
            short version = connection.ResolveVersion(TRequest.ApiKey);
            return await connection.SendAsync<TRequest, TResponse>(build(version), call.Token, version, call.RequestTimeout).ConfigureAwait(false);
        }
        catch (KafkaException)
        {
            foreach (string group in groups)
            {
                context.CoordinatorMoved(group);
            }

            throw;
        }
    }

    /// <summary>Handles the errors that mean "ask again, maybe elsewhere"; true when the group was left for retry.</summary>
    internal static bool CoordinatorError<TResult>(AdminContext context, PendingItems<string, TResult> items, string group, ErrorCode error, string? message)
    {
        if (error is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable)
        {
            context.CoordinatorMoved(group);
        }

        if (error is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress)
        {
            items.Retry(group, error, message);
            return true;
        }

        return false;
    }

    private static GroupDescription Describe(DescribeGroupsResponse.DescribedGroup g, ErrorCode error, BrokerNode coordinator)
    {
        var members = new List<GroupMemberDescription>(g.Members.Count);
        foreach (DescribeGroupsResponse.DescribedGroupMember m in g.Members)
        {
            members.Add(new GroupMemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost)
            {
                Assignment = g.ProtocolType == "consumer" ? ConsumerAssignment(m.MemberAssignment) : [],
            });
        }

        return new GroupDescription(g.GroupId, error, AdminContext.Message(error, null))
        {
            State = g.GroupState,
            ProtocolType = g.ProtocolType,
            Protocol = g.ProtocolData,
            Members = members,
            Coordinator = new Node(coordinator.NodeId, coordinator.Host, coordinator.Port, coordinator.Rack),
        };
    }

    /// <summary>Decodes a consumer-protocol assignment; an undecodable one (another protocol's bytes) gives none.</summary>
    internal static IReadOnlyList<TopicPartition> ConsumerAssignment(byte[]? bytes)
    {
        if (bytes is null || bytes.Length < 2)
        {
            return [];
        }

        try
        {
            var reader = new ProtocolReader(bytes);
            short version = reader.ReadInt16();
            if (version < 0)
            {
                return [];
            }

            // Newer versions only add fields after the ones every version has (the protocol's compatibility rule).
            ConsumerProtocolAssignment assignment = ConsumerProtocolAssignment.Read(ref reader, Math.Min(version, ConsumerProtocolAssignment.HighestSupportedVersion));
            var partitions = new List<TopicPartition>();
            foreach (ConsumerProtocolAssignment.TopicPartition tp in assignment.AssignedPartitions)
            {
                foreach (int p in tp.Partitions)
                {
                    partitions.Add(new TopicPartition(tp.Topic, p));
                }
            }

            return partitions;
        }
        catch (ProtocolException)
        {
            return [];
        }
    }

    internal static void ValidateGroups(IReadOnlyList<string> groups)
    {
        foreach (string group in groups)
        {
            ValidateGroup(group);
        }
    }

    internal static void ValidateGroup(string? group)
    {
        if (string.IsNullOrEmpty(group))
        {
            throw new ArgumentException("A group id must not be empty.", nameof(group));
        }
    }

    private static async Task<ClusterMetadata> RefreshedAsync(AdminContext context, AdminCall call)
    {
        while (true)
        {
            try
            {
                return await context.Cluster.RefreshAsync(call.Token).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (AdminRetry.IsTransient(ex))
            {
                call.BeginAttempt();
                if (!await call.BackoffAsync().ConfigureAwait(false))
                {
                    throw;
                }
            }
        }
    }

    private static Dictionary<int, List<int>> OnePerKey(List<int> keys)
    {
        var map = new Dictionary<int, List<int>>(keys.Count);
        foreach (int key in keys)
        {
            map[key] = [key];
        }

        return map;
    }

    /// <summary>One broker's part of a ListGroups.</summary>
    private sealed record BrokerGroups(int Broker, IReadOnlyList<GroupListing> Groups, ErrorCode Error, string? ErrorMessage) : IAdminResult
    {
        public string Subject => $"broker {Broker}";
    }
}
