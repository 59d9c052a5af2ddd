namespace Samsa.Producer;

/// <summary>
/// Turns the engine's per-record outcome into what the caller asked for: an <see cref="IDeliveryHandler"/>
/// call, a completed promise, a delivery-report delegate. Implemented by the public producer, which knows
/// its key and value types.
/// </summary>
internal interface IDeliveryDispatcher
{
    void Dispatch(in DeliveryEvent delivery, object? callback, object? state);
}
