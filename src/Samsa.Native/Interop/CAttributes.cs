namespace Samsa.Native.Interop;

// The header generator (src/Samsa.HeaderGenerator) reads these attributes from the compiled assembly's metadata
// and writes include/samsa.h from them: they are the single source of every declaration and doc comment.
// Values are plain strings so that the generator decodes them without loading this assembly.

/// <summary>A C function: the method also carries [UnmanagedCallersOnly(EntryPoint = "samsa_...")].</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class CExportAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    /// <summary>Who owns what goes in and comes out.</summary>
    public string? Ownership { get; set; }

    /// <summary>From which threads the function may be called, and together with what.</summary>
    public string? Threading { get; set; }

    /// <summary>What the function returns, errors included.</summary>
    public string? Returns { get; set; }
}

/// <summary>The C type of a parameter or return value where the C# type does not say it (const, char, typedefs).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = false)]
internal sealed class CTypeAttribute(string type) : Attribute
{
    public string Type { get; } = type;
}

/// <summary>
/// A struct declared in the header: <c>typedef struct NAME_s NAME_t</c>. Opaque ones (handles) get only the
/// typedef; the others get their fields, in order, with the C type of each (a <see cref="CFieldAttribute"/>
/// overrides it) — the C# layout must be sequential so that both sides agree.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
internal sealed class CStructAttribute(string name, string summary) : Attribute
{
    public string Name { get; } = name;

    public string Summary { get; } = summary;

    public bool Opaque { get; set; }
}

/// <summary>A field's doc comment and, where the C# type does not say it, its C type.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
internal sealed class CFieldAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    public string? Type { get; set; }
}

/// <summary>A <c>#define NAME VALUE</c> from a const field (integer).</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
internal sealed class CConstantAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;
}

/// <summary>
/// A function pointer typedef, <paramref name="declaration"/> being the C text with the name in it, e.g.
/// <c>void (*samsa_x_cb)(int err, void *opaque)</c>. The generator checks that parameters typed with it are
/// C# function pointers of as many parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
internal sealed class CCallbackAttribute(string name, string declaration, string summary) : Attribute
{
    public string Name { get; } = name;

    public string Declaration { get; } = declaration;

    public string Summary { get; } = summary;
}
