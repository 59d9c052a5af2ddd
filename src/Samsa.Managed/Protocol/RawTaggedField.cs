namespace Samsa.Protocol;

/// <summary>A tagged field this version of the client does not know, kept so that it survives a round trip.</summary>
public readonly record struct RawTaggedField(int Tag, byte[] Data);
