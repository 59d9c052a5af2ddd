namespace Samsa;

/// <summary>Every known property by every accepted name (case-sensitive, as librdkafka), built once from the scope tables.</summary>
internal static class ConfigRegistry
{
    private static readonly ConfigProperty[] s_all = [.. CommonProperties.All, .. ProducerProperties.All, .. ConsumerProperties.All];
    private static readonly Dictionary<string, ConfigProperty> s_byName = Index(s_all);

    /// <summary>All properties: common first, then producer, then consumer, each in table order.</summary>
    public static IReadOnlyList<ConfigProperty> All => s_all;

    public static ConfigProperty? Find(string name) => s_byName.GetValueOrDefault(name);

    /// <summary>The property, or a <see cref="ConfigException"/> naming the closest known name.</summary>
    public static ConfigProperty Get(string name) => Find(name) ?? throw ConfigErrors.Unknown(name);

    /// <summary>
    /// The known name closest to <paramref name="name"/> when it is near enough to be a typo (edit distance ≤ 2,
    /// ignoring case), else null.
    /// </summary>
    public static string? Suggest(string name)
    {
        string wanted = name.ToLowerInvariant();
        string? best = null;
        int bestDistance = 3;
        foreach (string known in s_byName.Keys)
        {
            int d = Distance(wanted, known.ToLowerInvariant(), bestDistance);
            if (d < bestDistance)
            {
                best = known;
                bestDistance = d;
            }
        }

        return best;
    }

    private static Dictionary<string, ConfigProperty> Index(ConfigProperty[] all)
    {
        var byName = new Dictionary<string, ConfigProperty>(StringComparer.Ordinal);
        foreach (ConfigProperty p in all)
        {
            Add(byName, p.Name, p);
            foreach (string alias in p.Aliases)
            {
                Add(byName, alias, p);
            }
        }

        return byName;
    }

    private static void Add(Dictionary<string, ConfigProperty> byName, string name, ConfigProperty p)
    {
        if (!byName.TryAdd(name, p))
        {
            // A table mistake, caught by the first test that touches configuration.
            throw new InvalidOperationException($"Configuration property name '{name}' is defined twice.");
        }
    }

    /// <summary>Levenshtein distance, giving up (returning <paramref name="limit"/>) once it cannot be below it.</summary>
    private static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) >= limit)
        {
            return limit;
        }

        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin >= limit)
            {
                return limit;
            }

            Span<int> swap = previous;
            previous = current;
            current = swap;
        }

        return Math.Min(previous[b.Length], limit);
    }
}
