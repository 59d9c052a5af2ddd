namespace Samsa.Groups;

/// <summary>
/// The contract between the consumer and its group membership (classic or KIP-848). The membership runs in
/// the background (coordinator lookup, join/sync or consumer-group heartbeats, session keep-alive); every
/// change of assignment reaches the consumer as a <see cref="GroupEvent"/> that the consumer takes on its
/// poll thread, applies (runs the user's rebalance handlers, commits on revoke when auto-commit is on,
/// starts or stops fetching), and then acknowledges. The membership does not complete a revocation (and, for
/// the cooperative and KIP-848 protocols, does not rejoin or report the reconciled assignment) before the
/// consumer has acknowledged it.
/// </summary>
internal interface IGroupMembership : IAsyncDisposable
{
    /// <summary>group.id.</summary>
    string GroupId { get; }

    /// <summary>The member id the coordinator gave (classic) or the client generated (KIP-848); empty before joining.</summary>
    string MemberId { get; }

    /// <summary>The generation (classic) or member epoch (KIP-848) that commits must carry; -1 when not a member.</summary>
    int GenerationId { get; }

    /// <summary>The partitions assigned to this member right now (as last acknowledged by the consumer).</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>
    /// Sets the subscription and starts (or updates) membership. Names are exact topic names; a name that starts
    /// with '^' is a regular expression (librdkafka's convention) matched against the cluster's topics.
    /// </summary>
    void Subscribe(IReadOnlyList<string> topics);

    /// <summary>Leaves the group's subscription: all partitions are revoked (an event), then the member leaves.</summary>
    void Unsubscribe();

    /// <summary>
    /// Called by the consumer on every poll: resets the max.poll.interval.ms timer and hands over the next
    /// event, if any. Never blocks.
    /// </summary>
    bool TryTakeEvent(out GroupEvent groupEvent);

    /// <summary>Completes when an event is waiting (so that an idle consumer wakes for rebalances).</summary>
    Task WaitForEventAsync(CancellationToken cancellationToken);

    /// <summary>The consumer has applied <paramref name="groupEvent"/>; the membership may proceed.</summary>
    void Acknowledge(GroupEvent groupEvent);

    /// <summary>
    /// Commits offsets for this member (OffsetCommit with the current generation/epoch and member id).
    /// Throws <see cref="KafkaException"/> with the broker's error (for example ILLEGAL_GENERATION while a
    /// rebalance is in progress, or a local error for partitions not assigned to this member).
    /// </summary>
    ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken);

    /// <summary>The committed offsets of partitions (OffsetFetch); <see cref="Offset.Unset"/> where none is committed.</summary>
    ValueTask<IReadOnlyList<TopicPartitionOffset>> FetchCommittedAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken);

    /// <summary>
    /// Leaves the group (LeaveGroup, or a KIP-848 heartbeat with epoch -1; a static member with
    /// group.instance.id does not leave, so that a restart keeps its assignment) and stops the background work.
    /// </summary>
    ValueTask LeaveAsync(CancellationToken cancellationToken);
}
