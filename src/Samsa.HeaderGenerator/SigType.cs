using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Samsa.HeaderGenerator;

/// <summary>A C# type as it appears in a signature, reduced to what the C mapping needs.</summary>
internal abstract record SigType
{
    public sealed record Primitive(PrimitiveTypeCode Code) : SigType;

    public sealed record Pointer(SigType Element) : SigType;

    public sealed record FunctionPointer(int ParameterCount) : SigType;

    /// <summary>A type by its full name (namespace.name, nested types joined with '+').</summary>
    public sealed record Named(string FullName) : SigType;

    /// <summary>Anything the ABI cannot carry (arrays, generics, by-ref).</summary>
    public sealed record Unsupported(string Description) : SigType;

    public bool IsPointerLike => this is Pointer or FunctionPointer;
}

/// <summary>Decodes signatures into <see cref="SigType"/>.</summary>
internal sealed class SigTypeProvider : ISignatureTypeProvider<SigType, object?>
{
    public SigType GetPrimitiveType(PrimitiveTypeCode typeCode) => new SigType.Primitive(typeCode);

    public SigType GetPointerType(SigType elementType) => new SigType.Pointer(elementType);

    public SigType GetFunctionPointerType(MethodSignature<SigType> signature) => new SigType.FunctionPointer(signature.ParameterTypes.Length);

    public SigType GetModifiedType(SigType modifier, SigType unmodifiedType, bool isRequired) => unmodifiedType;

    public SigType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        new SigType.Named(MetadataNames.FullName(reader, handle));

    public SigType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
        new SigType.Named(MetadataNames.FullName(reader, handle));

    public SigType GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public SigType GetByReferenceType(SigType elementType) => new SigType.Unsupported("by-reference");

    public SigType GetSZArrayType(SigType elementType) => new SigType.Unsupported("array");

    public SigType GetArrayType(SigType elementType, ArrayShape shape) => new SigType.Unsupported("array");

    public SigType GetGenericInstantiation(SigType genericType, ImmutableArray<SigType> typeArguments) => new SigType.Unsupported("generic");

    public SigType GetGenericMethodParameter(object? genericContext, int index) => new SigType.Unsupported("generic");

    public SigType GetGenericTypeParameter(object? genericContext, int index) => new SigType.Unsupported("generic");

    public SigType GetPinnedType(SigType elementType) => elementType;
}

internal static class MetadataNames
{
    public static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition td = reader.GetTypeDefinition(handle);
        string name = reader.GetString(td.Name);
        TypeDefinitionHandle declaring = td.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(reader, declaring) + "+" + name;
        }

        string ns = reader.GetString(td.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference tr = reader.GetTypeReference(handle);
        string name = reader.GetString(tr.Name);
        if (tr.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(reader, (TypeReferenceHandle)tr.ResolutionScope) + "+" + name;
        }

        string ns = reader.GetString(tr.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
