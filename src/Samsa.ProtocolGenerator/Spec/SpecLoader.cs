using System.Globalization;
using System.Text.Json;

namespace Samsa.ProtocolGenerator.Spec;

/// <summary>Reads Kafka's message JSON (with // comments) into <see cref="MessageSpec"/>s.</summary>
internal static class SpecLoader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static MessageSpec Load(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path), Options);
        JsonElement root = doc.RootElement;
        var listeners = new List<string>();
        if (root.TryGetProperty("listeners", out JsonElement l))
        {
            foreach (JsonElement e in l.EnumerateArray())
            {
                listeners.Add(e.GetString()!);
            }
        }

        var commons = new List<StructSpec>();
        if (root.TryGetProperty("commonStructs", out JsonElement cs))
        {
            foreach (JsonElement s in cs.EnumerateArray())
            {
                commons.Add(new StructSpec
                {
                    Name = s.GetProperty("name").GetString()!,
                    Fields = ReadFields(s.GetProperty("fields")),
                    About = OptString(s, "about"),
                });
            }
        }

        return new MessageSpec
        {
            Name = root.GetProperty("name").GetString()!,
            Kind = root.GetProperty("type").GetString()!,
            ApiKey = root.TryGetProperty("apiKey", out JsonElement k) ? k.GetInt16() : null,
            Listeners = listeners,
            ValidVersions = VersionRange.Parse(OptString(root, "validVersions")),
            FlexibleVersions = VersionRange.Parse(OptString(root, "flexibleVersions")),
            Fields = ReadFields(root.GetProperty("fields")),
            CommonStructs = commons,
            About = OptString(root, "about"),
        };
    }

    private static List<FieldSpec> ReadFields(JsonElement array)
    {
        var list = new List<FieldSpec>();
        foreach (JsonElement f in array.EnumerateArray())
        {
            string? tag = OptString(f, "tag");
            list.Add(new FieldSpec
            {
                Name = f.GetProperty("name").GetString()!,
                Type = f.GetProperty("type").GetString()!.Trim(),
                Versions = VersionRange.Parse(OptString(f, "versions")),
                NullableVersions = VersionRange.Parse(OptString(f, "nullableVersions")),
                TaggedVersions = VersionRange.Parse(OptString(f, "taggedVersions")),
                FlexibleVersions = f.TryGetProperty("flexibleVersions", out JsonElement fv) ? VersionRange.Parse(fv.GetString()) : null,
                Tag = tag is null ? null : int.Parse(tag, CultureInfo.InvariantCulture),
                Default = OptString(f, "default"),
                About = OptString(f, "about"),
                Fields = f.TryGetProperty("fields", out JsonElement sub) ? ReadFields(sub) : null,
            });
        }

        return list;
    }

    /// <summary>A property as text whatever its JSON kind (the files mix "1", 1, "true" and true).</summary>
    private static string? OptString(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            _ => v.GetRawText(),
        };
    }
}
