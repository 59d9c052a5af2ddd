using System.Text;
using System.Text.RegularExpressions;
using Samsa.Cluster;

namespace Samsa.Groups;

/// <summary>
/// A subscription: exact topic names and regular expressions (a name that starts with '^', librdkafka's
/// convention). Expressions match anywhere in a name unless anchored, as librdkafka's do; they run on .NET's
/// non-backtracking engine where they can (linear time, and close to the RE2/J syntax KIP-848 brokers use), and
/// always with a match timeout, so that no expression can hang the client.
/// </summary>
internal sealed class TopicSubscription
{
    /// <summary>The longest one match may take before the topic is taken as not matching.</summary>
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex[] _regexes;

    private TopicSubscription(string[] names, string[] patterns, Regex[] regexes)
    {
        Names = names;
        Patterns = patterns;
        _regexes = regexes;
    }

    public static TopicSubscription Empty { get; } = new([], [], []);

    /// <summary>The exact names, sorted and distinct.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The expressions as given (with their '^'), in the order given, distinct.</summary>
    public IReadOnlyList<string> Patterns { get; }

    public bool HasPatterns => Patterns.Count > 0;

    public bool IsEmpty => Names.Count == 0 && Patterns.Count == 0;

    /// <summary>
    /// The expressions combined into one, as librdkafka sends SubscribedTopicRegex: "(^a)|(^b)"; empty when there
    /// is none (the KIP-848 "no regex" value).
    /// </summary>
    public string CombinedPattern
    {
        get
        {
            if (Patterns.Count == 0)
            {
                return string.Empty;
            }

            var sb = new StringBuilder();
            for (int i = 0; i < Patterns.Count; i++)
            {
                sb.Append(i == 0 ? "(" : ")|(").Append(Patterns[i]);
            }

            return sb.Append(')').ToString();
        }
    }

    /// <summary>Parses a subscription.</summary>
    /// <exception cref="ArgumentException">A name is empty, or an expression does not compile (the message names it).</exception>
    public static TopicSubscription Parse(IReadOnlyList<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var patterns = new List<string>();
        var regexes = new List<Regex>();
        foreach (string topic in topics)
        {
            if (string.IsNullOrWhiteSpace(topic))
            {
                throw new ArgumentException("A subscribed topic name is empty.", nameof(topics));
            }

            if (topic[0] != '^')
            {
                names.Add(topic);
            }
            else if (!patterns.Contains(topic))
            {
                patterns.Add(topic);
                regexes.Add(Compile(topic));
            }
        }

        return new TopicSubscription([.. names], [.. patterns], [.. regexes]);
    }

    /// <summary>True when <paramref name="topic"/> is one of the names or matches an expression.</summary>
    public bool Matches(string topic)
    {
        if (BinarySearch(topic))
        {
            return true;
        }

        foreach (Regex regex in _regexes)
        {
            try
            {
                if (regex.IsMatch(topic))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // Too slow to decide: the topic does not match (the caller logs nothing per topic; see Resolve).
            }
        }

        return false;
    }

    /// <summary>
    /// The topics this subscription takes in <paramref name="metadata"/>: every exact name (whether or not it
    /// exists yet, as the Java client lists them) and every existing non-internal topic an expression matches.
    /// </summary>
    public SortedSet<string> Resolve(ClusterMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var result = new SortedSet<string>(Names, StringComparer.Ordinal);
        if (_regexes.Length > 0)
        {
            foreach (TopicInfo topic in metadata.Topics.Values)
            {
                if (!topic.IsInternal && topic.Error == ErrorCode.None && Matches(topic.Name))
                {
                    result.Add(topic.Name);
                }
            }
        }

        return result;
    }

    private bool BinarySearch(string topic)
    {
        var names = (string[])Names;
        return Array.BinarySearch(names, topic, StringComparer.Ordinal) >= 0;
    }

    private static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
        }
        catch (NotSupportedException)
        {
            // Back-references and look-arounds need the backtracking engine; the timeout bounds it.
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The subscribed topic pattern '{pattern}' is not a valid regular expression: {ex.Message}", nameof(pattern), ex);
        }

        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The subscribed topic pattern '{pattern}' is not a valid regular expression: {ex.Message}", nameof(pattern), ex);
        }
    }
}
