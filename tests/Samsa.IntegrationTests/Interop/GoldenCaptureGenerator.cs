using Samsa.Protocol;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Interop;

/// <summary>
/// Writes the golden captures under tests/Samsa.Tests/Golden/Data: librdkafka's clients (Confluent.Kafka with
/// librdkafka 2.16.0, kcat with librdkafka 2.0.2) talk to a fresh mock cluster through a
/// <see cref="RecordingProxy"/>, and every request and response frame is saved. Not run by CI (it skips); a
/// developer regenerates with:
/// <code>
/// SAMSA_REGENERATE_GOLDEN=1 dotnet test tests/Samsa.IntegrationTests --filter "FullyQualifiedName~GoldenCaptureGenerator"
/// </code>
/// and reviews the diff: captures change when librdkafka or the mock change, not when Samsa does.
/// </summary>
public sealed class GoldenCaptureGenerator
{
    /// <summary>Set to 1 to regenerate the captures.</summary>
    public const string Variable = "SAMSA_REGENERATE_GOLDEN";

    /// <summary>Distinct frames kept per direction, API and version (repeated polls and heartbeats add nothing).</summary>
    private const int MaxFramesPerKind = 4;

    private static void SkipUnlessAsked() =>
        Skip.IfNot(Environment.GetEnvironmentVariable(Variable) == "1", $"Regenerates the golden captures; set {Variable}=1 to run.");

    [SkippableFact]
    public async Task Regenerate_confluent_captures()
    {
        SkipUnlessAsked();
        Librdkafka.LoadForConfluentKafka();
        foreach (string codec in GoldenScenarios.Codecs)
        {
            string topic = "golden-" + codec;
            await CaptureAsync($"confluent-produce-{codec}", [$"Confluent.Kafka producer: acks=all, idempotent, compression {codec}, the six GoldenMessages.Rich to {topic}[0]."],
                c => c.CreateTopicAsync(topic, 1),
                (bootstrap, _) => GoldenScenarios.ConfluentProduceAsync(bootstrap, topic, codec));
        }

        await CaptureAsync("confluent-consume-assign", ["Confluent.Kafka consumer with Assign(golden-consume[0], Beginning) reading to EOF: GoldenMessages.Rich uncompressed, then again zstd-compressed."],
            async c =>
            {
                await c.CreateTopicAsync("golden-consume", 1);
                await GoldenScenarios.ConfluentProduceAsync(c.BootstrapServers, "golden-consume", "none");
                await GoldenScenarios.ConfluentProduceAsync(c.BootstrapServers, "golden-consume", "zstd");
            },
            (bootstrap, _) => GoldenScenarios.ConfluentAssignConsumeAsync(bootstrap, "golden-consume", 12));

        await CaptureAsync("confluent-group-consumer", ["Confluent.Kafka classic group consumer (golden-group): subscribe, read, commit, heartbeat, close (leave)."],
            async c =>
            {
                await c.CreateTopicAsync("golden-group", 2);
                await c.SetRebalanceDelayAsync(0);
                await GoldenScenarios.ConfluentProduceAsync(c.BootstrapServers, "golden-group", "none");
            },
            (bootstrap, _) => GoldenScenarios.ConfluentGroupConsumeAsync(bootstrap, "golden-group", "golden-group", 6, kip848: false));

        await CaptureAsync("confluent-metadata-watermarks", ["Confluent.Kafka admin GetMetadata (all topics, one topic) and consumer QueryWatermarkOffsets (ListOffsets)."],
            async c =>
            {
                await c.CreateTopicAsync("golden-meta", 3);
                await GoldenScenarios.ConfluentProduceAsync(c.BootstrapServers, "golden-meta", "none");
            },
            (bootstrap, _) => GoldenScenarios.ConfluentMetadataAndWatermarksAsync(bootstrap, "golden-meta"));

        await CaptureAsync("confluent-kip848-consumer", ["Confluent.Kafka consumer with group.protocol=consumer (KIP-848, ConsumerGroupHeartbeat)."],
            async c =>
            {
                await c.CreateTopicAsync("golden-kip848", 2);
                await GoldenScenarios.ConfluentProduceAsync(c.BootstrapServers, "golden-kip848", "none");
            },
            (bootstrap, _) => GoldenScenarios.ConfluentGroupConsumeAsync(bootstrap, "golden-kip848", "golden-kip848", 6, kip848: true));
    }

