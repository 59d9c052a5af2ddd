using Samsa.Buffers;
using Samsa.Compression;
using Samsa.Protocol.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Fuzz;

/// <summary>
/// The consumer's record path: a record set (as in a Fetch partition) through <see cref="RecordBatchReader"/>,
/// <see cref="RecordBatchDecoder"/> with whatever codec a batch names, the record reader, headers and control
/// records. Read twice: with CRCs checked (what the consumer does by default), then without, so that damage AFL
/// cannot hide behind a CRC32C still reaches the codecs and record parsers. Allowed: records, or a KafkaException
/// (ProtocolException for framing, LocalBadCompression for codecs).
/// </summary>
internal sealed class RecordSetTarget : FuzzTarget
{
    private readonly PooledBufferWriter _scratch = new(0);

    public override string Name => "records";

    public override FuzzOutcome Execute(byte[] input)
    {
        bool rejected = false;
        try
        {
            // The default path: each compressed batch decompressed into its own pooled buffer.
            _ = Drain(input, checkCrcs: true, scratch: null);
        }
        catch (KafkaException)
        {
            rejected = true;
        }

        try
        {
            // The caller-owned scratch path, CRCs unchecked.
            _ = Drain(input, checkCrcs: false, _scratch);
        }
        catch (KafkaException)
        {
            rejected = true;
        }
        finally
        {
            _scratch.Reset();
        }

        return rejected ? FuzzOutcome.Rejected : FuzzOutcome.Decoded;
    }

    // Both reads may each rent a decompression buffer that the pool does not have.
    public override long AllocationBound(int length) => 2 * ((long)FuzzLimits.AllocationPerInputByte * length + FuzzLimits.RecordSlack);

    /// <summary>Reads every record of a record set (headers and control records too); returns how many. Shared with the property tests.</summary>
    internal static int Drain(byte[] set, bool checkCrcs, PooledBufferWriter? scratch)
    {
        int count = 0;
        var reader = new RecordBatchReader(set, "fuzz", 0, checkCrcs);
        while (reader.TryReadNext(out RecordBatch batch))
        {
            using DecodedRecordBatch decoded = scratch is null
                ? RecordBatchDecoder.Decode(batch, FuzzLimits.MaxDecompressed)
                : RecordBatchDecoder.Decode(batch, scratch, FuzzLimits.MaxDecompressed);
            foreach (Record record in decoded)
            {
                _ = record.Key.Length + record.Value.Length + record.Offset + record.Timestamp;
                foreach (RecordHeaderView h in record.Headers)
                {
                    _ = h.Key.Length + h.Value.Length;
                }

                if (batch.Header.IsControl)
                {
                    _ = ControlRecord.Parse(record);
                }

                count++;
            }
        }

        return count;
    }
}
