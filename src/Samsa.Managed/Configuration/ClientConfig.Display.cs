using System.Text;

namespace Samsa;

/// <summary>The string forms of a configuration; secrets are always "[redacted]".</summary>
public abstract partial record ClientConfig
{
    /// <summary>
    /// Every property that is set, by its canonical name, in its string form (the form <c>FromProperties</c>
    /// takes); secrets are "[redacted]".
    /// </summary>
    public IReadOnlyDictionary<string, string> ToProperties()
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ConfigProperty property in ConfigRegistry.All)
        {
            if (property.AppliesTo(Kind) && property.Display(this) is { } text)
            {
                properties[property.Name] = text;
            }
        }

        return properties;
    }

    /// <summary>The record's type and the properties that differ from their defaults, secrets "[redacted]".</summary>
    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(KindTypeName()).Append(" { ");
        if (PrintMembers(builder))
        {
            builder.Append(' ');
        }

        return builder.Append('}').ToString();
    }

    /// <summary>Writes "name = value" for each property that differs from its default; never a secret.</summary>
    protected virtual bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ClientConfig defaults = Defaults;
        bool any = false;
        foreach (ConfigProperty property in ConfigRegistry.All)
        {
            if (!property.AppliesTo(Kind) || property.Display(this) is not { } text)
            {
                continue;
            }

            // Compare raw forms so that changing a secret still shows (as "[redacted]").
            if (property.FormatRaw(this) == property.FormatRaw(defaults))
            {
                continue;
            }

            if (any)
            {
                builder.Append(", ");
            }

            builder.Append(property.Name).Append(" = ").Append(text);
            any = true;
        }

        return any;
    }

    private string KindTypeName() => Kind switch
    {
        ClientKind.Producer => nameof(ProducerConfig),
        ClientKind.Consumer => nameof(ConsumerConfig),
        _ => nameof(AdminConfig),
    };
}
