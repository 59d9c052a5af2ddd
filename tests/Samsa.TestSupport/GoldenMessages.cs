using System.Text;

namespace Samsa.TestSupport;

/// <summary>A message of the golden data sets; null key, value or header value means null on the wire.</summary>
/// <param name="Key">Key bytes, or null.</param>
/// <param name="Value">Value bytes, or null.</param>
/// <param name="Headers">Headers in order (keys may repeat).</param>
/// <param name="Timestamp">Create time in Unix milliseconds.</param>
public sealed record GoldenMessage(byte[]? Key, byte[]? Value, IReadOnlyList<(string Key, byte[]? Value)> Headers, long Timestamp);

/// <summary>
/// The messages the golden captures and the interop tests produce, shared by the program that writes the
/// captures and the tests that read them. Values repeat themselves so that every codec really compresses
/// (librdkafka sends a batch uncompressed when compressing does not make it smaller).
/// </summary>
public static class GoldenMessages
{
    /// <summary>Base timestamp of <see cref="Rich"/> (2023-11-14T22:13:20Z).</summary>
    public const long BaseTimestamp = 1_700_000_000_000;

    private const string Fox = "the quick brown fox jumps over the lazy dog; ";

    /// <summary>
    /// Keys, values and headers of every shape: null and empty key and value, UTF-8 beyond ASCII, null and empty
    /// header values, repeated header keys, and timestamps out of order.
    /// </summary>
    public static IReadOnlyList<GoldenMessage> Rich { get; } =
    [
        new(U("key-0"), U("value 0: " + Fox + Fox), [("h1", U("v1"))], BaseTimestamp),
        new(null, U("value 1: " + Fox + Fox), [], BaseTimestamp + 1),
        new(U("key-2"), null, [("h-null", null), ("h-empty", [])], BaseTimestamp + 2),
        new(U("ключ-3"), [], [("dup", U("a")), ("dup", U("b")), ("ünï", U("çødé"))], BaseTimestamp + 3),
        new([], U("value 4: " + Fox + Fox + Fox + Fox), [], BaseTimestamp + 1_000),
        new(U("key-5"), U("value 5: " + Fox), [("h1", U("v1")), ("h2", U("v2"))], BaseTimestamp - 500),
    ];

    /// <summary>
    /// The lines kcat produces (one message each, key and value split at a tab): kcat cannot send null
    /// values, per-message headers or timestamps, so its messages carry the same two headers (-H) and the
    /// current time.
    /// </summary>
    public static IReadOnlyList<(string Key, string Value)> KcatLines { get; } =
    [
        ("kcat-key-0", "kcat value 0: " + Fox + Fox),
        ("kcat-key-1", "kcat value 1: " + Fox + Fox),
        ("ключ-2", "kcat value 2: " + Fox + Fox + Fox),
        ("kcat-key-3", "kcat value 3: " + Fox),
    ];

    /// <summary>The headers kcat attaches to every message (-H name=value).</summary>
    public static IReadOnlyList<(string Key, string Value)> KcatHeaders { get; } = [("source", "kcat"), ("h2", "v=2")];

    /// <summary>UTF-8 bytes of a string.</summary>
    public static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
}
