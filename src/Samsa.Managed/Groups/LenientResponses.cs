using Samsa.Network;
using Samsa.Protocol;

namespace Samsa.Groups;

/// <summary>
/// Sends a JoinGroup or SyncGroup and, when an error response does not decode, still reads its error code.
/// librdkafka's mock cluster writes nulls into non-nullable fields of these error responses (the protocol
/// name and member id of JoinGroup, the assignment of SyncGroup); the code alone tells the member what to do.
/// A response without an error must decode in full.
/// </summary>
internal static class LenientResponses
{
    /// <param name="throttleFrom">The first version whose response starts with ThrottleTimeMs before ErrorCode.</param>
    public static async ValueTask<(TResponse? Response, ErrorCode Error)> SendAsync<TRequest, TResponse>(
        KafkaConnection connection, TRequest request, short version, short throttleFrom, TimeSpan timeout, CancellationToken cancellationToken)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : class, IKafkaMessage<TResponse>
    {
        using ResponseFrame frame = await connection.SendFrameAsync<TRequest, TResponse>(request, version, timeout, cancellationToken).ConfigureAwait(false);
        ReadOnlyMemory<byte> body = frame.Body(TRequest.ResponseHeaderVersion(version));
        ProtocolException failure;
        try
        {
            var reader = new ProtocolReader(body);
            return (TResponse.Read(ref reader, version), ErrorCode.None);
        }
        catch (ProtocolException ex)
        {
            failure = ex;
        }

        var prefix = new ProtocolReader(body);
        if (version >= throttleFrom && prefix.Remaining >= 4)
        {
            prefix.ReadInt32();
        }

        var error = prefix.Remaining >= 2 ? (ErrorCode)prefix.ReadInt16() : ErrorCode.None;
        if (error == ErrorCode.None)
        {
            throw new ProtocolException($"Malformed {TRequest.ApiKey} v{version} response from {connection.Name}: {failure.Reason}", failure);
        }

        return (null, error);
    }
}
