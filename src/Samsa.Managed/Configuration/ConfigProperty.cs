namespace Samsa;

/// <summary>
/// One configuration property: its names, which clients take it, and how its string form is parsed onto a
/// config record (through a <c>with</c> expression, no reflection) and read back.
/// </summary>
internal abstract class ConfigProperty
{
    protected ConfigProperty(string name, string[] aliases, ConfigScope scope, bool isSecret, string description)
    {
        Name = name;
        Aliases = aliases;
        Scope = scope;
        IsSecret = isSecret;
        Description = description;
    }

    /// <summary>The canonical name, written by <see cref="ClientConfig.ToProperties"/>.</summary>
    public string Name { get; }

    /// <summary>Other accepted names (librdkafka's and Java's where they differ).</summary>
    public IReadOnlyList<string> Aliases { get; }

    public ConfigScope Scope { get; }

    /// <summary>A secret's value never appears in messages, <see cref="ClientConfig.ToString"/> or <see cref="ClientConfig.ToProperties"/>.</summary>
    public bool IsSecret { get; }

    public string Description { get; }

    /// <summary>What the property accepts, phrased to follow "expected".</summary>
    public abstract string Allowed { get; }

    public bool AppliesTo(ClientKind kind) => Scope switch
    {
        ConfigScope.Producer => kind == ClientKind.Producer,
        ConfigScope.Consumer => kind == ClientKind.Consumer,
        _ => true,
    };

    /// <summary>Parses <paramref name="value"/> and returns a copy of <paramref name="config"/> holding it.</summary>
    /// <param name="spelledName">The name as the user wrote it, for the error message.</param>
    public abstract ClientConfig Apply(ClientConfig config, string spelledName, string value);

    /// <summary>Parses <paramref name="value"/> only, throwing <see cref="ConfigException"/> when it is not acceptable.</summary>
    public abstract void CheckText(string spelledName, string value);

    /// <summary>The current value's string form, secrets included; null when not set. Never show this to a user for a secret.</summary>
    public abstract string? FormatRaw(ClientConfig config);

    /// <summary>The current value's string form for display: secrets as "[redacted]"; null when not set.</summary>
    public string? Display(ClientConfig config) =>
        FormatRaw(config) is { } text ? (IsSecret ? ConfigErrors.Redacted : text) : null;

    /// <summary>Why the current (possibly typed, never parsed) value is not acceptable, or null.</summary>
    public abstract string? CheckCurrent(ClientConfig config);
}

/// <summary>A property of config records of type <typeparamref name="TConfig"/> holding a <typeparamref name="T"/>.</summary>
internal sealed class ConfigProperty<TConfig, T> : ConfigProperty
    where TConfig : ClientConfig
{
    private readonly ConfigValue<T> _value;
    private readonly Func<TConfig, T> _get;
    private readonly Func<TConfig, T, TConfig> _set;

    public ConfigProperty(
        string name,
        string[] aliases,
        ConfigScope scope,
        bool isSecret,
        ConfigValue<T> value,
        Func<TConfig, T> get,
        Func<TConfig, T, TConfig> set,
        string description)
        : base(name, aliases, scope, isSecret, description)
    {
        _value = value;
        _get = get;
        _set = set;
    }

    public override string Allowed => _value.Allowed;

    public override ClientConfig Apply(ClientConfig config, string spelledName, string value) =>
        _set((TConfig)config, Parse(spelledName, value));

    public override void CheckText(string spelledName, string value) => Parse(spelledName, value);

    public override string? FormatRaw(ClientConfig config) => _value.Format(_get((TConfig)config));

    public override string? CheckCurrent(ClientConfig config) => _value.Check(_get((TConfig)config));

    private T Parse(string spelledName, string value)
    {
        if (!_value.TryParse(value, out T parsed, out string? reason))
        {
            throw ConfigErrors.InvalidValue(this, spelledName, value, reason);
        }

        return parsed;
    }
}
