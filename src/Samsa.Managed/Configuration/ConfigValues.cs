using System.Globalization;

namespace Samsa;

/// <summary>The value kinds config properties are made of.</summary>
internal static class ConfigValues
{
    public static readonly ConfigValue<bool> Bool = new BoolValue();

    public static ConfigValue<int> Int(int min, int max) => new IntValue(min, max);

    /// <summary>A duration given in milliseconds; <paramref name="fractional"/> accepts "0.5" as librdkafka's linger.ms does.</summary>
    public static ConfigValue<TimeSpan> Milliseconds(int min, int max, bool fractional = false) =>
        new MillisecondsValue(min, max, fractional);

    /// <summary>Free text; an empty string means "not set" (null).</summary>
    public static ConfigValue<string?> OptionalText(Func<string, string?>? check = null, string allowed = "any text") =>
        new TextValue(optional: true, check, allowed);

    /// <summary>Free text that is always set (it may be empty).</summary>
    public static readonly ConfigValue<string?> Text = new TextValue(optional: false, null, "any text");

    /// <summary>An enum value that may also be unset: an empty string means null.</summary>
    public static ConfigValue<T?> Optional<T>(ConfigValue<T> inner)
        where T : struct => new OptionalValue<T>(inner);

    private static readonly NumberStyles Integer =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    private sealed class BoolValue : ConfigValue<bool>
    {
        public override string Allowed => "true or false (also 1 or 0)";

        public override bool TryParse(string text, out bool value, out string? reason)
        {
            reason = null;
            string t = text.Trim();
            if (t == "1" || t.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                value = true;
                return true;
            }

            value = false;
            return t == "0" || t.Equals("false", StringComparison.OrdinalIgnoreCase);
        }

        public override string Format(bool value) => value ? "true" : "false";

        public override string? Check(bool value) => null;
    }

    private sealed class IntValue(int min, int max) : ConfigValue<int>
    {
        public override string Allowed => $"an integer in {Range(min, max)}";

        public override bool TryParse(string text, out int value, out string? reason)
        {
            reason = null;
            return int.TryParse(text, Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
        }

        public override string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

        public override string? Check(int value) => value >= min && value <= max ? null : $"expected {Allowed}";
    }

    private sealed class MillisecondsValue(int min, int max, bool fractional) : ConfigValue<TimeSpan>
    {
        public override string Allowed => $"{(fractional ? "a number" : "an integer")} of milliseconds in {Range(min, max)}";

        public override bool TryParse(string text, out TimeSpan value, out string? reason)
        {
            reason = null;
            value = default;
            double ms;
            if (fractional)
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out ms) || !double.IsFinite(ms))
                {
                    return false;
                }
            }
            else if (int.TryParse(text, Integer, CultureInfo.InvariantCulture, out int whole))
            {
                ms = whole;
            }
            else
            {
                return false;
            }

            if (ms < min || ms > max)
            {
                return false;
            }

            value = TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));
            return true;
        }

        public override string Format(TimeSpan value)
        {
            if (value.Ticks % TimeSpan.TicksPerMillisecond == 0)
            {
                return (value.Ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture);
            }

            return value.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture);
        }

        public override string? Check(TimeSpan value)
        {
            if (value < TimeSpan.FromMilliseconds(min) || value > TimeSpan.FromMilliseconds(max))
            {
                return $"expected {Allowed}";
            }

            if (!fractional && value.Ticks % TimeSpan.TicksPerMillisecond != 0)
            {
                return $"expected a whole number of milliseconds in {Range(min, max)}";
            }

            return null;
        }
    }

    private sealed class TextValue(bool optional, Func<string, string?>? check, string allowed) : ConfigValue<string?>
    {
        public override string Allowed => allowed;

        public override bool TryParse(string text, out string? value, out string? reason)
        {
            value = optional && text.Length == 0 ? null : text;
            reason = value is null || check is null ? null : check(value);
            return reason is null;
        }

        public override string? Format(string? value) => value;

        public override string? Check(string? value)
        {
            if (value is null)
            {
                return optional ? null : "a value is required";
            }

            return check?.Invoke(value);
        }
    }

    private sealed class OptionalValue<T>(ConfigValue<T> inner) : ConfigValue<T?>
        where T : struct
    {
        public override string Allowed => $"{inner.Allowed}, or empty for none";

        public override bool TryParse(string text, out T? value, out string? reason)
        {
            value = null;
            reason = null;
            if (text.Trim().Length == 0)
            {
                return true;
            }

            if (!inner.TryParse(text, out T v, out reason))
            {
                return false;
            }

            value = v;
            return true;
        }

        public override string? Format(T? value) => value is { } v ? inner.Format(v) : null;

        public override string? Check(T? value) => value is { } v ? inner.Check(v) : null;
    }

    private static string Range(int min, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"{min}..{max}");
}
