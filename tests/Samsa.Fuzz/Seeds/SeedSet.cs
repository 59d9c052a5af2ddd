using System.Security.Cryptography;

namespace Samsa.Fuzz.Seeds;

/// <summary>Seed files under folder/target/, one per distinct content.</summary>
internal sealed class SeedSet(string folder)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public int Count => _seen.Count;

    public void Add(string target, string name, byte[] content)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
        if (!_seen.Add(target + "/" + hash))
        {
            return;
        }

        string directory = Path.Combine(folder, target);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, $"{name}-{hash}"), content);
    }
}
