namespace Samsa;

/// <summary>
/// How one property's value is read from its string form, written back to it, and checked. The string form is
/// what librdkafka and the Java client take; the typed form is what the config records hold.
/// </summary>
internal abstract class ConfigValue<T>
{
    /// <summary>What the property accepts, phrased to follow "expected", e.g. "an integer in 0..900000".</summary>
    public abstract string Allowed { get; }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="reason"/> says why (null: see <see cref="Allowed"/>).</summary>
    public abstract bool TryParse(string text, out T value, out string? reason);

    /// <summary>The string form of a value, or null when the value means "not set".</summary>
    public abstract string? Format(T value);

    /// <summary>
    /// Checks a typed value, which may have been set without parsing (an init property); returns why it is not
    /// acceptable, or null.
    /// </summary>
    public abstract string? Check(T value);
}
