using System.Diagnostics;
using Samsa.Groups;

namespace Samsa.Tests.Groups;

public sealed class TopicSubscriptionTests
{
    [Fact]
    public void Names_and_patterns_are_told_apart_and_matched_like_librdkafka()
    {
        TopicSubscription s = TopicSubscription.Parse(["b", "^logs-.*", "a", "b", "^x$"]);
        Assert.Equal(["a", "b"], s.Names);
        Assert.Equal(["^logs-.*", "^x$"], s.Patterns);
        Assert.Equal("(^logs-.*)|(^x$)", s.CombinedPattern);
        Assert.True(s.Matches("a"));
        Assert.True(s.Matches("logs-1"));
        Assert.True(s.Matches("x"));
        Assert.False(s.Matches("my-logs-1"));
        Assert.False(s.Matches("xx"));
        Assert.Equal("", TopicSubscription.Parse(["only"]).CombinedPattern);
    }

    [Fact]
    public void An_invalid_pattern_or_an_empty_name_is_refused_naming_it()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => TopicSubscription.Parse(["^orders-[", "ok"]));
        Assert.Contains("^orders-[", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TopicSubscription.Parse(["ok", " "]));
    }

    [Fact]
    public void A_pathological_pattern_cannot_hang_matching()
    {
        string evil = new string('a', 40_000) + "!";

        // Catastrophic for a backtracking engine; linear on the non-backtracking one.
        TopicSubscription nested = TopicSubscription.Parse(["^(a+)+$"]);
        var watch = Stopwatch.StartNew();
        Assert.False(nested.Matches(evil));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");

        // A back-reference needs the backtracking engine: the match timeout bounds it.
        TopicSubscription backReference = TopicSubscription.Parse([@"^(a|aa)+\1(a+)+$"]);
        watch.Restart();
        Assert.False(backReference.Matches(evil));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
