using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Cli.Tests;

/// <summary>samsa produce and consume against the test cluster, as kcat users would run them.</summary>
[Collection(CliClusterCollection.Name)]
public sealed class ProduceConsumeTests(ClusterFixture fixture)
{
    private string B => fixture.BootstrapServers;

    [SkippableFact]
    public async Task Lines_from_stdin_come_back_with_keys_headers_and_positions()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 1);
        CliResult produced = await CliRunner.RunAsync(["produce", "-b", B, "-t", topic, "-K", ":", "-H", "source=cli", "-H", "n=2"],
            "k1:v1\nk2:value:with:colons\nno-key-here\n");
        Assert.True(produced.ExitCode == 0, produced.ToString());
        Assert.Equal("", produced.Error);

        CliResult consumed = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-e", "-f", "%t|%p|%o|%k|%s|%h|%K|%S\\n");
        Assert.True(consumed.ExitCode == 0, consumed.ToString());
        Assert.Equal(
        [
            $"{topic}|0|0|k1|v1|source=cli,n=2|2|2",
            $"{topic}|0|1|k2|value:with:colons|source=cli,n=2|2|17",
            $"{topic}|0|2||no-key-here|source=cli,n=2|-1|11",
        ], consumed.OutLines);

        CliResult plain = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-e");
        Assert.Equal(["v1", "value:with:colons", "no-key-here"], plain.OutLines);
        CliResult keyed = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-e", "-K", "=");
        Assert.Equal("k1=v1", keyed.OutLines[0]);
    }

    [SkippableFact]
    public async Task A_fixed_key_a_partition_timestamps_and_a_count()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 3);
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        CliResult produced = await CliRunner.RunAsync(["produce", "-b", B, "-t", topic, "-p", "2", "-k", "same"], "a\nb\nc\nd");
        Assert.True(produced.ExitCode == 0, produced.ToString());

        CliResult all = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-e", "-f", "%p %k %s %T\\n");
        Assert.Equal(4, all.OutLines.Length);
        Assert.All(all.OutLines, l => Assert.StartsWith("2 same ", l, StringComparison.Ordinal));
        Assert.All(all.OutLines, l => Assert.InRange(long.Parse(l.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture), before - 1000, before + 60_000));

        CliResult two = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-p", "2", "-c", "2");
        Assert.Equal(["a", "b"], two.OutLines);
        CliResult fromOffset = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-p", "2", "-o", "1", "-e");
        Assert.Equal(["b", "c", "d"], fromOffset.OutLines);
        CliResult lastOne = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-p", "2", "-o", "-1", "-e");
        Assert.Equal(["d"], lastOne.OutLines);
        CliResult atEnd = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-o", "end", "-e");
        Assert.Equal(0, atEnd.ExitCode);
        Assert.Empty(atEnd.OutLines);
    }

    [SkippableTheory]
    [InlineData("none", 0)]
    [InlineData("gzip", 1)]
    [InlineData("snappy", 2)]
    [InlineData("lz4", 3)]
    [InlineData("zstd", 4)]
    public async Task Each_codec_is_used_and_reads_back(string codec, int attribute)
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 1);
        string[] lines = [.. Enumerable.Range(0, 200).Select(i => $"line {i} " + new string('z', i % 50))];
        CliResult produced = await CliRunner.RunAsync(["produce", "-b", B, "-t", topic, "-z", codec], string.Join("\n", lines) + "\n");
        Assert.True(produced.ExitCode == 0, produced.ToString());
        CliResult consumed = await CliRunner.RunAsync("consume", "-b", B, "-t", topic, "-e");
        Assert.Equal(lines, consumed.OutLines);
        Assert.Equal(attribute, await FirstBatchCompressionAsync(topic));
    }

    [SkippableFact]
    public async Task Undeliverable_messages_exit_1_with_the_reason()
    {
        CliResult noBroker = await CliRunner.RunAsync(["produce", "-b", "127.0.0.1:1", "-t", "t", "-X", "message.timeout.ms=1500"], "lost\n");
        Assert.Equal(1, noBroker.ExitCode);
        Assert.Contains("1 of 1 messages not delivered", noBroker.Error, StringComparison.Ordinal);

        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 2);
        CliResult badPartition = await CliRunner.RunAsync(["produce", "-b", B, "-t", topic, "-p", "5"], "x\n");
        Assert.Equal(1, badPartition.ExitCode);
        Assert.Contains("has 2 partitions; there is no partition 5", Assert.Single(badPartition.ErrorLines), StringComparison.Ordinal);

        CliResult unknown = await CliRunner.RunAsync("consume", "-b", B, "-t", UniqueNames.Topic(), "-e");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", Assert.Single(unknown.ErrorLines), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_open_ended_consumer_stops_cleanly_when_interrupted()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 1);
        await CliRunner.RunAsync(["produce", "-b", B, "-t", topic], "only\n");
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        CliResult result = await CliRunner.RunAsync(["consume", "-b", B, "-t", topic], "", interrupt.Token);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["only"], result.OutLines);
    }

    /// <summary>The compression codec (attribute bits) of the first record batch of partition 0, fetched raw from its leader.</summary>
    private async Task<int> FirstBatchCompressionAsync(string topic)
    {
        await using var admin = new AdminClient(new AdminConfig { BootstrapServers = B });
        TopicDescription description = (await admin.DescribeTopicsAsync([topic]))[0];
        ClusterDescription cluster = await admin.DescribeClusterAsync();
        Node leader = cluster.Brokers.Single(b => b.Id == description.Partitions[0].Leader);
        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync($"{leader.Host}:{leader.Port}");
        var fetch = new FetchRequest { ReplicaId = -1, MaxWaitMs = 100, MinBytes = 1, MaxBytes = 1 << 20 };
        fetch.Topics.Add(new FetchRequest.FetchTopic { Topic = topic, Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }] });
        FetchResponse response = await wire.SendAsync<FetchRequest, FetchResponse>(fetch, 4);
        ReadOnlyMemory<byte> records = response.Responses[0].Partitions[0].Records ?? throw new InvalidOperationException("no records");
        return records.Span[22] & 0x7; // baseOffset 8, length 4, epoch 4, magic 1, crc 4: attributes (int16) at 21..22
    }
}
