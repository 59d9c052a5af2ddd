using Samsa.HeaderGenerator;

// Writes include/samsa.h from the compiled Samsa.Native assembly (the IL, read with System.Reflection.Metadata),
// or with --check fails when the file differs from what would be written (CI and the CMake build run that).

string? assembly = null;
string output = Path.Combine(RepoRoot(), "include", "samsa.h");
bool check = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--assembly" when i + 1 < args.Length:
            assembly = args[++i];
            break;
        case "--output" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--check":
            check = true;
            break;
        default:
            Console.Error.WriteLine("usage: Samsa.HeaderGenerator [--assembly path/to/libsamsa.dll] [--output include/samsa.h] [--check]");
            return 2;
    }
}

assembly ??= FindAssembly();
if (assembly is null || !File.Exists(assembly))
{
    Console.Error.WriteLine($"error: the compiled Samsa.Native assembly (libsamsa.dll) was not found{(assembly is null ? "" : $" at {assembly}")}; build src/Samsa.Native first or pass --assembly.");
    return 2;
}

string text;
try
{
    text = HeaderWriter.Write(ModelReader.Read(assembly, ErrorCodeTable.Build()));
}
catch (GeneratorException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

if (check)
{
    string current = File.Exists(output) ? File.ReadAllText(output) : string.Empty;
    if (current == text)
    {
        Console.WriteLine($"{output} is up to date ({assembly}).");
        return 0;
    }

    string[] a = current.Split('\n');
    string[] b = text.Split('\n');
    int line = 0;
    while (line < a.Length && line < b.Length && a[line] == b[line])
    {
        line++;
    }

    Console.Error.WriteLine($"error: {output} differs from what the assembly declares, first at line {line + 1}:");
    Console.Error.WriteLine($"  file:      {(line < a.Length ? a[line] : "<end of file>")}");
    Console.Error.WriteLine($"  generated: {(line < b.Length ? b[line] : "<end of file>")}");
    Console.Error.WriteLine("Regenerate it with: dotnet run --project src/Samsa.HeaderGenerator -- --output include/samsa.h");
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, text);
Console.WriteLine($"wrote {output} from {assembly}");
return 0;

static string RepoRoot()
{
    string? dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Samsa.sln")))
    {
        dir = Path.GetDirectoryName(dir);
    }

    return dir ?? Directory.GetCurrentDirectory();
}

// The newest libsamsa.dll among the Samsa.Native build outputs (any configuration, with or without a RID).
static string? FindAssembly()
{
    string bin = Path.Combine(RepoRoot(), "src", "Samsa.Native", "bin");
    if (!Directory.Exists(bin))
    {
        return null;
    }

    string? newest = null;
    DateTime newestTime = DateTime.MinValue;
    foreach (string path in Directory.EnumerateFiles(bin, "libsamsa.dll", SearchOption.AllDirectories))
    {
        DateTime t = File.GetLastWriteTimeUtc(path);
        if (t > newestTime)
        {
            newest = path;
            newestTime = t;
        }
    }

    return newest;
}
