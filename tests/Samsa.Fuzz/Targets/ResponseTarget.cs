using System.Buffers.Binary;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Fuzz;

/// <summary>
/// Every response decoder at every version, through <see cref="MessageCatalog"/>. Input: API key (INT16, big
/// endian), version (INT16), then the frame as it comes after the size prefix: response header (correlation id,
/// tagged fields from header v1), body. A version out of the key's range is folded into it, so that a mutation of
/// those bytes still picks a decoder; an unknown key is ignored. Allowed: a message, or a ProtocolException.
/// </summary>
internal sealed class ResponseTarget : FuzzTarget
{
    public const int PrefixLength = 4;

    public override string Name => "responses";

    public override FuzzOutcome Execute(byte[] input)
    {
        if (input.Length < PrefixLength)
        {
            return FuzzOutcome.Ignored;
        }

        var key = (ApiKey)BinaryPrimitives.ReadInt16BigEndian(input);
        if (!MessageCatalog.IsKnown(key))
        {
            return FuzzOutcome.Ignored;
        }

        short version = FoldVersion(key, BinaryPrimitives.ReadInt16BigEndian(input.AsSpan(2)));
        try
        {
            var reader = new ProtocolReader(input.AsMemory(PrefixLength));
            _ = ResponseHeader.Read(ref reader, MessageCatalog.ResponseHeaderVersion(key, version));
            _ = MessageCatalog.ReadResponse(key, ref reader, version);
            return FuzzOutcome.Decoded;
        }
        catch (ProtocolException)
        {
            return FuzzOutcome.Rejected;
        }
    }

    public override long AllocationBound(int length) => (long)FuzzLimits.AllocationPerInputByte * length + FuzzLimits.ResponseSlack;

    /// <summary>The input prefix that selects <paramref name="key"/> at <paramref name="version"/>.</summary>
    public static byte[] Prefix(ApiKey key, short version)
    {
        byte[] prefix = new byte[PrefixLength];
        BinaryPrimitives.WriteInt16BigEndian(prefix, (short)key);
        BinaryPrimitives.WriteInt16BigEndian(prefix.AsSpan(2), version);
        return prefix;
    }

    /// <summary>A version in the key's range; one already in range stays as it is.</summary>
    private static short FoldVersion(ApiKey key, short version)
    {
        var (lowest, highest) = MessageCatalog.Versions(key);
        int span = highest - lowest + 1;
        int offset = ((version - lowest) % span + span) % span;
        return (short)(lowest + offset);
    }
}
