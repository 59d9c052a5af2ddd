using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Samsa.Native.Interop;

namespace Samsa.Native.Clients;

/// <summary>
/// Topic names in both directions without allocating per message: the C string a message was produced with
/// becomes the same managed string every time (found by its characters, decoded on the stack), and a managed
/// name in a report becomes the same NUL-terminated copy every time. Up to <see cref="MaxCached"/> names are
/// kept (freed with the client); past that, names are decoded and copied per use.
/// </summary>
internal sealed unsafe class TopicNames : IDisposable
{
    public const int MaxCached = 4096;
    private const int StackLimit = 512;

    private readonly ConcurrentDictionary<string, nint> _utf8 = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, nint>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private int _disposed;

    public TopicNames()
    {
        _byChars = _utf8.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The managed name of a NUL-terminated UTF-8 topic.</summary>
    /// <exception cref="ArgumentException">The name is not valid UTF-8.</exception>
    public string FromUtf8(byte* topic)
    {
        ReadOnlySpan<byte> bytes = Utf8.Span(topic);
        if (bytes.Length > StackLimit)
        {
            return Utf8.Decode(topic, "topic name"); // never a valid topic (249 characters at most): let the producer say so
        }

        Span<char> chars = stackalloc char[bytes.Length];
        if (System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out _, out int written, replaceInvalidSequences: false)
            != System.Buffers.OperationStatus.Done)
        {
            throw new ArgumentException("The topic name is not valid UTF-8.");
        }

        ReadOnlySpan<char> name = chars[..written];
        if (_byChars.TryGetValue(name, out string? cached, out _))
        {
            return cached;
        }

        string created = new(name);
        Remember(created);
        return created;
    }

    /// <summary>The NUL-terminated copy of <paramref name="topic"/>; <paramref name="temporary"/> is true when the caller must free it.</summary>
    public byte* ToUtf8(string topic, out bool temporary)
    {
        if (_utf8.TryGetValue(topic, out nint p))
        {
            temporary = false;
            return (byte*)p;
        }

        temporary = !Remember(topic);
        return temporary ? Utf8.Allocate(topic) : (byte*)_utf8[topic];
    }

    private bool Remember(string topic)
    {
        if (_utf8.Count >= MaxCached || Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        nint copy = (nint)Utf8.Allocate(topic);
        if (!_utf8.TryAdd(topic, copy))
        {
            NativeMemory.Free((void*)copy);
        }

        return true;
    }

    /// <summary>Frees the copies; no other thread may be using the names any more.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (KeyValuePair<string, nint> entry in _utf8)
        {
            NativeMemory.Free((void*)entry.Value);
        }

        _utf8.Clear();
    }
}
