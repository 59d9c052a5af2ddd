using System.Text;
using Samsa.Cli.Args;
using Samsa.Cli.Output;
using Samsa.Protocol.Records;

namespace Samsa.Cli.Commands;

/// <summary>
/// kcat -P: reads messages from stdin, one per line (or per -D delimiter), produces them, waits for every
/// delivery report, and fails (exit 1) if any message was not delivered.
/// </summary>
internal sealed class ProduceCommand : ICommand
{
    private static readonly OptionSpec Topic = new('t', "topic", "TOPIC", "Topic to produce to (required)");
    private static readonly OptionSpec Partition = new('p', "partition", "PARTITION", "Partition (default: the partitioner chooses)");
    private static readonly OptionSpec Key = new('k', "key", "KEY", "Key of every message");
    private static readonly OptionSpec KeyDelimiter = new('K', "key-delimiter", "DELIM", "Split each line at the first DELIM into key and value");
    private static readonly OptionSpec Delimiter = new('D', "delimiter", "DELIM", "Message delimiter (default \\n; escapes \\n \\r \\t \\xNN)");
    private static readonly OptionSpec Codec = new('z', "compression", "CODEC", "Compression: none, gzip, snappy, lz4, zstd (compression.type)");
    private static readonly OptionSpec Header = new('H', "header", "NAME=VALUE", "Add a header to every message", Repeatable: true);

    public string Name => "produce";

    public string Summary => "Produce messages read from stdin (one per line) and wait for every delivery.";

    public string Usage => "samsa produce -b BROKERS -t TOPIC [-p PARTITION] [-k KEY | -K DELIM] [-z CODEC] [-H NAME=VALUE]... [-X NAME=VALUE]...";

    public IReadOnlyList<OptionSpec> Options { get; } = [.. CommonOptions.Client, Topic, Partition, Key, KeyDelimiter, Delimiter, Codec, Header];

    public async Task<int> RunAsync(ParsedArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        }

        ClientProperties properties = ClientProperties.From(args);
        properties.RequireBrokers(args.Command);
        string topic = args.Require(Topic.Name, "-t TOPIC");
        int partition = args.GetInt(Partition.Name, "-p", min: 0) ?? -1;
        if (args.Has(Key.Name) && args.Has(KeyDelimiter.Name))
        {
            throw new UsageException("-k and -K cannot be used together");
        }

        byte[]? fixedKey = args.Get(Key.Name) is { } k ? Encoding.UTF8.GetBytes(k) : null;
        byte[]? keyDelimiter = args.Get(KeyDelimiter.Name) is { } kd ? Escapes.Decode(kd, "-K") : null;
        byte[] delimiter = args.Get(Delimiter.Name) is { } d ? Escapes.Decode(d, "-D") : "\n"u8.ToArray();
        RecordHeader[] headers = Headers(args.All(Header.Name));
        if (args.Get(Codec.Name) is { } codec)
        {
            properties.Set("compression.type", codec);
        }

        ProducerConfig config = properties.Producer();
        if (partition >= 0)
        {
            await CheckPartitionAsync(args, console, topic, partition, cancellationToken).ConfigureAwait(false);
        }

        using var logs = new StderrLoggerFactory(console.Error, properties.LogLevel);
        var reports = new DeliveryTally();
        long sent = 0;
        await using (var producer = new Producer<byte[], byte[]>(config, loggerFactory: logs))
        {
            var reader = new DelimitedReader(console.In, delimiter);
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                ReadOnlyMemory<byte> key = fixedKey;
                ReadOnlyMemory<byte> value = line;
                bool keyIsNull = fixedKey is null;
                if (keyDelimiter is not null)
                {
                    int at = line.Span.IndexOf(keyDelimiter);
                    if (at >= 0)
                    {
                        key = line[..at];
                        value = line[(at + keyDelimiter.Length)..];
                        keyIsNull = false;
                    }
                }

                sent++;
                await ProduceOneAsync(producer, topic, partition, key, keyIsNull, value, headers, reports, sent, cancellationToken).ConfigureAwait(false);
            }

            await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (reports.Failed > 0)
        {
            console.Error.WriteLine($"{args.Command}: {reports.Failed} of {sent} messages not delivered; first error: {reports.FirstError}");
            return ExitCodes.Failure;
        }

        if (reports.Delivered != sent)
        {
            console.Error.WriteLine($"{args.Command}: {sent - reports.Delivered} of {sent} messages have no delivery report");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }

    private static async ValueTask ProduceOneAsync(Producer<byte[], byte[]> producer, string topic, int partition, ReadOnlyMemory<byte> key, bool keyIsNull,
        ReadOnlyMemory<byte> value, RecordHeader[] headers, DeliveryTally reports, long number, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                producer.ProduceRaw(topic, partition, key.Span, keyIsNull, value.Span, false, headers, 0, reports, number);
                return;
            }
            catch (KafkaException e) when (e.Error == ErrorCode.LocalQueueFull)
            {
                // The producer's queue is full: let deliveries catch up.
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException e) when (e.Error != ErrorCode.LocalQueueFull && e.Error != ErrorCode.LocalDestroy)
            {
                reports.Fail(number, e.Error, e.Reason);
                return;
            }
        }
    }

    /// <summary>A partition that does not exist is an error before anything is read from stdin.</summary>
    private static async Task CheckPartitionAsync(ParsedArgs args, CliConsole console, string topic, int partition, CancellationToken cancellationToken)
    {
        await using AdminSession session = AdminSession.Open(args, console);
        TopicDescription description;
        try
        {
            description = (await session.Client.DescribeTopicsAsync([topic], cancellationToken: cancellationToken).ConfigureAwait(false))[0];
        }
        catch (AdminException<TopicDescription> e)
        {
            throw new KafkaException(e.Error, $"topic '{topic}': {e.Results[0].ErrorMessage}");
        }

        if (partition >= description.Partitions.Count)
        {
            throw new KafkaException(ErrorCode.LocalUnknownPartition, $"topic '{topic}' has {description.Partitions.Count} partitions; there is no partition {partition}");
        }
    }

    private static RecordHeader[] Headers(IReadOnlyList<string> pairs)
    {
        var headers = new RecordHeader[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            int eq = pairs[i].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"-H takes NAME=VALUE, not '{pairs[i]}'");
            }

            headers[i] = new RecordHeader(pairs[i][..eq], Encoding.UTF8.GetBytes(pairs[i][(eq + 1)..]));
        }

        return headers;
    }

    /// <summary>Counts delivery reports (on the producer's delivery thread) and keeps the first error.</summary>
    private sealed class DeliveryTally : IDeliveryHandler
    {
        private long _delivered;
        private long _failed;
        private string? _firstError;

        public long Delivered => Interlocked.Read(ref _delivered);

        public long Failed => Interlocked.Read(ref _failed);

        public string? FirstError => Volatile.Read(ref _firstError);

        public void OnDelivery(in DeliveryEvent delivery, object? state)
        {
            if (delivery.IsError)
            {
                Fail((long)state!, delivery.Error, delivery.ErrorMessage);
            }
            else
            {
                Interlocked.Increment(ref _delivered);
            }
        }

        public void Fail(long number, ErrorCode error, string? message)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, $"message {number}: {error.Name()}: {message ?? error.Describe()}", null);
        }
    }
}
