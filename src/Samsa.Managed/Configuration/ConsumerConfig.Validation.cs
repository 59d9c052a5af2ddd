using System.Globalization;

namespace Samsa;

/// <summary>The consumer's rules between properties.</summary>
public sealed partial record ConsumerConfig
{
    /// <summary>Room for the response framing around fetch.max.bytes of records (librdkafka's margin).</summary>
    private const int FetchFramingBytes = 512;

    /// <inheritdoc/>
    public override ConsumerConfig Validate()
    {
        var warnings = new List<string>(Warnings);
        ValidateCommon(warnings);

        if (GroupId is not null && string.IsNullOrWhiteSpace(GroupId))
        {
            // KIP-289: an empty group id names no group; leave group.id unset for a consumer without one.
            throw ConfigErrors.Rule("group.id", GroupId, "group.id is empty: give the group a name, or leave group.id unset to consume without a group.");
        }

        if (GroupInstanceId is not null && string.IsNullOrWhiteSpace(GroupInstanceId))
        {
            throw ConfigErrors.Rule("group.instance.id", GroupInstanceId, "group.instance.id is empty: give the member a name, or leave it unset for a dynamic member.");
        }

        if (GroupInstanceId is not null && GroupId is null)
        {
            throw ConfigErrors.Rule("group.instance.id", GroupInstanceId, "group.instance.id requires group.id.");
        }

        if (GroupProtocol == GroupProtocol.Classic)
        {
            ValidateClassicGroup(warnings);
        }
        else
        {
            WarnBrokerSideSettings(warnings);
        }

        return ValidateFetchSizes(warnings) with { Warnings = warnings.ToArray() };
    }

    private void ValidateClassicGroup(List<string> warnings)
    {
        if (HeartbeatInterval >= SessionTimeout)
        {
            throw ConfigErrors.Rule(
                "heartbeat.interval.ms",
                Shown("heartbeat.interval.ms"),
                $"heartbeat.interval.ms ({Shown("heartbeat.interval.ms")}) must be lower than session.timeout.ms ({Shown("session.timeout.ms")}).");
        }

        if (MaxPollInterval < SessionTimeout)
        {
            throw ConfigErrors.Rule(
                "max.poll.interval.ms",
                Shown("max.poll.interval.ms"),
                $"max.poll.interval.ms ({Shown("max.poll.interval.ms")}) must be at least session.timeout.ms ({Shown("session.timeout.ms")}).");
        }

        bool cooperative = false;
        bool eager = false;
        foreach (PartitionAssignmentStrategy strategy in PartitionAssignmentStrategies)
        {
            cooperative |= strategy == Samsa.PartitionAssignmentStrategy.CooperativeSticky;
            eager |= strategy != Samsa.PartitionAssignmentStrategy.CooperativeSticky;
        }

        if (cooperative && eager)
        {
            throw ConfigErrors.Rule(
                "partition.assignment.strategy",
                Shown("partition.assignment.strategy"),
                $"partition.assignment.strategy ({Shown("partition.assignment.strategy")}) mixes cooperative-sticky with eager assignors (range, roundrobin); use one kind.");
        }

        if (GroupRemoteAssignor is not null)
        {
            AddWarning(warnings, "group.remote.assignor is set but group.protocol=classic; ignored (it applies to group.protocol=consumer).");
        }
    }

    /// <summary>With KIP-848 the broker owns the session, the heartbeat interval and the assignment.</summary>
    private void WarnBrokerSideSettings(List<string> warnings)
    {
        string[] brokerSide = ["session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy"];
        foreach (string name in brokerSide)
        {
            ConfigProperty property = ConfigRegistry.Get(name);
            if (property.FormatRaw(this) != property.FormatRaw(s_defaults))
            {
                string instead = name == "partition.assignment.strategy" ? "use group.remote.assignor" : "the broker decides it";
                AddWarning(warnings, $"{name} is set but group.protocol=consumer does not use it; ignored ({instead}).");
            }
        }
    }

    /// <summary>
    /// fetch.max.bytes must fit the prefetch budget and receive.message.max.bytes; values left at their defaults are
    /// adjusted (as librdkafka does), values set are checked.
    /// </summary>
    private ConsumerConfig ValidateFetchSizes(List<string> warnings)
    {
        ConsumerConfig effective = this;
        long budget = QueuedMaxMessagesKbytes * 1024L;
        if (FetchMaxBytes > budget)
        {
            if (FetchMaxBytesIsSet)
            {
                AddWarning(
                    warnings,
                    $"fetch.max.bytes ({Shown("fetch.max.bytes")}) exceeds the prefetch budget queued.max.messages.kbytes ({Shown("queued.max.messages.kbytes")} KiB); one fetch response may exceed it.");
            }
            else
            {
                effective = effective with { FetchMaxBytes = (int)budget };
            }
        }

        long needed = (long)effective.FetchMaxBytes + FetchFramingBytes;
        if (needed > ReceiveMessageMaxBytes)
        {
            if (ReceiveMessageMaxBytesIsSet)
            {
                throw ConfigErrors.Rule(
                    "receive.message.max.bytes",
                    Shown("receive.message.max.bytes"),
                    $"receive.message.max.bytes ({Shown("receive.message.max.bytes")}) must be at least fetch.max.bytes + 512 ({needed.ToString(CultureInfo.InvariantCulture)}).");
            }

            effective = effective with { ReceiveMessageMaxBytes = (int)Math.Min(needed, int.MaxValue) };
        }

        return effective;
    }
}
