using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;

namespace Samsa;

/// <summary>
/// The pooled completion behind <see cref="Producer{TKey, TValue}.ProduceAsync(string, Message{TKey, TValue}, CancellationToken)"/>:
/// no Task or TaskCompletionSource per message.
/// </summary>
internal sealed class DeliveryPromise<TKey, TValue> : IValueTaskSource<DeliveryResult<TKey, TValue>>
{
    private static readonly ConcurrentQueue<DeliveryPromise<TKey, TValue>> Pool = new();
    private static int _pooled;
    private ManualResetValueTaskSourceCore<DeliveryResult<TKey, TValue>> _core = new() { RunContinuationsAsynchronously = true };

    public Message<TKey, TValue> Message { get; private set; } = null!;

    public static DeliveryPromise<TKey, TValue> Rent(Message<TKey, TValue> message)
    {
        if (!Pool.TryDequeue(out DeliveryPromise<TKey, TValue>? promise))
        {
            promise = new DeliveryPromise<TKey, TValue>();
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }

        promise.Message = message;
        return promise;
    }

    public ValueTask<DeliveryResult<TKey, TValue>> Task => new(this, _core.Version);

    public void Complete(in DeliveryEvent ev)
    {
        var result = new DeliveryResult<TKey, TValue>
        {
            Topic = ev.Topic,
            Partition = ev.Partition,
            Offset = ev.Offset,
            Timestamp = new Timestamp(ev.Timestamp, ev.TimestampType),
            Status = ev.Status,
            Message = Message,
        };
        if (ev.IsError)
        {
            _core.SetException(new ProduceException<TKey, TValue>(ev.Error, ev.ErrorMessage ?? ev.Error.Describe(), result));
        }
        else
        {
            _core.SetResult(result);
        }
    }

    public void Fail(Exception error) => _core.SetException(error);

    public DeliveryResult<TKey, TValue> GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Message = null!;
            if (Interlocked.Increment(ref _pooled) <= 4096)
            {
                Pool.Enqueue(this);
            }
            else
            {
                Interlocked.Decrement(ref _pooled);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
