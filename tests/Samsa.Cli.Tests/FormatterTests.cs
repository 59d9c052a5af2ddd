using System.Buffers;
using System.Text;
using Samsa.Cli.Args;
using Samsa.Cli.Output;

namespace Samsa.Cli.Tests;

/// <summary>The pieces of the CLI that need no cluster: argument parsing, escapes, the latency histogram.</summary>
public sealed class FormatterTests
{
    [Fact]
    public void Getopt_style_values_are_accepted_in_every_spelling()
    {
        OptionSpec b = CommonOptions.Brokers;
        var x = CommonOptions.Property;
        ParsedArgs parsed = ArgParser.Parse("samsa test", ["-bhost:1", "-X", "a=1", "--property=b=2", "--", "-positional"], [b, x]);
        Assert.Equal("host:1", parsed.Get(b.Name));
        Assert.Equal(["a=1", "b=2"], parsed.All(x.Name));
        Assert.Equal(["-positional"], parsed.Positionals);
        Assert.Throws<UsageException>(() => ArgParser.Parse("samsa test", ["-b", "1", "-b", "2"], [b]));
    }

    [Theory]
    [InlineData("\\t", new byte[] { 9 })]
    [InlineData("::", new byte[] { 58, 58 })]
    [InlineData("\\x1f", new byte[] { 0x1f })]
    [InlineData("a\\\\b", new byte[] { 97, 92, 98 })]
    public void Delimiter_escapes(string text, byte[] expected) => Assert.Equal(expected, Escapes.Decode(text, "-K"));

    [Fact]
    public void Bad_escapes_are_usage_errors()
    {
        Assert.Throws<UsageException>(() => Escapes.Decode("\\q", "-D"));
        Assert.Throws<UsageException>(() => Escapes.Decode("\\x4", "-D"));
        Assert.Throws<UsageException>(() => MessageFormatter.Parse("%"));
    }

    [Fact]
    public void The_latency_histogram_reports_percentiles_within_its_precision()
    {
        var h = new Demo.LatencyHistogram();
        for (long i = 1; i <= 100_000; i++)
        {
            h.Record(i);
        }

        Assert.Equal(100_000, h.Count);
        Assert.Equal(100_000, h.Max);
        Assert.InRange(h.Percentile(50), 50_000, 50_000 * 1.005);
        Assert.InRange(h.Percentile(99), 99_000, 99_000 * 1.005);
        Assert.Equal(100_000, h.Percentile(100));
        Assert.Equal(500, new Demo.LatencyHistogram().Percentile(50) + 500);
    }

    [Fact]
    public async Task Delimited_reader_splits_records_across_reads_and_keeps_a_final_unterminated_one()
    {
        byte[] data = Encoding.UTF8.GetBytes(string.Join("||", Enumerable.Range(0, 50_000).Select(i => "record-" + i)));
        var reader = new Commands.DelimitedReader(new TrickleStream(data), "||"u8.ToArray());
        var records = new List<string>();
        while (await reader.NextAsync(CancellationToken.None) is { } r)
        {
            records.Add(Encoding.UTF8.GetString(r.Span));
        }

        Assert.Equal(50_000, records.Count);
        Assert.Equal("record-0", records[0]);
        Assert.Equal("record-49999", records[^1]);
    }

    /// <summary>A stream that hands out odd-sized pieces, so delimiters straddle reads.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        private int _n;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1 + (_n++ % 7) * 1000)], cancellationToken);
    }
}
