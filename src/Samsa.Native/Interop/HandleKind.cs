namespace Samsa.Native.Interop;

/// <summary>What an opaque handle points to; part of the handle value, so a handle of one kind passed where another is expected is refused.</summary>
internal enum HandleKind : byte
{
    Conf = 1,
    Producer = 2,
    Consumer = 3,
    OAuthBearerRequest = 4,
    Admin = 5,
}
