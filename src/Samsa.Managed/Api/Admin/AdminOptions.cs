namespace Samsa;

/// <summary>Per-call settings of an <see cref="AdminClient"/> operation.</summary>
public sealed record AdminOptions
{
    /// <summary>The default: the client's request.timeout.ms for the whole operation, retries included.</summary>
    public static readonly AdminOptions Default = new();

    /// <summary>
    /// How long the whole operation may take, retries (controller moves, coordinator loads, leader changes)
    /// included. Items still unfinished then carry the last error seen, or LOCAL_TIMED_OUT. Null means the
    /// client's request.timeout.ms.
    /// </summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>
    /// How long the broker may wait for the operation to complete on the cluster (the request's timeout field:
    /// CreateTopics, DeleteTopics, CreatePartitions, DeleteRecords). Null means the same as the request timeout.
    /// </summary>
    public TimeSpan? OperationTimeout { get; init; }

    /// <summary>Ask the broker to check the request without applying it (CreateTopics, CreatePartitions, IncrementalAlterConfigs).</summary>
    public bool ValidateOnly { get; init; }
}
