using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Samsa.Groups;

namespace Samsa.Consumer;

internal sealed partial class ConsumerEngine
{
    // Set while a rebalance handler runs: an Assign/Unassign call inside it replaces the automatic one.
    private bool _inRebalanceHandler;
    private bool _handlerChangedAssignment;

    /// <summary>Subscribes to topic names and '^'-prefixed regular expressions; starts group membership.</summary>
    public void Subscribe(IReadOnlyList<string> topics)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count == 0)
        {
            throw new ArgumentException("Subscribe needs at least one topic name or '^'-prefixed regular expression (use Unsubscribe to stop).", nameof(topics));
        }

        foreach (string topic in topics)
        {
            ValidateSubscription(topic);
        }

        if (_groupOffsets is null)
        {
            throw new ConfigException("group.id", null, "Subscribe needs group.id: the group assigns the partitions. Set group.id, or use Assign to pick partitions yourself.");
        }

        _membership ??= _membershipFactory(new MembershipContext(_cluster, _config, _groupOffsets, _logger));
        _subscription = [.. topics];
        _membership.Subscribe(_subscription);
    }

    private static void ValidateSubscription(string topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            throw new ArgumentException("A subscribed topic name is null or empty.", nameof(topic));
        }

        if (topic[0] != '^')
        {
            return;
        }

        try
        {
            _ = new Regex(topic, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The subscription pattern '{topic}' is not a valid regular expression: {ex.Message}", nameof(topic), ex);
        }
    }

    /// <summary>Leaves the subscription: the membership revokes the assignment (handled here if it does so at once).</summary>
    public void Unsubscribe()
    {
        ThrowIfClosed();
        _subscription = [];
        if (_membership is null)
        {
            return;
        }

        _membership.Unsubscribe();
        Service();
    }

    /// <summary>Applies one group event on the poll thread, then acknowledges it; a handler's exception is rethrown after.</summary>
    private void ApplyGroupEvent(GroupEvent groupEvent)
    {
        Exception? handlerError = null;
        try
        {
            ConsumerLog.AssignmentChanged(_logger, groupEvent.Kind.ToString(), string.Join(", ", groupEvent.Partitions));
            switch (groupEvent.Kind)
            {
                case GroupEventKind.Assigned:
                    handlerError = OnAssigned(groupEvent.Partitions);
                    break;
                case GroupEventKind.Revoked:
                    handlerError = OnRevoked(groupEvent.Partitions, lost: false);
                    break;
                case GroupEventKind.Lost:
                    handlerError = OnRevoked(groupEvent.Partitions, lost: true);
                    break;
                case GroupEventKind.Error when groupEvent.Error is not null:
                    ReportError(groupEvent.Error);
                    if (groupEvent.Error.Error is ErrorCode.FencedInstanceId or ErrorCode.LocalFatal)
                    {
                        handlerError = groupEvent.Error;
                    }

                    break;
            }
        }
        finally
        {
            _membership!.Acknowledge(groupEvent);
        }

        if (handlerError is not null)
        {
            ExceptionDispatchInfo.Capture(handlerError).Throw();
        }
    }

    private Exception? OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        IReadOnlyList<TopicPartitionOffset>? starts = null;
        Exception? error = RunRebalanceHandler("partitions assigned", () => starts = _callbacks.OnAssigned(partitions));
        if (!_handlerChangedAssignment)
        {
            var offsets = new List<TopicPartitionOffset>(partitions.Count);
            if (starts is not null)
            {
                offsets.AddRange(starts);
            }
            else
            {
                foreach (TopicPartition tp in partitions)
                {
                    offsets.Add(new TopicPartitionOffset(tp, Offset.Unset));
                }
            }

            _fetcher.Add(offsets);
        }

        return error;
    }

    /// <summary>Revoked: handler, commit (auto-commit), drop. Lost: handler, drop; nothing is committed.</summary>
    private Exception? OnRevoked(IReadOnlyList<TopicPartition> partitions, bool lost)
    {
        var states = new List<FetchPartition>(partitions.Count);
        foreach (TopicPartition tp in partitions)
        {
            if (_fetcher.Find(tp) is { } p)
            {
                states.Add(p);
            }
        }

        List<TopicPartitionOffset> positions = Positions(states);
        Exception? error = lost
            ? RunRebalanceHandler("partitions lost", () => _callbacks.OnLost(positions))
            : RunRebalanceHandler("partitions revoked", () => _callbacks.OnRevoked(positions));
        if (!lost && _settings.EnableAutoCommit)
        {
            List<TopicPartitionOffset> offsets = Committable(states, onlyChanged: true);
            if (offsets.Count > 0)
            {
                try
                {
                    CommitSync(offsets);
                }
                catch (KafkaException ex)
                {
                    ReportError(new KafkaException(ex.Error, $"Committing offsets of revoked partitions failed: {ex.Reason}", ex));
                }
            }
        }

        if (!_handlerChangedAssignment)
        {
            _fetcher.Remove(partitions);
        }

        return error;
    }

    private Exception? RunRebalanceHandler(string name, Action handler)
    {
        _inRebalanceHandler = true;
        _handlerChangedAssignment = false;
        try
        {
            return InvokeHandler(name, handler);
        }
        finally
        {
            _inRebalanceHandler = false;
        }
    }

    /// <summary>Called by every assignment change; inside a rebalance handler it replaces the automatic one.</summary>
    private void NoteAssignmentChange()
    {
        if (_inRebalanceHandler)
        {
            _handlerChangedAssignment = true;
        }
    }
}
