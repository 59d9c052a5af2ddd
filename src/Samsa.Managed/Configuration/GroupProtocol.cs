namespace Samsa;

/// <summary>The consumer group protocol (group.protocol).</summary>
public enum GroupProtocol
{
    /// <summary>classic: JoinGroup/SyncGroup rebalances with client-side assignment.</summary>
    Classic,

    /// <summary>consumer: the KIP-848 protocol (ConsumerGroupHeartbeat), assignment decided by the broker.</summary>
    Consumer,
}
