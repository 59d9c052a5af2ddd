using System.Buffers;
using Samsa.Protocol.Records;

namespace Samsa.Compression;

/// <summary>
/// A batch ready for reading records: its header and its uncompressed records region, which is either a slice
/// of the fetched bytes (uncompressed batch, <see cref="Owner"/> null) or a pooled buffer holding the
/// decompressed records (<see cref="Owner"/> returns it to the pool). Dispose once the records are no longer used.
/// </summary>
public readonly struct DecodedRecordBatch : IDisposable
{
    internal DecodedRecordBatch(RecordBatchHeader header, ReadOnlyMemory<byte> records, IMemoryOwner<byte>? owner)
    {
        Header = header;
        Records = records;
        Owner = owner;
    }

    /// <summary>The batch header as fetched (its codec id still says how the records were stored).</summary>
    public RecordBatchHeader Header { get; }

    /// <summary>The uncompressed records region.</summary>
    public ReadOnlyMemory<byte> Records { get; }

    /// <summary>The pooled buffer behind <see cref="Records"/> when the batch was decompressed; null otherwise.</summary>
    public IMemoryOwner<byte>? Owner { get; }

    /// <summary>A reader over the records.</summary>
    public RecordReader GetRecordReader() => new(Header, Records);

    /// <summary>Enumerates the records.</summary>
    public RecordReader.Enumerator GetEnumerator() => GetRecordReader().GetEnumerator();

    /// <summary>Returns the decompression buffer, if any, to the pool.</summary>
    public void Dispose() => Owner?.Dispose();
}
