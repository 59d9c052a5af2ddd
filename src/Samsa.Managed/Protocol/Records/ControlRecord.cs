using System.Buffers.Binary;

namespace Samsa.Protocol.Records;

/// <summary>The kind of a control record (the type field of its key).</summary>
public enum ControlRecordType : short
{
    /// <summary>Transaction aborted: the producer's records since the last marker are to be skipped by read_committed consumers.</summary>
    Abort = 0,

    /// <summary>Transaction committed.</summary>
    Commit = 1,

    /// <summary>KRaft leader change (internal topics only).</summary>
    LeaderChange = 2,

    /// <summary>KRaft snapshot header.</summary>
    SnapshotHeader = 3,

    /// <summary>KRaft snapshot footer.</summary>
    SnapshotFooter = 4,

    /// <summary>KRaft version record.</summary>
    KRaftVersion = 5,

    /// <summary>KRaft voters list.</summary>
    KRaftVoters = 6,
}

/// <summary>
/// A control record (found in batches whose control attribute is set): key = version int16 + type int16; for
/// transaction markers the value holds version int16 + coordinator epoch int32.
/// </summary>
public readonly struct ControlRecord
{
    /// <summary>Creates a control record description.</summary>
    public ControlRecord(short version, ControlRecordType type, int coordinatorEpoch = -1)
    {
        Version = version;
        Type = type;
        CoordinatorEpoch = coordinatorEpoch;
    }

    /// <summary>Version of the control record key.</summary>
    public short Version { get; }

    /// <summary>What the record marks.</summary>
    public ControlRecordType Type { get; }

    /// <summary>Transaction coordinator epoch from a marker's value; -1 when absent.</summary>
    public int CoordinatorEpoch { get; }

    /// <summary>True for a COMMIT or ABORT transaction marker.</summary>
    public bool IsTransactionMarker => Type is ControlRecordType.Abort or ControlRecordType.Commit;

    /// <summary>Parses the control record carried by <paramref name="record"/> (a record of a control batch).</summary>
    public static ControlRecord Parse(in Record record)
    {
        if (record.KeyIsNull || record.Key.Length < 4)
        {
            throw new ProtocolException(
                $"Control record at offset {record.Offset} has a key of {(record.KeyIsNull ? "null" : record.Key.Length + " bytes")}; 4 bytes or more expected.");
        }

        ReadOnlySpan<byte> key = record.Key.Span;
        short version = BinaryPrimitives.ReadInt16BigEndian(key);
        var type = (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(key[2..]);
        int epoch = -1;
        if ((type is ControlRecordType.Abort or ControlRecordType.Commit) && !record.ValueIsNull && record.Value.Length >= 6)
        {
            epoch = BinaryPrimitives.ReadInt32BigEndian(record.Value.Span[2..]);
        }

        return new ControlRecord(version, type, epoch);
    }

    /// <summary>Writes a control record key (4 bytes).</summary>
    public static void WriteKey(Span<byte> destination, ControlRecordType type, short version = 0)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, version);
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], (short)type);
    }

    /// <summary>Writes a transaction marker value (6 bytes: version int16, coordinator epoch int32).</summary>
    public static void WriteMarkerValue(Span<byte> destination, int coordinatorEpoch, short version = 0)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, version);
        BinaryPrimitives.WriteInt32BigEndian(destination[2..], coordinatorEpoch);
    }
}
