namespace Samsa;

/// <summary>
/// The type of a key or value a consumer does not want decoded: <see cref="Deserializers.Ignore"/> skips the
/// bytes and returns null. It has no instances.
/// </summary>
public sealed class Ignore
{
    private Ignore()
    {
    }
}