    [SkippableFact]
    public async Task Regenerate_kcat_captures()
    {
        SkipUnlessAsked();
        foreach (string codec in GoldenScenarios.Codecs)
        {
            string topic = "golden-kcat-" + codec;
            await CaptureAsync($"kcat-produce-{codec}", [$"kcat -P (librdkafka 2.0.2): acks=all, idempotent, -z {codec}, GoldenMessages.KcatLines with KcatHeaders to {topic}[0]."],
                c => c.CreateTopicAsync(topic, 1),
                (bootstrap, _) => GoldenScenarios.KcatProduceAsync(bootstrap, topic, codec));
        }

        await CaptureAsync("kcat-metadata", ["kcat -L (all topics) and kcat -L -t golden-kcat-meta."],
            c => c.CreateTopicAsync("golden-kcat-meta", 2),
            async (bootstrap, _) =>
            {
                await Kcat.RunCheckedAsync(["-L", "-b", bootstrap]);
                await Kcat.RunCheckedAsync(["-L", "-b", bootstrap, "-t", "golden-kcat-meta"]);
            });

        await CaptureAsync("kcat-consume", ["kcat -C -o beginning -e on golden-kcat-consume[0]: four kcat-produced messages, gzip."],
            async c =>
            {
                await c.CreateTopicAsync("golden-kcat-consume", 1);
                await GoldenScenarios.KcatProduceAsync(c.BootstrapServers, "golden-kcat-consume", "gzip");
            },
            (bootstrap, _) => Kcat.RunCheckedAsync(["-C", "-b", bootstrap, "-t", "golden-kcat-consume", "-p", "0", "-o", "beginning", "-e", "-q"], timeout: TimeSpan.FromSeconds(30)));

        await CaptureAsync("kcat-group-consumer", ["kcat -G golden-kcat-group (balanced consumer, librdkafka 2.0.2) reading to the end, then leaving."],
            async c =>
            {
                await c.CreateTopicAsync("golden-kcat-group", 1);
                await c.SetRebalanceDelayAsync(0);
                await GoldenScenarios.KcatProduceAsync(c.BootstrapServers, "golden-kcat-group", "none");
            },
            (bootstrap, _) => Kcat.RunCheckedAsync(
                ["-b", bootstrap, "-G", "golden-kcat-group", "-X", "auto.offset.reset=earliest", "-X", "heartbeat.interval.ms=300", "-e", "-q", "golden-kcat-group"],
                timeout: TimeSpan.FromSeconds(60)));
    }

    private static async Task CaptureAsync(string name, IReadOnlyList<string> description,
        Func<TestCluster, Task> setUp, Func<string, TestCluster, Task> scenario)
    {
        IReadOnlyList<CapturedFrame> frames;
        await using (TestCluster cluster = await TestCluster.StartAsync(3))
        {
            // The mock offers Metadata v13, beyond the specification Samsa is generated from (0-12, which is
            // also what Samsa's client uses): cap it so that every captured frame is in our range.
            await cluster.SetApiVersionAsync(ApiKey.Metadata, 0, 12);
            await setUp(cluster);
            await using RecordingProxy proxy = await RecordingProxy.AttachAsync(cluster);
            await scenario(proxy.BootstrapServers, cluster);
            await Task.Delay(200); // let the last responses through the proxy
            frames = proxy.Frames;
        }

        IReadOnlyList<CapturedFrame> kept = Trim(frames);
        string path = Path.Combine(GoldenData.RepositoryRoot, GoldenData.SourceFolder, name + ".capture");
        CaptureFile.Write(path,
        [
            $"Golden capture '{name}': frames between librdkafka and librdkafka's mock cluster (3 brokers), recorded by RecordingProxy.",
            .. description,
            "The mock's Metadata versions were capped at 0-12 (it offers 13, which our specification lacks).",
            "Format: REQ|RES API_KEY VERSION CORRELATION_ID BROKER_ID CONNECTION HEX (frame without its size prefix); see README.md.",
            $"Kept {kept.Count} of {frames.Count} frames: at most {MaxFramesPerKind} distinct frames per direction, API and version.",
            "Regenerate: " + Variable + "=1 dotnet test tests/Samsa.IntegrationTests --filter \"FullyQualifiedName~GoldenCaptureGenerator\"",
        ], kept);
    }

    /// <summary>
    /// Keeps the first <see cref="MaxFramesPerKind"/> frames of each direction, API and version that differ
    /// in more than their correlation id, so that long polls and heartbeats do not bloat the data.
    /// </summary>
    private static List<CapturedFrame> Trim(IReadOnlyList<CapturedFrame> frames)
    {
        var kept = new List<CapturedFrame>();
        var seen = new Dictionary<(FrameDirection, ApiKey, short), List<byte[]>>();
        foreach (CapturedFrame f in frames)
        {
            int cidOffset = f.Direction == FrameDirection.Request ? 4 : 0;
            byte[] withoutCid = [.. f.Frame.AsSpan(0, cidOffset), .. f.Frame.AsSpan(cidOffset + 4)];
            if (!seen.TryGetValue((f.Direction, f.ApiKey, f.Version), out List<byte[]>? list))
            {
                list = [];
                seen[(f.Direction, f.ApiKey, f.Version)] = list;
            }

            if (list.Count >= MaxFramesPerKind || list.Exists(b => b.AsSpan().SequenceEqual(withoutCid)))
            {
                continue;
            }

            list.Add(withoutCid);
            kept.Add(f);
        }

        return kept;
    }
}
