using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Samsa.Cli.Args;
using Samsa.Cli.Commands;
using Samsa.Cli.Output;

namespace Samsa.Cli.Demo;

/// <summary>
/// samsa demo: starts the embedded test cluster in a child process, produces messages (a progress bar when
/// stderr is a terminal) while a group of consumers reads them back, and prints throughput and end-to-end
/// latency percentiles. Every message is checked to arrive exactly once.
/// </summary>
internal sealed class DemoCommand : ICommand
{
    private const string Topic = "samsa-demo";

    private static readonly OptionSpec Messages = new('n', "messages", "N", "Messages to produce (default 1000000)");
    private static readonly OptionSpec Size = new('s', "size", "BYTES", "Value size, at least 16 (default 100)");
    private static readonly OptionSpec Partitions = new('P', "partitions", "N", "Partitions of the demo topic (default 64)");
    private static readonly OptionSpec Brokers = new(null, "brokers", "N", "Brokers of the embedded cluster (default 3)");
    private static readonly OptionSpec Consumers = new(null, "consumers", "N", "Consumers in the group (default 3)");
    private static readonly OptionSpec External = new('b', "brokers-list", "BROKERS", "Use this cluster instead of an embedded one (topic samsa-demo must exist)");

    public string Name => "demo";

    public string Summary => "Start an embedded cluster, produce and consume 1,000,000 messages, report throughput and latency.";

    public string Usage => "samsa demo [--messages N] [--size BYTES] [--partitions N] [--brokers N] [--consumers N] [-X NAME=VALUE]...";

    public IReadOnlyList<OptionSpec> Options { get; } =
        [Messages, Size, Partitions, Brokers, Consumers, External, CommonOptions.Property, CommonOptions.PropertiesFile, CommonOptions.Verbose, CommonOptions.Help];

    public async Task<int> RunAsync(ParsedArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        }

        int count = args.GetInt(Messages.Name, "--messages", 1, 100_000_000) ?? 1_000_000;
        int size = args.GetInt(Size.Name, "--size", 16, 1_000_000) ?? 100;
        int partitions = args.GetInt(Partitions.Name, "--partitions", 1, 10_000) ?? 64;
        int brokers = args.GetInt(Brokers.Name, "--brokers", 1, 64) ?? 3;
        int consumers = args.GetInt(Consumers.Name, "--consumers", 1, 64) ?? 3;
        ClientProperties properties = ClientProperties.From(args);
        string? external = args.Get(External.Name);

        MockProcess? mock = null;
        if (external is null)
        {
            console.Error.WriteLine($"samsa demo: starting a {brokers}-broker embedded cluster (topic {Topic}, {partitions} partitions)...");
            mock = await MockProcess.StartAsync(brokers, Topic, partitions, cancellationToken).ConfigureAwait(false);
            await mock.CommandAsync("rebalance-delay 0", cancellationToken).ConfigureAwait(false); // the mock's 3 s default would dominate
        }

