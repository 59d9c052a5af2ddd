using System.Runtime.CompilerServices;
using System.Text;

namespace Samsa.TestSupport;

/// <summary>
/// Topic, group and transactional ids unique per test and per run, so that tests sharing a cluster (or an
/// external one reused across runs) never see each other's data. Names stay within Kafka's legal characters.
/// </summary>
public static class UniqueNames
{
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    private static int s_counter;

    /// <summary>A topic name such as <c>t-ProducesMessages-3f2a9c1b-7</c>.</summary>
    public static string Topic([CallerMemberName] string test = "") => Make("t", test);

    /// <summary>A consumer group id.</summary>
    public static string Group([CallerMemberName] string test = "") => Make("g", test);

    /// <summary>A transactional id.</summary>
    public static string TransactionalId([CallerMemberName] string test = "") => Make("tx", test);

    /// <summary>Any other name, with a caller-chosen prefix.</summary>
    public static string Make(string prefix, string test)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var sb = new StringBuilder(prefix.Length + 64);
        Append(sb, prefix);
        sb.Append('-');
        Append(sb, test.Length > 80 ? test[..80] : test);
        sb.Append('-').Append(RunId).Append('-').Append(Interlocked.Increment(ref s_counter));
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string text)
    {
        foreach (char c in text)
        {
            // Kafka allows [a-zA-Z0-9._-]; anything else becomes '_'.
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }
    }
}
