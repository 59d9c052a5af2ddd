using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Samsa.HeaderGenerator;

/// <summary>
/// Reads the header model from the compiled Samsa.Native assembly with System.Reflection.Metadata (the
/// assembly is never loaded): [CStruct] types and their fields, [CConstant] fields, [CCallback] typedefs and
/// every [UnmanagedCallersOnly] method with its [CExport] doc and [CType] overrides. Inconsistencies (an export
/// without docs, a pointer typed as a non-pointer, a struct that is not sequential ...) are errors.
/// </summary>
internal static partial class ModelReader
{
    public static HeaderModel Read(string assemblyPath, IReadOnlyList<ConstantDecl> errorCodes)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var sig = new SigTypeProvider();

        var structs = new List<StructDecl>();
        var structNames = new Dictionary<string, string>(StringComparer.Ordinal); // C# full name -> C name
        var constants = new List<ConstantDecl>();
        var callbacks = new List<CallbackDecl>();
        var functions = new List<FunctionDecl>();

        // First pass: the names of the C structs and callback typedefs, which fields and parameters refer to.
        foreach (TypeDefinitionHandle th in reader.TypeDefinitions)
        {
            TypeDefinition td = reader.GetTypeDefinition(th);
            foreach (DecodedAttribute a in AttributeDecoder.Read(reader, td.GetCustomAttributes()))
            {
                if (a.TypeName == "CStructAttribute")
                {
                    structNames[MetadataNames.FullName(reader, th)] = a.FixedString(0);
                }
                else if (a.TypeName == "CCallbackAttribute")
                {
                    callbacks.Add(ReadCallback(a));
                }
            }
        }

        var mapper = new CTypeMapper(structNames);
        callbacks.ForEach(mapper.AddCallback);
        foreach (TypeDefinitionHandle th in reader.TypeDefinitions)
        {
            TypeDefinition td = reader.GetTypeDefinition(th);
            string typeName = MetadataNames.FullName(reader, th);
            List<DecodedAttribute> typeAttributes = AttributeDecoder.Read(reader, td.GetCustomAttributes());
            foreach (DecodedAttribute a in typeAttributes)
            {
                if (a.TypeName == "CStructAttribute")
                {
                    structs.Add(ReadStruct(reader, td, typeName, a, mapper, sig));
                }
            }

            foreach (FieldDefinitionHandle fh in td.GetFields())
            {
                FieldDefinition fd = reader.GetFieldDefinition(fh);
                if (Find(reader, fd.GetCustomAttributes(), "CConstantAttribute") is { } cc)
                {
                    constants.Add(ReadConstant(reader, fd, typeName, cc));
                }
            }

            foreach (MethodDefinitionHandle mh in td.GetMethods())
            {
                if (ReadFunction(reader, mh, typeName, mapper, sig) is { } f)
                {
                    functions.Add(f);
                }
            }
        }

