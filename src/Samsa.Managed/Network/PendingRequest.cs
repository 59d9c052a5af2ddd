using Samsa.Protocol;

namespace Samsa.Network;

/// <summary>A request on the wire awaiting its response; responses arrive in send order.</summary>
internal sealed class PendingRequest : TaskCompletionSource<ResponseFrame>
{
    public PendingRequest(ApiKey apiKey, short version, short responseHeaderVersion, long deadline)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        ApiKey = apiKey;
        Version = version;
        ResponseHeaderVersion = responseHeaderVersion;
        Deadline = deadline;
    }

    public ApiKey ApiKey { get; }

    public short Version { get; }

    public short ResponseHeaderVersion { get; }

    public int CorrelationId { get; set; }

    /// <summary>Environment.TickCount64 after which the request has timed out.</summary>
    public long Deadline { get; }

    /// <summary>Hands the frame to the waiter, or frees it when nobody waits any more (cancelled).</summary>
    public void Deliver(ResponseFrame frame)
    {
        if (!TrySetResult(frame))
        {
            frame.Dispose();
        }
    }
}
