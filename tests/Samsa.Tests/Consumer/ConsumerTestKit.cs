using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Samsa.Tests.Consumer;

/// <summary>Shared helpers of the consumer unit tests.</summary>
internal static class ConsumerTestKit
{
    /// <summary>Set SAMSA_TEST_LOG to a file path to get every consumer's log there, prefixed with its bootstrap servers.</summary>
    public static ILoggerFactory? Logging(string prefix) =>
        Environment.GetEnvironmentVariable("SAMSA_TEST_LOG") is { Length: > 0 } path ? new FileTestLoggerFactory(path, prefix) : null;

    public static ConsumerConfig Config(FakeKafka kafka, string? groupId = null) => new()
    {
        BootstrapServers = kafka.BootstrapServers,
        GroupId = groupId,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        FetchWaitMax = TimeSpan.FromMilliseconds(100),
        RetryBackoff = TimeSpan.FromMilliseconds(20),
        RetryBackoffMax = TimeSpan.FromMilliseconds(100),
        MetadataMaxAge = TimeSpan.FromSeconds(30),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    public static Consumer<string, string> Create(ConsumerConfig config) => new(config, loggerFactory: Logging(config.BootstrapServers!));

    /// <summary>Consumes until <paramref name="count"/> messages (EOF events excluded) arrived or the timeout passed.</summary>
    public static List<ConsumeResult<string, string>> ConsumeMessages(IConsumer<string, string> consumer, int count, TimeSpan? timeout = null)
    {
        var results = new List<ConsumeResult<string, string>>();
        var watch = Stopwatch.StartNew();
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(10);
        while (results.Count < count && watch.Elapsed < limit)
        {
            ConsumeResult<string, string>? r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not null && !r.IsPartitionEOF)
            {
                results.Add(r);
            }
        }

        return results;
    }

    /// <summary>Like ConsumeMessages, but errors with <paramref name="tolerated"/> (raised again while the data is bad) are counted, not thrown.</summary>
    public static List<ConsumeResult<string, string>> ConsumeMessagesTolerating(IConsumer<string, string> consumer, int count, ErrorCode tolerated, out int errors)
    {
        var results = new List<ConsumeResult<string, string>>();
        var watch = Stopwatch.StartNew();
        errors = 0;
        while (results.Count < count && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                ConsumeResult<string, string>? r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r is not null && !r.IsPartitionEOF)
                {
                    results.Add(r);
                }
            }
            catch (ConsumeException ex) when (ex.Error == tolerated)
            {
                errors++;
            }
        }

        return results;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    public static List<long> Offsets(IEnumerable<ConsumeResult<string, string>> results) => [.. results.Select(r => r.Offset.Value)];
}
