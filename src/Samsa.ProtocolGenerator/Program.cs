using Samsa.ProtocolGenerator.Emit;
using Samsa.ProtocolGenerator.Spec;

namespace Samsa.ProtocolGenerator;

/// <summary>
/// Reads Kafka's message specifications and writes Samsa's protocol messages:
/// every API whose request lists the broker listener, the request and response headers, and the consumer
/// protocol's subscription and assignment.
/// Usage: Samsa.ProtocolGenerator [--input DIR] [--output DIR] [--check]
/// --check writes nothing and exits 1 when the committed code differs from what would be generated.
/// </summary>
internal static class Program
{
    private static readonly string[] ExtraMessages =
        ["RequestHeader", "ResponseHeader", "ConsumerProtocolSubscription", "ConsumerProtocolAssignment"];

    public static int Main(string[] args)
    {
        string root = FindRepositoryRoot();
        string input = Path.GetFullPath(Path.Combine(root, "..", "shared", "kafka-protocol", "messages"));
        string output = Path.Combine(root, "src", "Samsa.Managed", "Protocol", "Generated");
        bool check = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--input": input = Path.GetFullPath(args[++i]); break;
                case "--output": output = Path.GetFullPath(args[++i]); break;
                case "--check": check = true; break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [--input DIR] [--output DIR] [--check]");
                    return 2;
            }
        }

        if (!Directory.Exists(input))
        {
            Console.Error.WriteLine($"Message specifications not found at {input}.");
            return 2;
        }

        Dictionary<string, string> files = Generate(input);
        return check ? Check(files, output) : Write(files, output);
    }

    private static Dictionary<string, string> Generate(string input)
    {
        var specs = Directory.GetFiles(input, "*.json")
            .Select(p => (Path: p, Spec: SpecLoader.Load(p)))
            .ToDictionary(x => x.Spec.Name, x => x, StringComparer.Ordinal);

        var apis = new List<(MessageSpec Request, MessageSpec Response)>();
        foreach (var (_, (_, spec)) in specs.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (spec.Kind == "request" && spec.Listeners.Contains("broker"))
            {
                string responseName = spec.Name[..^"Request".Length] + "Response";
                apis.Add((spec, specs[responseName].Spec));
            }
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (req, resp) in apis)
        {
            files[Path.Combine("Messages", req.Name + ".g.cs")] = new MessageEmitter(req, resp).Emit(Path.GetFileName(specs[req.Name].Path));
            files[Path.Combine("Messages", resp.Name + ".g.cs")] = new MessageEmitter(resp, null).Emit(Path.GetFileName(specs[resp.Name].Path));
        }

        foreach (string name in ExtraMessages)
        {
            files[Path.Combine("Messages", name + ".g.cs")] = new MessageEmitter(specs[name].Spec, null).Emit(Path.GetFileName(specs[name].Path));
        }

        files["ApiKey.g.cs"] = CatalogEmitter.EmitApiKey(apis);
        files["MessageCatalog.g.cs"] = CatalogEmitter.EmitCatalog(apis);
        return files;
    }

    private static int Write(Dictionary<string, string> files, string output)
    {
        if (Directory.Exists(output))
        {
            foreach (string stale in Directory.GetFiles(output, "*.g.cs", SearchOption.AllDirectories))
            {
                if (!files.ContainsKey(Path.GetRelativePath(output, stale)))
                {
                    File.Delete(stale);
                }
            }
        }

        foreach (var (relative, text) in files)
        {
            string path = Path.Combine(output, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || File.ReadAllText(path) != text)
            {
                File.WriteAllText(path, text);
            }
        }

        Console.WriteLine($"Generated {files.Count} files into {output}.");
        return 0;
    }

    private static int Check(Dictionary<string, string> files, string output)
    {
        var problems = new List<string>();
        foreach (var (relative, text) in files)
        {
            string path = Path.Combine(output, relative);
            if (!File.Exists(path))
            {
                problems.Add($"missing: {relative}");
            }
            else if (File.ReadAllText(path) != text)
            {
                problems.Add($"differs: {relative}");
            }
        }

        if (Directory.Exists(output))
        {
            foreach (string existing in Directory.GetFiles(output, "*.g.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(output, existing);
                if (!files.ContainsKey(relative))
                {
                    problems.Add($"not generated: {relative}");
                }
            }
        }

        if (problems.Count == 0)
        {
            Console.WriteLine($"Generated protocol code is up to date ({files.Count} files).");
            return 0;
        }

        Console.Error.WriteLine("Generated protocol code is out of date; run: dotnet run --project src/Samsa.ProtocolGenerator");
        foreach (string p in problems)
        {
            Console.Error.WriteLine("  " + p);
        }

        return 1;
    }

    private static string FindRepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Samsa.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? Directory.GetCurrentDirectory();
    }
}
