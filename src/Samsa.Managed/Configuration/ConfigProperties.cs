namespace Samsa;

/// <summary>
/// Questions about configuration property names and values that do not need a config record: what a name means,
/// which clients take it, whether a value is acceptable. For holders of string settings (the C ABI's conf object,
/// the Python bindings) before they know which client they will build. Names are case-sensitive, as in
/// librdkafka; every librdkafka and Java name of a property is accepted.
/// </summary>
public static class ConfigProperties
{
    /// <summary>True when <paramref name="name"/> is a property that a client of <paramref name="kind"/> uses.</summary>
    public static bool IsKnown(string name, ClientKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ConfigRegistry.Find(name) is { } property && property.AppliesTo(kind);
    }

    /// <summary>
    /// Which clients take the property <paramref name="name"/>, or null when no client knows it. A client given a
    /// property of another scope ignores it with a warning (<see cref="ClientConfig.Warnings"/>).
    /// </summary>
    public static ConfigScope? ScopeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ConfigRegistry.Find(name)?.Scope;
    }

    /// <summary>The canonical name of the property <paramref name="name"/> (itself or the name it is an alias of), or null when unknown.</summary>
    public static string? CanonicalName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ConfigRegistry.Find(name)?.Name;
    }

    /// <summary>True when the property's value is a secret that must never be shown (passwords, private keys).</summary>
    public static bool IsSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ConfigRegistry.Find(name)?.IsSecret ?? false;
    }

    /// <summary>A one-line description of the property and what it accepts, or null when unknown.</summary>
    public static string? Describe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ConfigRegistry.Find(name) is { } p ? $"{p.Description} Accepts {p.Allowed}." : null;
    }

    /// <summary>
    /// Checks that <paramref name="name"/> is a property some client takes and that <paramref name="value"/> is
    /// acceptable for it. Rules between properties are checked later, by <see cref="ClientConfig.Validate"/>.
    /// </summary>
    /// <exception cref="ConfigException">
    /// The name is unknown (the message suggests the closest known name), or the value is not acceptable (the
    /// message names the property, the value, unless secret, and what is allowed).
    /// </exception>
    public static void Validate(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ConfigRegistry.Get(name).CheckText(name, value);
    }
}
