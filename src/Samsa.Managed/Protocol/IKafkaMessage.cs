namespace Samsa.Protocol;

/// <summary>A message or structure that writes itself at a given version.</summary>
public interface IKafkaMessage
{
    /// <summary>Writes the message at <paramref name="version"/>; fields the version lacks are left out.</summary>
    void Write(ref ProtocolWriter writer, short version);
}

/// <summary>A top-level message (request, response, header or embedded data) with its version range.</summary>
public interface IKafkaMessage<TSelf> : IKafkaMessage
    where TSelf : IKafkaMessage<TSelf>
{
    /// <summary>Lowest version the specification defines.</summary>
    static abstract short LowestSupportedVersion { get; }

    /// <summary>Highest version the specification defines.</summary>
    static abstract short HighestSupportedVersion { get; }

    /// <summary>True where the version uses compact encodings and tagged fields.</summary>
    static abstract bool IsFlexible(short version);

    /// <summary>Reads the message at <paramref name="version"/>.</summary>
    static abstract TSelf Read(ref ProtocolReader reader, short version);
}

/// <summary>A request, which knows its API key, its response type and its header versions.</summary>
public interface IKafkaRequest<TSelf, TResponse> : IKafkaMessage<TSelf>
    where TSelf : IKafkaRequest<TSelf, TResponse>
    where TResponse : IKafkaMessage<TResponse>
{
    /// <summary>The API this request belongs to.</summary>
    static abstract ApiKey ApiKey { get; }

    /// <summary>Request header version for a request version (2 when flexible, else 1).</summary>
    static abstract short RequestHeaderVersion(short version);

    /// <summary>Response header version (1 when flexible, else 0; ApiVersions always 0).</summary>
    static abstract short ResponseHeaderVersion(short version);
}
