using System.Buffers;
using System.Text;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport;

/// <summary>A captured request read with the generated classes.</summary>
public sealed record DecodedRequest(RequestHeader Header, int HeaderLength, IKafkaMessage Body, int Trailing);

/// <summary>A captured response read with the generated classes.</summary>
public sealed record DecodedResponse(ResponseHeader Header, IKafkaMessage Body, int Trailing);

/// <summary>Reads and re-writes captured frames with Samsa's generated messages.</summary>
public static class FrameCodec
{
    /// <summary>Header and body at the frame's versions; Trailing counts bytes the body did not consume.</summary>
    public static DecodedRequest DecodeRequest(CapturedFrame frame)
    {
        var reader = new ProtocolReader(frame.Frame);
        RequestHeader header = RequestHeader.Read(ref reader, frame.HeaderVersion);
        int headerLength = reader.Position;
        IKafkaMessage body = MessageCatalog.ReadRequest(frame.ApiKey, ref reader, frame.Version);
        return new DecodedRequest(header, headerLength, body, reader.Remaining);
    }

    /// <summary>Header and body at the frame's versions; Trailing counts bytes the body did not consume.</summary>
    public static DecodedResponse DecodeResponse(CapturedFrame frame)
    {
        var reader = new ProtocolReader(frame.Frame);
        ResponseHeader header = ResponseHeader.Read(ref reader, frame.HeaderVersion);
        IKafkaMessage body = MessageCatalog.ReadResponse(frame.ApiKey, ref reader, frame.Version);
        return new DecodedResponse(header, body, reader.Remaining);
    }

    /// <summary>Writes a header and a body as one frame (without size prefix).</summary>
    public static byte[] Encode(IKafkaMessage header, short headerVersion, IKafkaMessage body, short version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ProtocolWriter(buffer);
        header.Write(ref writer, headerVersion);
        body.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a body alone.</summary>
    public static byte[] Encode(IKafkaMessage body, short version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ProtocolWriter(buffer);
        body.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Null when equal, else where and how two byte strings first differ.</summary>
    public static string? Difference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        int common = Math.Min(expected.Length, actual.Length);
        int at = expected[..common].CommonPrefixLength(actual[..common]);
        if (at == common && expected.Length == actual.Length)
        {
            return null;
        }

        var sb = new StringBuilder();
        sb.Append("lengths ").Append(expected.Length).Append(" (captured) vs ").Append(actual.Length)
            .Append(" (re-encoded), first difference at byte ").Append(at).Append(": captured ...")
            .Append(Window(expected, at)).Append(" re-encoded ...").Append(Window(actual, at));
        return sb.ToString();
    }

    private static string Window(ReadOnlySpan<byte> bytes, int at)
    {
        int from = Math.Max(0, at - 8);
        int to = Math.Min(bytes.Length, at + 16);
        return Convert.ToHexStringLower(bytes[from..at]) + "|" + Convert.ToHexStringLower(bytes[at..to]);
    }
}
