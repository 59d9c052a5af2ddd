using Samsa.TestCluster.Native;

namespace Samsa.TestCluster;

/// <summary>Error injection and request tracking.</summary>
public sealed unsafe partial class MockCluster
{
    /// <summary>
    /// Queues errors for the next requests of <paramref name="apiKey"/>, whichever broker receives them: each
    /// request takes the next error in order. <c>_TRANSPORT</c> (-195) closes the connection instead.
    /// </summary>
    public void PushRequestErrors(short apiKey, ReadOnlySpan<int> errorCodes)
    {
        if (errorCodes.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            fixed (int* errors = errorCodes)
            {
                RdKafkaMock.PushRequestErrorsArray(Handle, apiKey, (nuint)errorCodes.Length, errors);
            }
        }
    }

    /// <summary>Drops the cluster-wide errors still queued for <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(short apiKey)
    {
        lock (_gate)
        {
            RdKafkaMock.ClearRequestErrors(Handle, apiKey);
        }
    }

    /// <summary>
    /// Queues errors, each with a response delay, for the next requests of <paramref name="apiKey"/> that
    /// <paramref name="brokerId"/> receives. An error code of 0 only delays the response.
    /// </summary>
    public void PushBrokerRequestErrorRtts(int brokerId, short apiKey, ReadOnlySpan<MockErrorRtt> errors)
    {
        ValidateBroker(brokerId);
        foreach (MockErrorRtt e in errors)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(e.RttMs, nameof(errors));
        }

        lock (_gate)
        {
            // One native call per pair: the native function is variadic, and one pair per call keeps every
            // argument in registers (see RdKafkaMock.BrokerPushRequestErrorRtt). Each call appends in order.
            foreach (MockErrorRtt e in errors)
            {
                Check(RdKafkaMock.BrokerPushRequestErrorRtt(Handle, brokerId, apiKey, 1, e.ErrorCode, e.RttMs),
                    $"push error for broker {brokerId}");
            }
        }
    }

    /// <summary>How many injected errors are still queued on a broker for an API.</summary>
    public int BrokerErrorStackCount(int brokerId, short apiKey)
    {
        ValidateBroker(brokerId);
        lock (_gate)
        {
            nuint count;
            Check(RdKafkaMock.BrokerErrorStackCount(Handle, brokerId, apiKey, &count), $"error stack of broker {brokerId}");
            return (int)count;
        }
    }

    /// <summary>Starts recording every request the brokers receive (clears earlier records).</summary>
    public void StartRequestTracking()
    {
        lock (_gate)
        {
            RdKafkaMock.StartRequestTracking(Handle);
        }
    }

    /// <summary>Stops recording. The mock discards the records at the same time: read them first.</summary>
    public void StopRequestTracking()
    {
        lock (_gate)
        {
            RdKafkaMock.StopRequestTracking(Handle);
        }
    }

    /// <summary>Discards the requests recorded so far; tracking goes on.</summary>
    public void ClearRequests()
    {
        lock (_gate)
        {
            RdKafkaMock.ClearRequests(Handle);
        }
    }

    /// <summary>The requests recorded since tracking started (or was cleared), in arrival order.</summary>
    public IReadOnlyList<MockRequest> GetRequests()
    {
        lock (_gate)
        {
            nuint count;
            nint* requests = RdKafkaMock.GetRequests(Handle, &count);
            if (requests is null || count == 0)
            {
                return [];
            }

            try
            {
                var result = new MockRequest[(int)count];
                for (int i = 0; i < result.Length; i++)
                {
                    nint r = requests[i];
                    result[i] = new MockRequest(
                        RdKafkaMock.RequestBrokerId(r), RdKafkaMock.RequestApiKey(r), RdKafkaMock.RequestTimestamp(r));
                }

                return result;
            }
            finally
            {
                RdKafkaMock.RequestDestroyArray(requests, count);
            }
        }
    }
}
