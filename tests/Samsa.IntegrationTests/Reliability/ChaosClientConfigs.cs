namespace Samsa.IntegrationTests.Reliability;

/// <summary>The client settings the chaos tests share.</summary>
internal static class ChaosClientConfigs
{
    /// <summary>
    /// The idempotent acks=all producer under test: retries and reconnects quickly, with a request timeout short
    /// enough that the proxy's stalls outlast it.
    /// </summary>
    public static ProducerConfig Producer(string bootstrapServers, TimeSpan requestTimeout) => new()
    {
        BootstrapServers = bootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        RequestTimeout = requestTimeout,
        RetryBackoff = TimeSpan.FromMilliseconds(20),
        RetryBackoffMax = TimeSpan.FromMilliseconds(200),
        ReconnectBackoff = TimeSpan.FromMilliseconds(20),
        ReconnectBackoffMax = TimeSpan.FromMilliseconds(300),
        Linger = TimeSpan.FromMilliseconds(5),
    };

    /// <summary>The consumer reading the log back through the proxy: reads from the start, short waits, quick reconnects.</summary>
    public static ConsumerConfig Consumer(string bootstrapServers, TimeSpan requestTimeout) => new()
    {
        BootstrapServers = bootstrapServers,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        IsolationLevel = IsolationLevel.ReadUncommitted,
        FetchWaitMax = TimeSpan.FromMilliseconds(100),
        RequestTimeout = requestTimeout,
        RetryBackoff = TimeSpan.FromMilliseconds(20),
        ReconnectBackoff = TimeSpan.FromMilliseconds(20),
        ReconnectBackoffMax = TimeSpan.FromMilliseconds(300),
    };
}
