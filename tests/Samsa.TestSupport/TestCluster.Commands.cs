using System.Globalization;
using System.Text;
using Samsa.Protocol;

namespace Samsa.TestSupport;

/// <summary>A request a mock broker received while tracking was on.</summary>
/// <param name="BrokerId">Receiving broker.</param>
/// <param name="ApiKey">The request's API.</param>
/// <param name="TimestampMicros">Arrival time on the host's monotonic clock (microseconds); compare only with each other.</param>
public readonly record struct TrackedRequest(int BrokerId, ApiKey ApiKey, long TimestampMicros);

/// <summary>An error a broker returns for one request, after a delay.</summary>
/// <param name="Error">The error (<see cref="ErrorCode.None"/>: only the delay).</param>
/// <param name="RttMs">Response delay in milliseconds.</param>
public readonly record struct ErrorRtt(ErrorCode Error, int RttMs);

/// <summary>Coordinator kinds the mock lets tests place.</summary>
public enum CoordinatorType
{
    Group,
    Transaction,
}

/// <summary>One typed method per host command.</summary>
public sealed partial class TestCluster
{
    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(ErrorCode error) => ((int)error).ToString(CultureInfo.InvariantCulture);

    private static string N(ApiKey apiKey) => ((short)apiKey).ToString(CultureInfo.InvariantCulture);

