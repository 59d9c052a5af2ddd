namespace Samsa.Network;

/// <summary>An inclusive range of versions of one API.</summary>
internal readonly record struct ApiVersionRange(short Min, short Max)
{
    public static readonly ApiVersionRange Unsupported = new(-1, -1);

    public bool IsSupported => Max >= 0 && Min <= Max;

    /// <summary>The highest version in both ranges, or -1 when they do not meet.</summary>
    public short HighestCommon(ApiVersionRange other)
    {
        short max = Math.Min(Max, other.Max);
        short min = Math.Max(Min, other.Min);
        return max >= min && max >= 0 ? max : (short)-1;
    }

    public override string ToString() => IsSupported ? $"{Min}-{Max}" : "unsupported";
}
