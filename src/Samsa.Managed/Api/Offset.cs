using System.Globalization;

namespace Samsa;

/// <summary>
/// A partition offset, with Kafka's (and librdkafka's) special values: <see cref="Beginning"/> (-2),
/// <see cref="End"/> (-1), <see cref="Stored"/> (-1000, the committed offset) and <see cref="Unset"/> (-1001).
/// </summary>
public readonly record struct Offset(long Value) : IComparable<Offset>
{
    public static readonly Offset Beginning = new(-2);
    public static readonly Offset End = new(-1);
    public static readonly Offset Stored = new(-1000);
    public static readonly Offset Unset = new(-1001);

    /// <summary>True for a real position (not one of the special values).</summary>
    public bool IsSpecial => Value < 0;

    public static implicit operator Offset(long value) => new(value);

    public static implicit operator long(Offset offset) => offset.Value;

    public int CompareTo(Offset other) => Value.CompareTo(other.Value);

    public static bool operator <(Offset a, Offset b) => a.Value < b.Value;

    public static bool operator >(Offset a, Offset b) => a.Value > b.Value;

    public static bool operator <=(Offset a, Offset b) => a.Value <= b.Value;

    public static bool operator >=(Offset a, Offset b) => a.Value >= b.Value;

    public override string ToString() => Value switch
    {
        -2 => "Beginning",
        -1 => "End",
        -1000 => "Stored",
        -1001 => "Unset",
        _ => Value.ToString(CultureInfo.InvariantCulture),
    };
}
