namespace Samsa.Cli.Tests;

/// <summary>Command-line mistakes: exit code 2 and exactly one clear line on stderr; nothing runs.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new[] { "produce", "-b", "localhost:9092", "-t", "t", "-q" }, "unknown option '-q'")]
    [InlineData(new[] { "produce", "-b", "localhost:9092", "-t", "t", "--nope" }, "unknown option '--nope'")]
    [InlineData(new[] { "produce", "-b", "localhost:9092" }, "needs -t TOPIC")]
    [InlineData(new[] { "produce", "-t", "t" }, "needs -b BROKERS")]
    [InlineData(new[] { "produce", "-b", "localhost:9092", "-t" }, "needs a value")]
    [InlineData(new[] { "produce", "-b", "localhost:9092", "-t", "t", "-p", "x" }, "-p takes a whole number")]
    [InlineData(new[] { "produce", "-b", "localhost:9092", "-t", "t", "-k", "a", "-K", ":" }, "-k and -K cannot be used together")]
    [InlineData(new[] { "produce", "-b", "localhost:9092", "-t", "t", "-H", "novalue" }, "-H takes NAME=VALUE")]
    [InlineData(new[] { "produce", "-b", "localhost:9092", "-t", "t", "-z", "brotli" }, "compression.type")]
    [InlineData(new[] { "consume", "-b", "localhost:9092", "-t", "t", "-f", "%q" }, "unknown token '%q'")]
    [InlineData(new[] { "consume", "-b", "localhost:9092", "-t", "t", "-o", "sometime" }, "-o takes beginning, end")]
    [InlineData(new[] { "consume", "-b", "localhost:9092", "-G", "g", "-t", "t", "-p", "1" }, "-p cannot be used with -G")]
    [InlineData(new[] { "consume", "-b", "localhost:9092", "-t", "t", "-c", "0" }, "-c takes a whole number >= 1")]
    [InlineData(new[] { "topics", "-b", "localhost:9092" }, "needs a subcommand")]
    [InlineData(new[] { "topics", "shrink", "-b", "localhost:9092" }, "unknown subcommand 'shrink'")]
    [InlineData(new[] { "topics", "delete", "-b", "localhost:9092", "t", "--partitions", "3" }, "'--partitions' does not apply to 'delete'")]
    [InlineData(new[] { "topics", "create", "-b", "localhost:9092" }, "needs at least one topic")]
    [InlineData(new[] { "groups", "describe", "-b", "localhost:9092" }, "needs at least one group")]
    [InlineData(new[] { "mock", "--brokers", "0" }, "--brokers takes a whole number from 1 to 64")]
    [InlineData(new[] { "mock", "--topic", "t" }, "NAME:PARTITIONS")]
    [InlineData(new[] { "demo", "--size", "4" }, "--size takes a whole number from 16")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    public async Task Bad_command_lines_exit_2_with_one_line(string[] args, string expected)
    {
        CliResult result = await CliRunner.RunAsync(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.StartsWith("samsa", line, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task An_unknown_property_is_named_with_a_suggestion()
    {
        CliResult result = await CliRunner.RunAsync("produce", "-b", "localhost:9092", "-t", "t", "-X", "linger.msx=5");
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("Unknown configuration property 'linger.msx'", line, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'linger.ms'", line, StringComparison.Ordinal);

        CliResult badValue = await CliRunner.RunAsync("metadata", "-b", "localhost:9092", "-X", "request.timeout.ms=soon");
        Assert.Equal(2, badValue.ExitCode);
        Assert.Contains("request.timeout.ms", Assert.Single(badValue.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_properties_file_is_read_with_comments_and_its_mistakes_named_by_line()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# a comment", "", "client.id = from-file", "bogus.property=1"]);
            CliResult result = await CliRunner.RunAsync("metadata", "-b", "localhost:9092", "-F", file);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("'bogus.property'", Assert.Single(result.ErrorLines), StringComparison.Ordinal);

            File.WriteAllLines(file, ["client.id=x", "this line has no equals sign"]);
            CliResult malformed = await CliRunner.RunAsync("metadata", "-b", "localhost:9092", "-F", file);
            Assert.Equal(2, malformed.ExitCode);
            Assert.Contains(":2: expected NAME=VALUE", Assert.Single(malformed.ErrorLines), StringComparison.Ordinal);

            CliResult missing = await CliRunner.RunAsync("metadata", "-b", "localhost:9092", "-F", file + ".absent");
            Assert.Equal(2, missing.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Help_lists_the_commands_and_each_commands_options()
    {
        CliResult help = await CliRunner.RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (string command in (string[])["produce", "consume", "metadata", "topics", "groups", "mock", "demo"])
        {
            Assert.Contains("  " + command, help.Out, StringComparison.Ordinal);
        }

        Assert.Contains("2 usage or configuration error", help.Out, StringComparison.Ordinal);
        CliResult produce = await CliRunner.RunAsync("produce", "--help");
        Assert.Equal(0, produce.ExitCode);
        Assert.Contains("-K, --key-delimiter DELIM", produce.Out, StringComparison.Ordinal);
    }
}
