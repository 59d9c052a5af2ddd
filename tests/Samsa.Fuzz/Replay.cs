namespace Samsa.Fuzz;

/// <summary>Runs saved inputs (AFL's queue, crashes, the committed corpus) through a target without AFL.</summary>
internal static class Replay
{
    public static int Run(FuzzTarget target, string[] paths)
    {
        var counts = new int[3];
        foreach (string path in paths)
        {
            // A folder's own files only: AFL keeps empty markers under queue/.state/.
            string[] files = Directory.Exists(path) ? Directory.GetFiles(path) : [path];
            Array.Sort(files, StringComparer.Ordinal);
            foreach (string file in files)
            {
                if (Path.GetFileName(file).StartsWith('.') || Path.GetFileName(file) == "README.txt")
                {
                    continue;
                }

                try
                {
                    counts[(int)FuzzRunner.Run(target, File.ReadAllBytes(file))]++;
                }
                catch (Exception ex)
                {
                    Console.Error.WriteLine($"FINDING {target.Name} {file}: {ex}");
                    return 1;
                }
            }
        }

        Console.WriteLine($"{target.Name}: {counts[0]} decoded, {counts[1]} rejected, {counts[2]} ignored");
        return 0;
    }
}
