using Samsa.Admin;

namespace Samsa;

public sealed partial class AdminClient
{
    /// <summary>
    /// Every group of every broker (ListGroups to each broker, merged, sorted by id), optionally only those in
    /// some states (ListGroups v4+: e.g. "Stable", "Empty") or of some types (v5+: "classic", "consumer").
    /// When some brokers fail, a <see cref="ListGroupsException"/> carries the others' groups.
    /// </summary>
    public Task<IReadOnlyList<GroupListing>> ListGroupsAsync(IEnumerable<string>? states = null, IEnumerable<string>? types = null,
        AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        GroupOperations.ListGroupsAsync(_context, states is null ? null : List(states), types is null ? null : List(types), options, cancellationToken);

    /// <summary>Groups' state, protocol and members with their assignments (DescribeGroups, at each group's coordinator).</summary>
    public Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IEnumerable<string> groupIds, AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        GroupOperations.DescribeGroupsAsync(_context, List(groupIds), options, cancellationToken);

    /// <summary>Deletes groups that have no members (DeleteGroups, at each group's coordinator).</summary>
    public Task<IReadOnlyList<DeleteGroupResult>> DeleteGroupsAsync(IEnumerable<string> groupIds, AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        GroupOperations.DeleteGroupsAsync(_context, List(groupIds), options, cancellationToken);

    /// <summary>
    /// A group's committed offsets (OffsetFetch): of the given partitions, or every partition it committed when
    /// <paramref name="partitions"/> is null. A partition without a committed offset has <see cref="Offset.Unset"/>.
    /// An error of the group as a whole (e.g. GROUP_AUTHORIZATION_FAILED) is thrown as a <see cref="KafkaException"/>.
    /// </summary>
    public Task<IReadOnlyList<GroupOffsetResult>> ListGroupOffsetsAsync(string groupId, IEnumerable<TopicPartition>? partitions = null, bool requireStable = false,
        AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        GroupOffsetOperations.ListGroupOffsetsAsync(_context, groupId, partitions is null ? null : List(partitions), requireStable, options, cancellationToken);

    /// <summary>
    /// Sets a group's committed offsets (OffsetCommit from outside the group: generation -1, no member id). The
    /// group must have no active members, else the partitions fail with UNKNOWN_MEMBER_ID.
    /// </summary>
    public Task<IReadOnlyList<PartitionResult>> AlterGroupOffsetsAsync(string groupId, IEnumerable<TopicPartitionOffset> offsets,
        AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        GroupOffsetOperations.AlterGroupOffsetsAsync(_context, groupId, List(offsets), options, cancellationToken);

    /// <summary>Deletes a group's committed offsets of some partitions (OffsetDelete); partitions of subscribed topics fail with GROUP_SUBSCRIBED_TO_TOPIC.</summary>
    public Task<IReadOnlyList<PartitionResult>> DeleteGroupOffsetsAsync(string groupId, IEnumerable<TopicPartition> partitions,
        AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        GroupOffsetOperations.DeleteGroupOffsetsAsync(_context, groupId, List(partitions), options, cancellationToken);

    /// <summary>
    /// Looks up offsets (ListOffsets, at each partition's leader): earliest, latest, max-timestamp, or the first
    /// at or after a time. <paramref name="isolation"/> read_committed makes "latest" the last stable offset.
    /// </summary>
    public Task<IReadOnlyList<ListOffsetsResult>> ListOffsetsAsync(IEnumerable<TopicPartitionOffsetSpec> requests, IsolationLevel isolation = IsolationLevel.ReadUncommitted,
        AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        PartitionOperations.ListOffsetsAsync(_context, List(requests), isolation, options, cancellationToken);

    /// <summary>
    /// Deletes every record before the given offsets (DeleteRecords, at each partition's leader); Offset.End deletes
    /// everything up to the high watermark. Each result carries the partition's new low watermark.
    /// </summary>
    public Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> beforeOffsets,
        AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        PartitionOperations.DeleteRecordsAsync(_context, List(beforeOffsets), options, cancellationToken);
}
