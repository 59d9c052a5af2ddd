namespace Samsa;

/// <summary>
/// Bytes on the wire that do not decode: a truncated or oversized frame, a length that points past the end,
/// an unexpected correlation id. The connection that carried them is closed.
/// </summary>
public sealed class ProtocolException : KafkaException
{
    public ProtocolException(string message, Exception? innerException = null)
        : base(ErrorCode.LocalProtocol, message, innerException)
    {
    }

    public override bool IsRetriable => true;
}
