namespace Samsa;

/// <summary>
/// An enum property: a table of accepted spellings (case-insensitive; the first spelling of each value is the one
/// written back), plus spellings that are recognised but refused with a reason (a feature Samsa does not have).
/// </summary>
internal sealed class EnumValue<T> : ConfigValue<T>
    where T : struct, Enum
{
    private readonly (string Name, T Value)[] _names;
    private readonly (string Name, string Reason)[] _refused;

    public EnumValue((string Name, T Value)[] names, params (string Name, string Reason)[] refused)
    {
        _names = names;
        _refused = refused;

        // Java class names are accepted but would drown the short list in error messages.
        var shown = new List<string>();
        foreach ((string name, _) in names)
        {
            if (!name.Contains('.', StringComparison.Ordinal))
            {
                shown.Add(name);
            }
        }

        Allowed = $"one of {string.Join(", ", shown)}";
    }

    public override string Allowed { get; }

    public override bool TryParse(string text, out T value, out string? reason)
    {
        string t = text.Trim();
        foreach ((string name, T v) in _names)
        {
            if (name.Equals(t, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                reason = null;
                return true;
            }
        }

        value = default;
        reason = null;
        foreach ((string name, string why) in _refused)
        {
            if (name.Equals(t, StringComparison.OrdinalIgnoreCase))
            {
                reason = why;
                break;
            }
        }

        return false;
    }

    public override string Format(T value)
    {
        foreach ((string name, T v) in _names)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return name;
            }
        }

        return value.ToString();
    }

    public override string? Check(T value)
    {
        foreach ((_, T v) in _names)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return null;
            }
        }

        return $"expected {Allowed}";
    }
}
