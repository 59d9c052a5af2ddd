using System.Reflection;

namespace Samsa.Soak;

/// <summary>
/// Reads the producer's internal batch pool size by reflection (the soak is not a friend assembly of the client,
/// and this is a diagnostic only): Producer._engine._pool (Count, PooledBytes). Gives -1 when the shape is not what is expected.
/// </summary>
internal static class ProducerProbe
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;

    public static long PooledBatches(object producer) => Pool(producer, "Count") is int pooled ? pooled : -1;

    public static long PooledBytes(object producer) => Pool(producer, "PooledBytes") is long bytes ? bytes : -1;

    private static object? Pool(object producer, string property)
    {
        object? engine = producer.GetType().GetField("_engine", Instance)?.GetValue(producer);
        object? pool = engine?.GetType().GetField("_pool", Instance)?.GetValue(engine);
        return pool?.GetType().GetProperty(property, BindingFlags.Instance | BindingFlags.Public)?.GetValue(pool);
    }
}
