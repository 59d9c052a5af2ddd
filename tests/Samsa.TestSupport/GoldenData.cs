namespace Samsa.TestSupport;

/// <summary>Where the golden captures live, in the source tree and next to the test binaries.</summary>
public static class GoldenData
{
    /// <summary>Folder of the captures relative to the repository root.</summary>
    public const string SourceFolder = "tests/Samsa.Tests/Golden/Data";

    /// <summary>Folder of the captures in a test project's output (the projects copy them there).</summary>
    public static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "Golden", "Data");

    /// <summary>The repository root: the first folder above the test binaries that holds Samsa.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Samsa.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No Samsa.sln above {AppContext.BaseDirectory}: run from a build inside the repository.");
        }
    }

    /// <summary>Every capture file in the test output, sorted by name; throws if there are none.</summary>
    public static IReadOnlyList<string> CaptureFiles()
    {
        string folder = OutputFolder;
        string[] files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.capture") : [];
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"No *.capture files in {folder}: the test project must copy {SourceFolder} to its output.");
        }

        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>The frames of one capture in the test output, by file name ("confluent-produce-gzip.capture").</summary>
    public static IReadOnlyList<CapturedFrame> Load(string fileName) => CaptureFile.Read(Path.Combine(OutputFolder, fileName));
}