    private static string Token(string value, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, what);
        foreach (char c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                throw new ArgumentException($"{what} '{value}' contains white space, which the control channel cannot carry.", what);
            }
        }

        return value;
    }

    /// <summary>Checks the host answers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        string reply = await SendCommandAsync("ping", cancellationToken);
        if (reply != "pong")
        {
            throw new TestClusterException($"ping answered '{reply}'");
        }
    }

    /// <summary>Creates a topic (replication is capped by the mock to the broker count).</summary>
    public Task CreateTopicAsync(string name, int partitions, int replicationFactor = 1, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"create-topic {Token(name, nameof(name))} {N(partitions)} {N(replicationFactor)}", cancellationToken);

    /// <summary>Deletes a topic.</summary>
    public Task DeleteTopicAsync(string name, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"delete-topic {Token(name, nameof(name))}", cancellationToken);

    /// <summary>Makes Metadata report an error for the topic (<see cref="ErrorCode.None"/> clears it).</summary>
    public Task SetTopicErrorAsync(string topic, ErrorCode error, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"topic-error {Token(topic, nameof(topic))} {N(error)}", cancellationToken);

    /// <summary>Takes a broker down: its connections close and its port refuses new ones.</summary>
    public Task BrokerDownAsync(int brokerId, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"broker-down {N(brokerId)}", cancellationToken);

    /// <summary>Brings a broker back on the same port.</summary>
    public Task BrokerUpAsync(int brokerId, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"broker-up {N(brokerId)}", cancellationToken);

    /// <summary>Moves a partition's leadership (-1: no leader).</summary>
    public Task SetLeaderAsync(string topic, int partition, int brokerId, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"leader {Token(topic, nameof(topic))} {N(partition)} {N(brokerId)}", cancellationToken);

    /// <summary>Sets the preferred follower consumers are told to fetch from.</summary>
    public Task SetFollowerAsync(string topic, int partition, int brokerId, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"follower {Token(topic, nameof(topic))} {N(partition)} {N(brokerId)}", cancellationToken);

    /// <summary>Sets the follower's watermarks (-1: follow the leader's).</summary>
    public Task SetFollowerWatermarksAsync(string topic, int partition, long low, long high, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"follower-wmarks {Token(topic, nameof(topic))} {N(partition)} {N(low)} {N(high)}", cancellationToken);

    /// <summary>Deletes records before an offset (-1: all up to the high watermark).</summary>
    public Task DeleteRecordsAsync(string topic, int partition, long beforeOffset, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"delete-records {Token(topic, nameof(topic))} {N(partition)} {N(beforeOffset)}", cancellationToken);

    /// <summary>Queues errors for the next requests of an API, on any broker, one error per request.</summary>
    public Task PushRequestErrorsAsync(ApiKey apiKey, params ErrorCode[] errors) =>
        PushRequestErrorsAsync(apiKey, errors, CancellationToken.None);

    /// <summary>Queues errors for the next requests of an API, on any broker, one error per request.</summary>
    public Task PushRequestErrorsAsync(ApiKey apiKey, IReadOnlyList<ErrorCode> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("Push at least one error.", nameof(errors));
        }

        var sb = new StringBuilder("push-errors ").Append(N(apiKey));
        foreach (ErrorCode e in errors)
        {
            sb.Append(' ').Append(N(e));
        }

        return SendCommandAsync(sb.ToString(), cancellationToken);
    }

    /// <summary>Drops the cluster-wide errors still queued for an API.</summary>
    public Task ClearRequestErrorsAsync(ApiKey apiKey, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"clear-errors {N(apiKey)}", cancellationToken);

    /// <summary>Queues errors with response delays for one broker's next requests of an API.</summary>
    public Task PushBrokerErrorRttsAsync(int brokerId, ApiKey apiKey, params ErrorRtt[] errors) =>
        PushBrokerErrorRttsAsync(brokerId, apiKey, errors, CancellationToken.None);

    /// <summary>Queues errors with response delays for one broker's next requests of an API.</summary>
    public Task PushBrokerErrorRttsAsync(int brokerId, ApiKey apiKey, IReadOnlyList<ErrorRtt> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("Push at least one error.", nameof(errors));
        }

        var sb = new StringBuilder("push-broker-error-rtts ").Append(N(brokerId)).Append(' ').Append(N(apiKey));
        foreach (ErrorRtt e in errors)
        {
            sb.Append(' ').Append(N(e.Error)).Append(':').Append(N(e.RttMs));
        }

        return SendCommandAsync(sb.ToString(), cancellationToken);
    }

    /// <summary>How many injected errors a broker still holds for an API.</summary>
    public async Task<int> BrokerErrorCountAsync(int brokerId, ApiKey apiKey, CancellationToken cancellationToken = default) =>
        int.Parse(await SendCommandAsync($"broker-errors {N(brokerId)} {N(apiKey)}", cancellationToken), CultureInfo.InvariantCulture);

    /// <summary>Delays every response of a broker.</summary>
    public Task SetRttAsync(int brokerId, int rttMs, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"rtt {N(brokerId)} {N(rttMs)}", cancellationToken);

    /// <summary>Sets a broker's rack (the mock cannot clear one again).</summary>
    public Task SetRackAsync(int brokerId, string rack, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"rack {N(brokerId)} {Token(rack, nameof(rack))}", cancellationToken);

    /// <summary>Places the coordinator of a group or transactional id on a broker.</summary>
    public Task SetCoordinatorAsync(CoordinatorType type, string key, int brokerId, CancellationToken cancellationToken = default) =>
        SendCommandAsync(
            $"coordinator {(type == CoordinatorType.Group ? "group" : "transaction")} {Token(key, nameof(key))} {N(brokerId)}",
            cancellationToken);

    /// <summary>How long new groups wait for members before their first rebalance (the mock's default is 3 s).</summary>
    public Task SetRebalanceDelayAsync(int delayMs, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"rebalance-delay {N(delayMs)}", cancellationToken);

    /// <summary>Sets the version range served for an API; -1/-1 disables it.</summary>
    public Task SetApiVersionAsync(ApiKey apiKey, short minVersion, short maxVersion, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"apiversion {N(apiKey)} {N(minVersion)} {N(maxVersion)}", cancellationToken);

    /// <summary>Changes what a broker advertises in Metadata (not where it listens), e.g. to insert a proxy.</summary>
    public Task SetHostPortAsync(int brokerId, string host, int port, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"host-port {N(brokerId)} {Token(host, nameof(host))} {N(port)}", cancellationToken);

    /// <summary>Sets the controller id Metadata reports.</summary>
    public Task SetControllerAsync(int brokerId, CancellationToken cancellationToken = default) =>
        SendCommandAsync($"controller {N(brokerId)}", cancellationToken);

    /// <summary>Starts recording requests (earlier records are dropped).</summary>
    public Task StartRequestTrackingAsync(CancellationToken cancellationToken = default) =>
        SendCommandAsync("track start", cancellationToken);

    /// <summary>Stops recording; the mock drops the records too, so read them first.</summary>
    public Task StopRequestTrackingAsync(CancellationToken cancellationToken = default) =>
        SendCommandAsync("track stop", cancellationToken);

    /// <summary>Drops the records so far; recording goes on.</summary>
    public Task ClearTrackedRequestsAsync(CancellationToken cancellationToken = default) =>
        SendCommandAsync("track clear", cancellationToken);

    /// <summary>The requests recorded since tracking started or was cleared, in arrival order.</summary>
    public async Task<IReadOnlyList<TrackedRequest>> GetTrackedRequestsAsync(CancellationToken cancellationToken = default)
    {
        string reply = await SendCommandAsync("requests", cancellationToken);
        string[] parts = reply.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || count != parts.Length - 1)
        {
            throw new TestClusterException($"Malformed 'requests' answer: '{reply}'.");
        }

        var result = new TrackedRequest[count];
        for (int i = 0; i < count; i++)
        {
            string[] f = parts[i + 1].Split(':');
            if (f.Length != 3
                || !int.TryParse(f[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int broker)
                || !short.TryParse(f[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out short key)
                || !long.TryParse(f[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ts))
            {
                throw new TestClusterException($"Malformed request record '{parts[i + 1]}' in '{reply}'.");
            }

            result[i] = new TrackedRequest(broker, (ApiKey)key, ts);
        }

        return result;
    }
}
