using System.Buffers;
using System.Globalization;
using System.Text;
using Samsa.Cli.Args;
using Samsa.Cli.Output;

namespace Samsa.Cli.Commands;

/// <summary>
/// kcat -C / -G: prints consumed messages (the value, one per line, unless -f says otherwise). Without -G it
/// reads the given partition, or every partition, of the topic; with -G it joins the group and subscribes.
/// </summary>
internal sealed class ConsumeCommand : ICommand
{
    private static readonly OptionSpec Topic = new('t', "topic", "TOPIC", "Topic to consume (with -G, topics may also be given as arguments)", Repeatable: true);
    private static readonly OptionSpec Partition = new('p', "partition", "PARTITION", "Only this partition (not with -G)");
    private static readonly OptionSpec Group = new('G', "group", "GROUP", "Consume as a member of GROUP (subscribe; offsets are committed)");
    private static readonly OptionSpec Offset = new('o', "offset", "OFFSET", "Start at: beginning, end, stored, N, -N (N before the end), s@TIMESTAMP_MS");
    private static readonly OptionSpec Count = new('c', "count", "COUNT", "Exit after COUNT messages");
    private static readonly OptionSpec Exit = new('e', "exit", null, "Exit once the end of every partition is reached");
    private static readonly OptionSpec Format = new('f', "format", "FORMAT", "Output format: %t %p %o %k %s %K %S %T %h %% and \\n \\t \\r escapes");
    private static readonly OptionSpec KeyDelimiter = new('K', "key-delimiter", "DELIM", "Print the key, DELIM, then the value (when no -f)");

    public string Name => "consume";

    public string Summary => "Print consumed messages, one per line (or as -f formats them).";

    public string Usage => "samsa consume -b BROKERS -t TOPIC [-p PARTITION | -G GROUP] [-o OFFSET] [-c COUNT] [-e] [-f FORMAT] [-X NAME=VALUE]...";

    public IReadOnlyList<OptionSpec> Options { get; } = [.. CommonOptions.Client, Topic, Partition, Group, Offset, Count, Exit, Format, KeyDelimiter];

    public async Task<int> RunAsync(ParsedArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        string? group = args.Get(Group.Name);
        var topics = new List<string>(args.All(Topic.Name));
        if (group is not null)
        {
            topics.AddRange(args.Positionals);
        }
        else if (args.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positionals[0]}' (topics as arguments need -G)");
        }

        if (topics.Count == 0)
        {
            throw new UsageException($"{args.Command} needs -t TOPIC");
        }

        if (group is null && topics.Count > 1)
        {
            throw new UsageException("several topics need -G GROUP");
        }

        if (group is not null && args.Has(Partition.Name))
        {
            throw new UsageException("-p cannot be used with -G (the group assigns the partitions)");
        }

        int? partition = args.GetInt(Partition.Name, "-p", min: 0);
        long? count = args.GetLong(Count.Name, "-c", min: 1);
        StartOffset start = StartOffset.Parse(args.Get(Offset.Name), group is not null);
        MessageFormatter formatter = MessageFormatter.Parse(args.Get(Format.Name)
            ?? (args.Get(KeyDelimiter.Name) is { } kd ? "%k" + kd.Replace("%", "%%", StringComparison.Ordinal) + "%s\\n" : "%s\\n"));

        ClientProperties properties = ClientProperties.From(args);
        properties.RequireBrokers(args.Command);
        if (group is not null)
        {
            properties.Set("group.id", group);
        }

        if (start.AutoOffsetReset is { } reset)
        {
            properties.Set("auto.offset.reset", reset);
        }

        if (args.Has(Exit.Name))
        {
            properties.Set("enable.partition.eof", "true");
        }

        ConsumerConfig config = properties.Consumer();
        using var logs = new StderrLoggerFactory(console.Error, properties.LogLevel);
        List<TopicPartition>? assignment = null;
        if (group is null)
        {
            assignment = await PartitionsAsync(args, console, topics[0], partition, cancellationToken).ConfigureAwait(false);
        }

        await using var consumer = new Consumer<byte[], byte[]>(config, loggerFactory: logs);
        if (assignment is null)
        {
            consumer.Subscribe(topics);
        }
        else
        {
            consumer.Assign(start.Resolve(consumer, assignment));
        }

        var loop = new ConsumeLoop(consumer, console, formatter, count, args.Has(Exit.Name), assignment);
        return await Task.Factory.StartNew(() => loop.Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>The partitions to read without a group: the one given, or all of the topic's.</summary>
    private static async Task<List<TopicPartition>> PartitionsAsync(ParsedArgs args, CliConsole console, string topic, int? partition, CancellationToken cancellationToken)
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

        if (partition is { } p)
        {
            return p < description.Partitions.Count
                ? [new TopicPartition(topic, p)]
                : throw new KafkaException(ErrorCode.LocalUnknownPartition, $"topic '{topic}' has {description.Partitions.Count} partitions; there is no partition {p}");
        }

        return [.. description.Partitions.Select(d => new TopicPartition(topic, d.Partition))];
    }

