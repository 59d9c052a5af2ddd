using Samsa.Native.Abi;

namespace Samsa.Native.Clients;

/// <summary>
/// What a samsa_conf_t holds: the properties as set (each checked when set, by the managed rules) and the
/// callbacks. A client reads it once, when it is created, through <c>ProducerConfig.FromProperties</c> or
/// <c>ConsumerConfig.FromProperties</c>; properties of the other client kind are then ignored with a warning.
/// </summary>
internal sealed unsafe class NativeConf
{
    // Keyed by canonical name, so that an alias set after its property replaces it; insertion order is kept.
    private readonly List<KeyValuePair<string, string>> _properties = [];

    public IReadOnlyList<KeyValuePair<string, string>> Properties => _properties;

    public delegate* unmanaged<SamsaDeliveryReport*, void*, void> DeliveryCallback { get; set; }

    public void* DeliveryOpaque { get; set; }

    public delegate* unmanaged<int, byte*, byte*, void*, void> LogCallback { get; set; }

    public void* LogOpaque { get; set; }

    public delegate* unmanaged<SamsaConsumer*, int, SamsaTopicPartition*, nuint, void*, void> RebalanceCallback { get; set; }

    public void* RebalanceOpaque { get; set; }

    public delegate* unmanaged<SamsaOAuthBearerRequest*, byte*, void*, void> OAuthBearerCallback { get; set; }

    public void* OAuthBearerOpaque { get; set; }

    /// <summary>Checks and sets a property.</summary>
    /// <exception cref="ConfigException">Unknown name or unacceptable value.</exception>
    public void Set(string name, string value)
    {
        ConfigProperties.Validate(name, value);
        string canonical = ConfigProperties.CanonicalName(name) ?? name;
        for (int i = 0; i < _properties.Count; i++)
        {
            if (ConfigProperties.CanonicalName(_properties[i].Key) == canonical)
            {
                _properties.RemoveAt(i);
                break;
            }
        }

        _properties.Add(new(name, value));
    }

    /// <summary>The value set for the property (by any of its names), or null.</summary>
    public string? Get(string name)
    {
        string canonical = ConfigProperties.CanonicalName(name) ?? name;
        foreach (KeyValuePair<string, string> p in _properties)
        {
            if (ConfigProperties.CanonicalName(p.Key) == canonical)
            {
                return p.Value;
            }
        }

        return null;
    }

    public NativeConf Clone()
    {
        var copy = new NativeConf
        {
            DeliveryCallback = DeliveryCallback,
            DeliveryOpaque = DeliveryOpaque,
            LogCallback = LogCallback,
            LogOpaque = LogOpaque,
            RebalanceCallback = RebalanceCallback,
            RebalanceOpaque = RebalanceOpaque,
            OAuthBearerCallback = OAuthBearerCallback,
            OAuthBearerOpaque = OAuthBearerOpaque,
        };
        copy._properties.AddRange(_properties);
        return copy;
    }
}
