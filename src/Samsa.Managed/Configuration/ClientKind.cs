namespace Samsa;

/// <summary>The kind of client a configuration builds.</summary>
public enum ClientKind
{
    /// <summary>A producer (<see cref="ProducerConfig"/>).</summary>
    Producer,

    /// <summary>A consumer (<see cref="ConsumerConfig"/>).</summary>
    Consumer,

    /// <summary>An admin client (<see cref="AdminConfig"/>).</summary>
    Admin,
}
