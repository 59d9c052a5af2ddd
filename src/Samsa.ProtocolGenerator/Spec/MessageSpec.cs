namespace Samsa.ProtocolGenerator.Spec;

/// <summary>One JSON file: a request, response, header or data structure.</summary>
internal sealed class MessageSpec
{
    public required string Name { get; init; }

    /// <summary>"request", "response", "header" or "data".</summary>
    public required string Kind { get; init; }

    public short? ApiKey { get; init; }

    public required IReadOnlyList<string> Listeners { get; init; }

    public required VersionRange ValidVersions { get; init; }

    public required VersionRange FlexibleVersions { get; init; }

    public required IReadOnlyList<FieldSpec> Fields { get; init; }

    public required IReadOnlyList<StructSpec> CommonStructs { get; init; }

    public string? About { get; init; }
}

/// <summary>A named structure, declared inline by a field or in commonStructs.</summary>
internal sealed class StructSpec
{
    public required string Name { get; init; }

    public required IReadOnlyList<FieldSpec> Fields { get; init; }

    public string? About { get; init; }
}
