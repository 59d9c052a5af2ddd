using System.Globalization;
using Samsa.ProtocolGenerator.Spec;

namespace Samsa.ProtocolGenerator.Emit;

/// <summary>How a specification type maps to C# and to the reader and writer primitives.</summary>
internal static class FieldType
{
    private static readonly Dictionary<string, (string CSharp, string Method, int Size)> Primitives = new()
    {
        ["bool"] = ("bool", "Bool", 1),
        ["int8"] = ("sbyte", "Int8", 1),
        ["int16"] = ("short", "Int16", 2),
        ["uint16"] = ("ushort", "UInt16", 2),
        ["int32"] = ("int", "Int32", 4),
        ["uint32"] = ("uint", "UInt32", 4),
        ["int64"] = ("long", "Int64", 8),
        ["float64"] = ("double", "Float64", 8),
        ["uuid"] = ("Guid", "Uuid", 16),
    };

    public static bool IsPrimitive(string type) => Primitives.ContainsKey(type);

    public static bool IsStruct(string elementType) =>
        !IsPrimitive(elementType) && elementType is not ("string" or "bytes" or "records");

    public static string PrimitiveMethod(string type) => Primitives[type].Method;

    /// <summary>The C# type of one element (or of the whole field when it is not an array).</summary>
    public static string ElementCSharp(string elementType, Func<string, string> structName) => elementType switch
    {
        "string" => "string",
        "bytes" => "byte[]",
        "records" => "ReadOnlyMemory<byte>?",
        _ when Primitives.TryGetValue(elementType, out var p) => p.CSharp,
        _ => structName(elementType),
    };

    public static string FieldCSharp(FieldSpec f, Func<string, string> structName)
    {
        bool nullable = !f.NullableVersions.IsEmpty;
        if (f.IsArray)
        {
            return $"List<{ElementCSharp(f.ElementType, structName)}>" + (nullable ? "?" : "");
        }

        string t = ElementCSharp(f.Type, structName);
        if (f.Type == "records" || IsPrimitive(f.Type))
        {
            return t;
        }

        return t + (nullable ? "?" : "");
    }

    /// <summary>Smallest encoding of one array element, used to bound counts before allocating.</summary>
    public static string MinSize(string elementType, string compact) => elementType switch
    {
        "string" => $"({compact} ? 1 : 2)",
        "bytes" => $"({compact} ? 1 : 4)",
        _ when Primitives.TryGetValue(elementType, out var p) => p.Size.ToString(CultureInfo.InvariantCulture),
        _ => "1",
    };

    /// <summary>The C# expression of a field's default value.</summary>
    public static string DefaultValue(FieldSpec f, Func<string, string> structName)
    {
        string? d = f.Default;
        if (f.IsArray)
        {
            return d == "null" ? "null" : $"new List<{ElementCSharp(f.ElementType, structName)}>()";
        }

        switch (f.Type)
        {
            case "bool":
                return d is not null && d.Equals("true", StringComparison.OrdinalIgnoreCase) ? "true" : "false";
            case "string":
                return d == "null" ? "null" : Literal(d ?? string.Empty);
            case "bytes":
                return d == "null" ? "null" : "Array.Empty<byte>()";
            case "records":
                return "null";
            case "uuid":
                return "Guid.Empty";
            case "float64":
                return d is null ? "0d" : double.Parse(d, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) + "d";
        }

        if (IsPrimitive(f.Type))
        {
            long value = 0;
            if (d is not null)
            {
                string t = d.Trim();
                value = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? long.Parse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : long.Parse(t, CultureInfo.InvariantCulture);
            }

            string cs = Primitives[f.Type].CSharp;
            return value switch
            {
                0 => "0",
                int.MinValue when cs == "int" => "int.MinValue",
                _ when cs is "int" or "long" => value.ToString(CultureInfo.InvariantCulture),
                _ => $"({cs})({value.ToString(CultureInfo.InvariantCulture)})",
            };
        }

        return d == "null" ? "null" : $"new {structName(f.Type)}()";
    }

    /// <summary>A C# condition that is true when <paramref name="expr"/> holds the field's default.</summary>
    public static string IsDefault(FieldSpec f, string expr, Func<string, string> structName)
    {
        string def = DefaultValue(f, structName);
        if (f.IsArray)
        {
            return def == "null" ? $"{expr} is null" : $"{expr} is null or {{ Count: 0 }}";
        }

        return f.Type switch
        {
            "string" => def == "null" ? $"{expr} is null" : $"{expr} == {def}",
            "bytes" => def == "null" ? $"{expr} is null" : $"{expr} is null or {{ Length: 0 }}",
            "records" => $"{expr} is null",
            _ when IsPrimitive(f.Type) => $"{expr} == {def}",
            _ => def == "null" ? $"{expr} is null" : $"({expr} is not null && {expr}.IsDefault())",
        };
    }

    public static string Literal(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
