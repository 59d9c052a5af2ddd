using Samsa.TestSupport;

namespace Samsa.Cli.Tests;

/// <summary>samsa metadata, topics and groups against the test cluster (which lacks most admin APIs).</summary>
[Collection(CliClusterCollection.Name)]
public sealed class AdminCommandTests(ClusterFixture fixture)
{
    private string B => fixture.BootstrapServers;

    [SkippableFact]
    public async Task Metadata_lists_brokers_topics_and_partitions()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 3, replicationFactor: 2);
        CliResult all = await CliRunner.RunAsync("metadata", "-b", B);
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains($" {fixture.Cluster.BrokerCount} brokers:", all.Out, StringComparison.Ordinal);
        Assert.Contains($"  topic \"{topic}\" with 3 partitions:", all.Out, StringComparison.Ordinal);

        CliResult one = await CliRunner.RunAsync("metadata", "-b", B, "-t", topic);
        Assert.Equal(0, one.ExitCode);
        string[] partitions = [.. one.OutLines.Where(l => l.StartsWith("    partition ", StringComparison.Ordinal))];
        Assert.Equal(3, partitions.Length);
        Assert.All(partitions, p => Assert.Matches(@"^    partition \d, leader \d, replicas: \d,\d, isrs: \d,\d$", p));

        CliResult kcatStyle = await CliRunner.RunAsync("-L", "-b", B, "-t", topic);
        Assert.Equal(one.Out, kcatStyle.Out);

        CliResult missing = await CliRunner.RunAsync("metadata", "-b", B, "-t", "no-such-" + topic);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error: UNKNOWN_TOPIC_OR_PARTITION", missing.Out, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Topics_list_and_describe_work_and_unsupported_admin_apis_fail_with_one_line_each()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 2);
        CliResult list = await CliRunner.RunAsync("topics", "list", "-b", B);
        Assert.Contains(topic, list.OutLines);
        CliResult describe = await CliRunner.RunAsync("topics", "describe", "-b", B, topic);
        Assert.Equal(0, describe.ExitCode);
        Assert.StartsWith($"topic \"{topic}\" id ", describe.OutLines[0], StringComparison.Ordinal);
        Assert.Equal(3, describe.OutLines.Length);

        // The test cluster has no CreateTopics, DeleteTopics, ListGroups or DescribeGroups.
        CliResult create = await CliRunner.RunAsync("topics", "create", "-b", B, "new-" + topic, "-P", "3");
        Assert.Equal(1, create.ExitCode);
        Assert.Contains("does not support CreateTopics", Assert.Single(create.ErrorLines), StringComparison.Ordinal);
        CliResult groups = await CliRunner.RunAsync("groups", "list", "-b", B);
        Assert.Equal(1, groups.ExitCode);
        Assert.All(groups.ErrorLines, l => Assert.Contains("does not support ListGroups", l, StringComparison.Ordinal));
        CliResult describeGroup = await CliRunner.RunAsync("groups", "describe", "-b", B, "g");
        Assert.Equal(1, describeGroup.ExitCode);
        Assert.Contains("does not support DescribeGroups", Assert.Single(describeGroup.ErrorLines), StringComparison.Ordinal);
    }
}