        var model = new HeaderModel(constants, errorCodes, structs, callbacks, functions);
        Check(model);
        return model;
    }

    private static DecodedAttribute? Find(MetadataReader reader, CustomAttributeHandleCollection handles, string name)
    {
        foreach (DecodedAttribute a in AttributeDecoder.Read(reader, handles))
        {
            if (a.TypeName == name)
            {
                return a;
            }
        }

        return null;
    }

    private static StructDecl ReadStruct(MetadataReader reader, TypeDefinition td, string typeName, DecodedAttribute a, CTypeMapper mapper, SigTypeProvider sig)
    {
        bool opaque = a.NamedBool("Opaque");
        var fields = new List<FieldDecl>();
        if (!opaque)
        {
            if ((td.Attributes & TypeAttributes.LayoutMask) != TypeAttributes.SequentialLayout)
            {
                throw new GeneratorException($"{typeName}: a [CStruct] must have sequential layout.");
            }

            foreach (FieldDefinitionHandle fh in td.GetFields())
            {
                FieldDefinition fd = reader.GetFieldDefinition(fh);
                if ((fd.Attributes & FieldAttributes.Static) != 0)
                {
                    continue;
                }

                string fieldName = reader.GetString(fd.Name);
                DecodedAttribute cf = Find(reader, fd.GetCustomAttributes(), "CFieldAttribute")
                    ?? throw new GeneratorException($"{typeName}.{fieldName}: every field of a [CStruct] needs [CField] (its doc).");
                SigType type = fd.DecodeSignature(sig, null);
                string cType = mapper.Map(type, cf.NamedString("Type"), $"{typeName}.{fieldName}");
                fields.Add(new FieldDecl(CTypeMapper.SnakeCase(fieldName), cType, cf.FixedString(0)));
            }
        }

        return new StructDecl(a.FixedString(0), a.FixedString(1), opaque, fields);
    }

    private static CallbackDecl ReadCallback(DecodedAttribute a)
    {
        string name = a.FixedString(0);
        string declaration = a.FixedString(1);
        if (!declaration.Contains("(*" + name + ")", StringComparison.Ordinal))
        {
            throw new GeneratorException($"Callback {name}: its declaration must contain '(*{name})'.");
        }

        string parameters = declaration[(declaration.LastIndexOf('(') + 1)..].TrimEnd(')').Trim();
        int count = parameters is "" or "void" ? 0 : parameters.Split(',').Length;
        return new CallbackDecl(name, declaration, a.FixedString(2), count);
    }

    private static ConstantDecl ReadConstant(MetadataReader reader, FieldDefinition fd, string typeName, DecodedAttribute a)
    {
        string name = reader.GetString(fd.Name);
        ConstantHandle ch = fd.GetDefaultValue();
        if (ch.IsNil)
        {
            throw new GeneratorException($"{typeName}.{name}: a [CConstant] must be a const field.");
        }

        Constant c = reader.GetConstant(ch);
        BlobReader blob = reader.GetBlobReader(c.Value);
        long value = c.TypeCode switch
        {
            ConstantTypeCode.Int32 => blob.ReadInt32(),
            ConstantTypeCode.Int64 => blob.ReadInt64(),
            ConstantTypeCode.Int16 => blob.ReadInt16(),
            ConstantTypeCode.Byte => blob.ReadByte(),
            _ => throw new GeneratorException($"{typeName}.{name}: a [CConstant] must be an integer."),
        };
        if (!ConstantName().IsMatch(name))
        {
            throw new GeneratorException($"{typeName}.{name}: constants are named SAMSA_UPPER_CASE.");
        }

        return new ConstantDecl(name, value, a.FixedString(0));
    }

    private static FunctionDecl? ReadFunction(MetadataReader reader, MethodDefinitionHandle mh, string typeName, CTypeMapper mapper, SigTypeProvider sig)
    {
        MethodDefinition md = reader.GetMethodDefinition(mh);
        string methodName = $"{typeName}.{reader.GetString(md.Name)}";
        List<DecodedAttribute> attributes = AttributeDecoder.Read(reader, md.GetCustomAttributes());
        DecodedAttribute? uco = attributes.Find(a => a.TypeName == "UnmanagedCallersOnlyAttribute");
        DecodedAttribute? export = attributes.Find(a => a.TypeName == "CExportAttribute");
        if (uco is null && export is null)
        {
            return null;
        }

        if (uco is null || export is null)
        {
            throw new GeneratorException($"{methodName}: [CExport] and [UnmanagedCallersOnly(EntryPoint = ...)] go together.");
        }

        string entryPoint = uco.NamedString("EntryPoint") ?? throw new GeneratorException($"{methodName}: [UnmanagedCallersOnly] needs an EntryPoint.");
        if (!FunctionName().IsMatch(entryPoint))
        {
            throw new GeneratorException($"{methodName}: entry point '{entryPoint}' must be samsa_lower_case.");
        }

        MethodSignature<SigType> signature = md.DecodeSignature(sig, null);
        var overrides = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        foreach (ParameterHandle ph in md.GetParameters())
        {
            Parameter p = reader.GetParameter(ph);
            names[p.SequenceNumber] = reader.GetString(p.Name);
            if (Find(reader, p.GetCustomAttributes(), "CTypeAttribute") is { } ct)
            {
                overrides[p.SequenceNumber] = ct.FixedString(0);
            }
        }

        string returnType = mapper.Map(signature.ReturnType, overrides.GetValueOrDefault(0), methodName + " (return)");
        var parameters = new List<ParameterDecl>();
        for (int i = 0; i < signature.ParameterTypes.Length; i++)
        {
            string name = names.GetValueOrDefault(i + 1) ?? throw new GeneratorException($"{methodName}: parameter {i + 1} has no name.");
            if (!ParameterName().IsMatch(name))
            {
                throw new GeneratorException($"{methodName}: parameter '{name}' must be lower_snake_case (it is the C name).");
            }

            string type = mapper.Map(signature.ParameterTypes[i], overrides.GetValueOrDefault(i + 1), $"{methodName}({name})");
            parameters.Add(new ParameterDecl(name, type));
            mapper.CheckCallbackArity(signature.ParameterTypes[i], type, $"{methodName}({name})");
        }

        return new FunctionDecl(entryPoint, returnType, parameters, export.FixedString(0),
            export.NamedString("Ownership"), export.NamedString("Threading"), export.NamedString("Returns"));
    }

    private static void Check(HeaderModel model)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> all = model.Constants.Select(c => c.Name)
            .Concat(model.ErrorCodes.Select(c => c.Name))
            .Concat(model.Structs.Select(s => s.Name))
            .Concat(model.Callbacks.Select(c => c.Name))
            .Concat(model.Functions.Select(f => f.Name));
        foreach (string name in all)
        {
            if (!seen.Add(name))
            {
                throw new GeneratorException($"'{name}' is declared twice.");
            }
        }

        var callbackNames = model.Callbacks.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (FunctionDecl f in model.Functions)
        {
            foreach (ParameterDecl p in f.Parameters)
            {
                if (p.Type.StartsWith("samsa_", StringComparison.Ordinal) && p.Type.EndsWith("_cb", StringComparison.Ordinal) && !callbackNames.Contains(p.Type))
                {
                    throw new GeneratorException($"{f.Name}({p.Name}): callback type {p.Type} is not declared with [CCallback].");
                }
            }
        }
    }

    [GeneratedRegex("^SAMSA_[A-Z0-9_]+$")]
    private static partial Regex ConstantName();

    [GeneratedRegex("^samsa_[a-z0-9_]+$")]
    private static partial Regex FunctionName();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex ParameterName();
}
