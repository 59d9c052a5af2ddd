using System.Globalization;
using System.Text;
using Samsa.Protocol;

namespace Samsa.TestSupport;

/// <summary>
/// The text format of golden captures (tests/Samsa.Tests/Golden/Data/*.capture). One frame a line:
/// <code>
/// REQ|RES API_KEY VERSION CORRELATION_ID BROKER_ID CONNECTION HEX
/// </code>
/// where HEX is the whole frame without its 4-byte size prefix (request: request header then body; response:
/// response header then body), lower-case. Lines starting with '#' are comments; blank lines are ignored.
/// A response line carries the API key and version of the request it answers.
/// </summary>
public static class CaptureFile
{
    /// <summary>Writes <paramref name="frames"/> after the comment lines (each gets a "# " prefix).</summary>
    public static void Write(string path, IEnumerable<string> comments, IEnumerable<CapturedFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(comments);
        ArgumentNullException.ThrowIfNull(frames);
        var sb = new StringBuilder();
        foreach (string comment in comments)
        {
            sb.Append("# ").Append(comment).Append('\n');
        }

        foreach (CapturedFrame f in frames)
        {
            sb.Append(f.Direction == FrameDirection.Request ? "REQ" : "RES")
                .Append(' ').Append(((short)f.ApiKey).ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(f.Version.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(f.CorrelationId.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(f.BrokerId.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(f.Connection.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(Convert.ToHexStringLower(f.Frame))
                .Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Reads a capture; a malformed line throws <see cref="FormatException"/> naming the file and line.</summary>
    public static IReadOnlyList<CapturedFrame> Read(string path)
    {
        var frames = new List<CapturedFrame>();
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                if (f.Length != 7 || (f[0] != "REQ" && f[0] != "RES"))
                {
                    throw new FormatException("expected 'REQ|RES API_KEY VERSION CORRELATION_ID BROKER_ID CONNECTION HEX'");
                }

                frames.Add(new CapturedFrame(
                    f[0] == "REQ" ? FrameDirection.Request : FrameDirection.Response,
                    (ApiKey)short.Parse(f[1], CultureInfo.InvariantCulture),
                    short.Parse(f[2], CultureInfo.InvariantCulture),
                    int.Parse(f[3], CultureInfo.InvariantCulture),
                    int.Parse(f[4], CultureInfo.InvariantCulture),
                    int.Parse(f[5], CultureInfo.InvariantCulture),
                    Convert.FromHexString(f[6])));
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new FormatException($"{Path.GetFileName(path)} line {i + 1}: {e.Message}", e);
            }
        }

        return frames;
    }

    /// <summary>The comment lines of a capture, without their "# " prefix.</summary>
    public static IReadOnlyList<string> ReadComments(string path)
    {
        var comments = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#'))
            {
                comments.Add(line.StartsWith("# ", StringComparison.Ordinal) ? line[2..] : line[1..]);
            }
        }

        return comments;
    }
}