        try
        {
            properties.Set("bootstrap.servers", external ?? mock!.BootstrapServers);
            var run = new DemoRun(console, properties, count, size, partitions, consumers);
            return await run.ExecuteAsync(external is null ? $"{brokers} brokers (embedded mock cluster)" : external, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (mock is not null)
            {
                await mock.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>One run of the demo against a cluster whose demo topic exists.</summary>
    private sealed class DemoRun(CliConsole console, ClientProperties properties, int count, int size, int partitions, int consumerCount) : IDeliveryHandler
    {
        private long _delivered;
        private long _failed;
        private string? _firstError;

        public async Task<int> ExecuteAsync(string clusterName, CancellationToken cancellationToken)
        {
            string group = "samsa-demo-" + Guid.NewGuid().ToString("N")[..8];
            ProducerConfig producerConfig = properties.Producer();
            properties.Set("group.id", group);
            properties.Set("auto.offset.reset", "earliest");
            ConsumerConfig consumerConfig = properties.Consumer();
            using var logs = new StderrLoggerFactory(console.Error, properties.LogLevel);

            using var consumers = new DemoConsumers(consumerConfig, Topic, consumerCount, count, logs);
            var groupClock = Stopwatch.StartNew();
            consumers.Start(cancellationToken);
            await WaitForGroupAsync(consumers, cancellationToken).ConfigureAwait(false);
            console.Error.WriteLine($"samsa demo: {consumerCount} consumers joined group {group} in {groupClock.Elapsed.TotalSeconds:F1} s; producing {count:N0} messages...");

            var produceClock = Stopwatch.StartNew();
            await using (var producer = new Producer<byte[], byte[]>(producerConfig, loggerFactory: logs))
            {
                await ProduceAllAsync(producer, cancellationToken).ConfigureAwait(false);
            }

            double produceSeconds = produceClock.Elapsed.TotalSeconds;
            await WaitForConsumersAsync(consumers, cancellationToken).ConfigureAwait(false);

            LatencyHistogram latency = consumers.Latencies();
            double mb = (double)count * size / 1_000_000;
            double consumeSeconds = Math.Max(consumers.ConsumeSeconds, 1e-6);
            TextWriter o = console.Out;
            o.WriteLine($"samsa demo: {count:N0} messages of {size} bytes, {partitions} partitions, {clusterName}, {consumerCount} consumers in group {group}");
            o.WriteLine($"  produced {Interlocked.Read(ref _delivered),12:N0} in {produceSeconds,7:F2} s  {count / produceSeconds,12:N0} msg/s  {mb / produceSeconds,8:F1} MB/s");
            o.WriteLine($"  consumed {consumers.Unique,12:N0} in {consumeSeconds,7:F2} s  {consumers.Unique / consumeSeconds,12:N0} msg/s  {consumers.Unique * (double)size / 1_000_000 / consumeSeconds,8:F1} MB/s");
            o.WriteLine($"  end-to-end latency (under full load, producer queueing included): p50 {Ms(latency.Percentile(50))}, p90 {Ms(latency.Percentile(90))}, p99 {Ms(latency.Percentile(99))}, max {Ms(latency.Max)}");
            o.WriteLine($"  every message received exactly once: {(consumers.Unique == count && consumers.Duplicates == 0 ? "yes" : $"no ({count - consumers.Unique:N0} missing, {consumers.Duplicates:N0} duplicates)")}");
            o.Flush();

            if (Interlocked.Read(ref _failed) > 0)
            {
                console.Error.WriteLine($"samsa demo: {_failed:N0} messages not delivered; first error: {_firstError}");
                return ExitCodes.Failure;
            }

            if (consumers.Unique != count)
            {
                console.Error.WriteLine($"samsa demo: only {consumers.Unique:N0} of {count:N0} messages came back{(consumers.Error is { } e ? ": " + e.Message : "")}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Ok;
        }

        public void OnDelivery(in DeliveryEvent delivery, object? state)
        {
            if (delivery.IsError)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstError, $"{delivery.Error.Name()}: {delivery.ErrorMessage}", null);
            }
            else
            {
                Interlocked.Increment(ref _delivered);
            }
        }

        private async Task WaitForGroupAsync(DemoConsumers consumers, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            while (consumers.AssignedPartitions < partitions || consumers.MembersWithPartitions < Math.Min(consumerCount, partitions))
            {
                if (consumers.Error is { } error)
                {
                    throw new KafkaException(ErrorCode.LocalFail, $"a consumer failed while joining the group: {error.Message}", error);
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new KafkaException(ErrorCode.LocalTimedOut,
                        $"the group did not form in 60 s ({consumers.AssignedPartitions} of {partitions} partitions assigned)");
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task ProduceAllAsync(Producer<byte[], byte[]> producer, CancellationToken cancellationToken)
        {
            var bar = new ProgressBar(console, "produce", count);
            byte[] value = new byte[size];
            value.AsSpan(16).Fill((byte)'x');
            for (int i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
                BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(8), i);
                while (true)
                {
                    try
                    {
                        producer.ProduceRaw(Topic, -1, default, true, value, false, default, 0, this, null);
                        break;
                    }
                    catch (KafkaException e) when (e.Error == ErrorCode.LocalQueueFull)
                    {
                        bar.Report(Interlocked.Read(ref _delivered));
                        await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                        BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
                    }
                }

                if ((i & 1023) == 0)
                {
                    bar.Report(Interlocked.Read(ref _delivered));
                }
            }

            while (Interlocked.Read(ref _delivered) + Interlocked.Read(ref _failed) < count)
            {
                bar.Report(Interlocked.Read(ref _delivered));
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }

            bar.Complete(Interlocked.Read(ref _delivered));
        }

        private async Task WaitForConsumersAsync(DemoConsumers consumers, CancellationToken cancellationToken)
        {
            var bar = new ProgressBar(console, "consume", count);
            long last = -1;
            var stalled = Stopwatch.StartNew();
            while (consumers.Unique < Interlocked.Read(ref _delivered))
            {
                long now = consumers.Unique;
                if (now != last)
                {
                    last = now;
                    stalled.Restart();
                }
                else if (stalled.Elapsed > TimeSpan.FromSeconds(30) || consumers.Error is not null)
                {
                    break; // reported as missing messages
                }

                bar.Report(now);
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }

            bar.Complete(consumers.Unique);
        }

        private static string Ms(long micros) => (micros / 1000.0).ToString("F1", CultureInfo.InvariantCulture) + " ms";
    }
}
