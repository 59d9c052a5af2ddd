using System.Reflection.Metadata;
using System.Text;

namespace Samsa.HeaderGenerator;

/// <summary>Maps signature types to C types; a [CType]/[CField(Type=...)] override must agree with the C# type's shape.</summary>
internal sealed class CTypeMapper(IReadOnlyDictionary<string, string> structNames)
{
    private readonly Dictionary<string, int> _callbackArity = new(StringComparer.Ordinal);

    public void AddCallback(CallbackDecl callback) => _callbackArity[callback.Name] = callback.ParameterCount;

    public string Map(SigType type, string? overrideType, string where)
    {
        if (overrideType is not null)
        {
            bool overrideIsPointer = overrideType.Contains('*', StringComparison.Ordinal) || overrideType.EndsWith("_cb", StringComparison.Ordinal);
            if (overrideIsPointer != type.IsPointerLike)
            {
                throw new GeneratorException($"{where}: C type '{overrideType}' does not match the C# type ({Describe(type)}).");
            }

            if (!overrideIsPointer && Default(type, where) is var natural && SizeOf(natural) != SizeOf(overrideType))
            {
                throw new GeneratorException($"{where}: C type '{overrideType}' is not the size of the C# type ({natural}).");
            }

            return overrideType;
        }

        return Default(type, where);
    }

    /// <summary>A function pointer parameter typed with a callback typedef must take as many parameters as the typedef.</summary>
    public void CheckCallbackArity(SigType type, string cType, string where)
    {
        if (type is SigType.FunctionPointer fp && _callbackArity.TryGetValue(cType, out int arity) && arity != fp.ParameterCount)
        {
            throw new GeneratorException($"{where}: {cType} takes {arity} parameters, the C# function pointer {fp.ParameterCount}.");
        }
    }

    private string Default(SigType type, string where) => type switch
    {
        SigType.Primitive p => Primitive(p.Code, where),
        SigType.Pointer { Element: SigType.Primitive { Code: PrimitiveTypeCode.Void } } => "void *",
        SigType.Pointer ptr => Default(ptr.Element, where) + " *",
        SigType.Named n when structNames.TryGetValue(n.FullName, out string? c) => c,
        SigType.FunctionPointer => throw new GeneratorException($"{where}: a function pointer needs [CType(\"<callback typedef>\")]."),
        _ => throw new GeneratorException($"{where}: {Describe(type)} cannot cross the C ABI."),
    };

    private static string Primitive(PrimitiveTypeCode code, string where) => code switch
    {
        PrimitiveTypeCode.Void => "void",
        PrimitiveTypeCode.SByte => "int8_t",
        PrimitiveTypeCode.Byte => "uint8_t",
        PrimitiveTypeCode.Int16 => "int16_t",
        PrimitiveTypeCode.UInt16 => "uint16_t",
        PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint32_t",
        PrimitiveTypeCode.Int64 => "int64_t",
        PrimitiveTypeCode.UInt64 => "uint64_t",
        PrimitiveTypeCode.IntPtr => "intptr_t",
        PrimitiveTypeCode.UIntPtr => "size_t",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        _ => throw new GeneratorException($"{where}: {code} cannot cross the C ABI (use an integer)."),
    };

    private static int SizeOf(string cType) => cType switch
    {
        "int8_t" or "uint8_t" or "char" => 1,
        "int16_t" or "uint16_t" => 2,
        "int" or "int32_t" or "uint32_t" or "float" => 4,
        _ => 8,
    };

    private static string Describe(SigType type) => type switch
    {
        SigType.Primitive p => p.Code.ToString(),
        SigType.Pointer p => Describe(p.Element) + "*",
        SigType.FunctionPointer f => $"function pointer of {f.ParameterCount} parameters",
        SigType.Named n => n.FullName,
        SigType.Unsupported u => u.Description,
        _ => type.ToString(),
    };

    /// <summary>PascalCase to snake_case: MsgOpaque → msg_opaque.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }
}
