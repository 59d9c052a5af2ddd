namespace Samsa;

/// <summary>
/// The type of a key or value that is always null, e.g. <c>Message&lt;Null, string&gt;</c> for messages
/// without keys. It has no instances.
/// </summary>
public sealed class Null
{
    private Null()
    {
    }
}