    /// <summary>Where to start, from -o.</summary>
    private sealed record StartOffset(long Value, bool FromEnd, bool ByTime, string? AutoOffsetReset)
    {
        public static StartOffset Parse(string? text, bool group)
        {
            StartOffset offset = text switch
            {
                null => group ? new(Samsa.Offset.Stored, false, false, null) : new(Samsa.Offset.Beginning, false, false, null),
                "beginning" => new(Samsa.Offset.Beginning, false, false, "earliest"),
                "end" => new(Samsa.Offset.End, false, false, "latest"),
                "stored" => new(Samsa.Offset.Stored, false, false, null),
                _ when text.StartsWith("s@", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out long ts) =>
                    new(ts, false, true, null),
                _ when text.StartsWith('-') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out long back) => new(back, true, false, null),
                _ when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long absolute) => new(absolute, false, false, null),
                _ => throw new UsageException($"-o takes beginning, end, stored, N, -N or s@TIMESTAMP_MS, not '{text}'"),
            };
            if (group && text is not null && offset.AutoOffsetReset is null && text != "stored")
            {
                throw new UsageException("with -G, -o takes beginning, end or stored (the group's committed offsets come first)");
            }

            return offset;
        }

        public List<TopicPartitionOffset> Resolve(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions)
        {
            var result = new List<TopicPartitionOffset>(partitions.Count);
            if (ByTime)
            {
                return consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(p.Topic, p.Partition, new Timestamp(Value, TimestampType.CreateTime))),
                    TimeSpan.FromSeconds(30));
            }

            foreach (TopicPartition p in partitions)
            {
                if (FromEnd)
                {
                    WatermarkOffsets marks = consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(30));
                    result.Add(new TopicPartitionOffset(p, Math.Max(marks.Low.Value, marks.High.Value - Value)));
                }
                else
                {
                    result.Add(new TopicPartitionOffset(p, new Offset(Value)));
                }
            }

            return result;
        }
    }

    /// <summary>The consume loop on its own thread: formats records into a buffer, writes it out in large pieces.</summary>
    private sealed class ConsumeLoop(Consumer<byte[], byte[]> consumer, CliConsole console, MessageFormatter formatter, long? count, bool exitAtEnd,
        List<TopicPartition>? fixedAssignment)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
        private readonly HashSet<TopicPartition> _atEnd = [];
        private readonly Dictionary<string, byte[]> _topicNames = new(StringComparer.Ordinal);

        public int Run(CancellationToken cancellationToken)
        {
            long consumed = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                ConsumedRecord record;
                bool got;
                try
                {
                    got = consumer.TryConsumeRaw(out record, TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e)
                {
                    WriteOut();
                    console.Error.WriteLine($"samsa consume: {e.Message}");
                    continue;
                }

                if (!got)
                {
                    WriteOut();
                    continue;
                }

                if (record.IsPartitionEof)
                {
                    _atEnd.Add(record.TopicPartition);
                    if (exitAtEnd && AllAtEnd())
                    {
                        break;
                    }

                    continue;
                }

                _atEnd.Remove(record.TopicPartition);
                formatter.Write(_buffer, record, TopicUtf8(record.Topic));
                if (_buffer.WrittenCount >= 48 * 1024)
                {
                    WriteOut();
                }

                if (count is { } limit && ++consumed >= limit)
                {
                    break;
                }
            }

            WriteOut();
            console.OutStream.Flush();

            // Interrupting an open-ended consumer is its normal way to stop.
            return ExitCodes.Ok;
        }

        private bool AllAtEnd()
        {
            List<TopicPartition> assigned = fixedAssignment ?? consumer.Assignment;
            if (assigned.Count == 0)
            {
                return false;
            }

            foreach (TopicPartition tp in assigned)
            {
                if (!_atEnd.Contains(tp))
                {
                    return false;
                }
            }

            return true;
        }

        private byte[] TopicUtf8(string topic)
        {
            if (!_topicNames.TryGetValue(topic, out byte[]? bytes))
            {
                _topicNames[topic] = bytes = Encoding.UTF8.GetBytes(topic);
            }

            return bytes;
        }

        private void WriteOut()
        {
            if (_buffer.WrittenCount > 0)
            {
                console.OutStream.Write(_buffer.WrittenSpan);
                _buffer.Clear();
                console.OutStream.Flush();
            }
        }
    }
}
