using System.Globalization;

namespace Samsa.ProtocolGenerator.Spec;

/// <summary>A version range of the specification format: "3+", "0-7", "5", "none".</summary>
internal readonly record struct VersionRange(short Low, short High)
{
    public static readonly VersionRange None = new(1, 0);
    public static readonly VersionRange All = new(0, short.MaxValue);

    public bool IsEmpty => Low > High;

    public bool IsOpenEnded => High == short.MaxValue;

    public static VersionRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
        {
            return None;
        }

        text = text.Trim();
        if (text.EndsWith('+'))
        {
            return new(short.Parse(text[..^1], CultureInfo.InvariantCulture), short.MaxValue);
        }

        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            return new(short.Parse(text[..dash], CultureInfo.InvariantCulture), short.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture));
        }

        short v = short.Parse(text, CultureInfo.InvariantCulture);
        return new(v, v);
    }

    public VersionRange Intersect(VersionRange other)
    {
        var r = new VersionRange(Math.Max(Low, other.Low), Math.Min(High, other.High));
        return r.IsEmpty ? None : r;
    }

    public bool Contains(VersionRange other) => other.IsEmpty || (Low <= other.Low && High >= other.High);

    public bool Contains(short v) => v >= Low && v <= High;

    /// <summary>A C# condition on <c>version</c> that is true inside this range, given that version lies in <paramref name="context"/>.</summary>
    public string Condition(VersionRange context)
    {
        VersionRange r = Intersect(context);
        if (r.IsEmpty)
        {
            return "false";
        }

        bool needLow = r.Low > context.Low;
        bool needHigh = r.High < context.High;
        if (!needLow && !needHigh)
        {
            return "true";
        }

        if (needLow && needHigh)
        {
            return r.Low == r.High ? $"version == {r.Low}" : $"version >= {r.Low} && version <= {r.High}";
        }

        return needLow ? $"version >= {r.Low}" : $"version <= {r.High}";
    }

    public override string ToString() =>
        IsEmpty ? "none" : IsOpenEnded ? $"{Low}+" : Low == High ? $"{Low}" : $"{Low}-{High}";
}
