using System.Text;

namespace Samsa;

/// <summary>An admin client's configuration: the common settings only.</summary>
public sealed record AdminConfig : ClientConfig
{
    private static readonly AdminConfig s_defaults = new();

    /// <inheritdoc/>
    public override ClientKind Kind => ClientKind.Admin;

    private protected override ClientConfig Defaults => s_defaults;

    /// <summary>An admin client configuration from name/value pairs applied in order onto the defaults.</summary>
    /// <exception cref="ConfigException">A property is unknown or a value is not acceptable.</exception>
    public static AdminConfig FromProperties(IEnumerable<KeyValuePair<string, string>> properties) =>
        ApplyAll(new AdminConfig(), properties);

    /// <inheritdoc/>
    public override AdminConfig With(string name, string value) => Apply(this, name, value);

    /// <inheritdoc/>
    public override AdminConfig Validate()
    {
        var warnings = new List<string>(Warnings);
        ValidateCommon(warnings);
        return this with { Warnings = warnings.ToArray() };
    }

    /// <inheritdoc/>
    protected override bool PrintMembers(StringBuilder builder) => base.PrintMembers(builder);
}
