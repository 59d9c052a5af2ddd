using System.Reflection.Metadata;

namespace Samsa.HeaderGenerator;

/// <summary>A custom attribute by its type's short name, with its arguments decoded (the attributes read here take strings and bools).</summary>
internal sealed record DecodedAttribute(string TypeName, IReadOnlyList<object?> Fixed, IReadOnlyDictionary<string, object?> Named)
{
    public string FixedString(int index) =>
        Fixed[index] as string ?? throw new GeneratorException($"[{TypeName}] argument {index} must be a non-null string.");

    public string? NamedString(string name) => Named.TryGetValue(name, out object? v) ? v as string : null;

    public bool NamedBool(string name) => Named.TryGetValue(name, out object? v) && v is true;
}

internal static class AttributeDecoder
{
    private static readonly AttributeTypeProvider Provider = new();

    public static List<DecodedAttribute> Read(MetadataReader reader, CustomAttributeHandleCollection handles)
    {
        var list = new List<DecodedAttribute>();
        foreach (CustomAttributeHandle h in handles)
        {
            CustomAttribute attribute = reader.GetCustomAttribute(h);
            string typeName = AttributeTypeName(reader, attribute);
            CustomAttributeValue<string> value = attribute.DecodeValue(Provider);
            var named = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (CustomAttributeNamedArgument<string> n in value.NamedArguments)
            {
                named[n.Name ?? string.Empty] = n.Value;
            }

            var fixedArgs = new List<object?>();
            foreach (CustomAttributeTypedArgument<string> f in value.FixedArguments)
            {
                fixedArgs.Add(f.Value);
            }

            list.Add(new DecodedAttribute(typeName, fixedArgs, named));
        }

        return list;
    }

    private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MethodDefinition:
                MethodDefinition ctor = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                return reader.GetString(reader.GetTypeDefinition(ctor.GetDeclaringType()).Name);
            case HandleKind.MemberReference:
                MemberReference member = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                return member.Parent.Kind switch
                {
                    HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)member.Parent).Name),
                    HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)member.Parent).Name),
                    _ => string.Empty,
                };
            default:
                return string.Empty;
        }
    }

    /// <summary>Names types by their full name; enums are taken as int (none of the attributes read here has one).</summary>
    private sealed class AttributeTypeProvider : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => MetadataNames.FullName(reader, handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => MetadataNames.FullName(reader, handle);

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";
    }
}

/// <summary>The assembly does not describe a valid header; the message says where.</summary>
internal sealed class GeneratorException(string message) : Exception(message);
