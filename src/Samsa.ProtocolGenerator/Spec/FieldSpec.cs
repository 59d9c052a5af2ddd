namespace Samsa.ProtocolGenerator.Spec;

/// <summary>One field of a message or structure.</summary>
internal sealed class FieldSpec
{
    public required string Name { get; init; }

    /// <summary>The type as written: "int32", "[]string", "[]TopicData", "Assignment", "records".</summary>
    public required string Type { get; init; }

    public required VersionRange Versions { get; init; }

    public required VersionRange NullableVersions { get; init; }

    public required VersionRange TaggedVersions { get; init; }

    /// <summary>Overrides the message's flexible versions for this field (RequestHeader.ClientId is "none").</summary>
    public VersionRange? FlexibleVersions { get; init; }

    public int? Tag { get; init; }

    public string? Default { get; init; }

    public string? About { get; init; }

    /// <summary>Inline structure fields, when this field declares a structure.</summary>
    public IReadOnlyList<FieldSpec>? Fields { get; init; }

    public bool IsArray => Type.StartsWith("[]", StringComparison.Ordinal);

    public string ElementType => IsArray ? Type[2..] : Type;

    public bool IsTagged => Tag is not null;
}
