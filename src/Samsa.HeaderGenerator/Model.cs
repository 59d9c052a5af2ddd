namespace Samsa.HeaderGenerator;

/// <summary>Everything the header declares, read from the assembly.</summary>
internal sealed record HeaderModel(
    IReadOnlyList<ConstantDecl> Constants,
    IReadOnlyList<ConstantDecl> ErrorCodes,
    IReadOnlyList<StructDecl> Structs,
    IReadOnlyList<CallbackDecl> Callbacks,
    IReadOnlyList<FunctionDecl> Functions);

internal sealed record ConstantDecl(string Name, long Value, string Summary);

internal sealed record StructDecl(string Name, string Summary, bool Opaque, IReadOnlyList<FieldDecl> Fields);

internal sealed record FieldDecl(string Name, string Type, string Summary);

internal sealed record CallbackDecl(string Name, string Declaration, string Summary, int ParameterCount);

internal sealed record FunctionDecl(
    string Name, string ReturnType, IReadOnlyList<ParameterDecl> Parameters, string Summary, string? Ownership, string? Threading, string? Returns);

internal sealed record ParameterDecl(string Name, string Type);
