namespace Samsa.Network;

/// <summary>An encoded request frame (size prefix included) in a pooled array, queued for the write loop.</summary>
internal readonly record struct OutgoingFrame(byte[] Buffer, int Length);
