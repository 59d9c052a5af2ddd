using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Samsa.Native.Interop;

/// <summary>NUL-terminated UTF-8 strings across the boundary.</summary>
internal static unsafe class Utf8
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Strings the library returns for its whole lifetime (error names and descriptions, the version).
    private static readonly ConcurrentDictionary<string, nint> s_static = new(StringComparer.Ordinal);

    /// <summary>The bytes of a NUL-terminated string, without the NUL.</summary>
    public static ReadOnlySpan<byte> Span(byte* text) => MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text);

    /// <summary>Decodes a NUL-terminated string; invalid UTF-8 is an <see cref="ArgumentException"/> naming <paramref name="what"/>.</summary>
    public static string Decode(byte* text, string what)
    {
        try
        {
            return Strict.GetString(Span(text));
        }
        catch (DecoderFallbackException e)
        {
            throw new ArgumentException($"The {what} is not valid UTF-8.", e);
        }
    }

    /// <summary>A NUL-terminated copy that lives as long as the process; for a small, bounded set of strings.</summary>
    public static byte* Static(string text) =>
        (byte*)s_static.GetOrAdd(text, static t => (nint)Allocate(t));

    /// <summary>A NUL-terminated copy in native memory; free it with <see cref="NativeMemory.Free"/>.</summary>
    public static byte* Allocate(string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        byte* p = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(p, length));
        p[length] = 0;
        return p;
    }

    /// <summary>
    /// Writes <paramref name="text"/> into the caller's buffer of <paramref name="size"/> bytes, always
    /// NUL-terminated, cut at a character boundary when it does not fit. Nothing happens for a NULL buffer.
    /// </summary>
    public static void CopyTo(string text, byte* buffer, nuint size)
    {
        if (buffer is null || size == 0)
        {
            return;
        }

        int room = (int)Math.Min(size - 1, int.MaxValue);
        var destination = new Span<byte>(buffer, room);
        Encoder encoder = Encoding.UTF8.GetEncoder();
        encoder.Convert(text.AsSpan(), destination, flush: true, out _, out int written, out _);
        buffer[written] = 0;
    }
}
