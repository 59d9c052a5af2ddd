namespace Samsa;

/// <summary>Which clients a configuration property applies to.</summary>
public enum ConfigScope
{
    /// <summary>Every client: producer, consumer and admin.</summary>
    Common,

    /// <summary>Producers only.</summary>
    Producer,

    /// <summary>Consumers only.</summary>
    Consumer,
}
