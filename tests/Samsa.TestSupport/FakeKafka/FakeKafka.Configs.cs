using System.Globalization;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport;

public sealed partial class FakeKafka
{
    /// <summary>Defaults every topic reports for entries it did not set.</summary>
    public static readonly IReadOnlyDictionary<string, string> TopicDefaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = "delete",
        ["retention.ms"] = "604800000",
        ["segment.bytes"] = "1073741824",
    };

    private DescribeConfigsResponse DescribeConfigs(int broker, DescribeConfigsRequest request, short version)
    {
        var response = new DescribeConfigsResponse();
        ErrorCode injected = TakeInjected(ApiKey.DescribeConfigs);
        foreach (DescribeConfigsRequest.DescribeConfigsResource r in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = r.ResourceType, ResourceName = r.ResourceName };
            (ErrorCode error, string? message, IEnumerable<(string Name, string Value, sbyte Source)>? entries) = injected != ErrorCode.None
                ? (injected, null, null)
                : Entries(broker, (ConfigResourceType)r.ResourceType, r.ResourceName);
            result.ErrorCode = (short)error;
            result.ErrorMessage = message;
            foreach (var (name, value, source) in entries ?? [])
            {
                if (r.ConfigurationKeys is { } keys && !keys.Contains(name))
                {
                    continue;
                }

                var entry = new DescribeConfigsResponse.DescribeConfigsResourceResult
                {
                    Name = name,
                    Value = value,
                    ConfigSource = source,
                    IsDefaultValue = source == (sbyte)ConfigSource.DefaultConfig,
                    ConfigType = 2,
                    Documentation = request.IncludeDocumentation ? "About " + name : null,
                };
                if (request.IncludeSynonyms)
                {
                    entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = name, Value = value, Source = source });
                }

                result.Configs.Add(entry);
            }

            response.Results.Add(result);
        }

        return response;
    }

    private (ErrorCode, string?, IEnumerable<(string, string, sbyte)>?) Entries(int broker, ConfigResourceType type, string name)
    {
        switch (type)
        {
            case ConfigResourceType.Topic:
                if (!_topics.TryGetValue(name, out FakeTopic? topic))
                {
                    return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.", null);
                }

                var entries = new List<(string, string, sbyte)>();
                foreach (var (key, value) in TopicDefaults)
                {
                    if (!topic.Configs.ContainsKey(key))
                    {
                        entries.Add((key, value, (sbyte)ConfigSource.DefaultConfig));
                    }
                }

                foreach (var (key, value) in topic.Configs)
                {
                    entries.Add((key, value, (sbyte)ConfigSource.DynamicTopicConfig));
                }

                entries.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
                return (ErrorCode.None, null, entries);
            case ConfigResourceType.Broker:
                if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id != broker)
                {
                    return (ErrorCode.InvalidRequest, $"Broker {broker} cannot describe the configuration of broker '{name}'.", null);
                }

                return (ErrorCode.None, null, _brokerConfigs[broker].Select(kv => (kv.Key, kv.Value, (sbyte)ConfigSource.StaticBrokerConfig)).ToList());
            default:
                return (ErrorCode.InvalidRequest, $"Resource type {type} is not supported here.", null);
        }
    }

    private IncrementalAlterConfigsResponse IncrementalAlterConfigs(int broker, IncrementalAlterConfigsRequest request)
    {
        var response = new IncrementalAlterConfigsResponse();
        ErrorCode injected = TakeInjected(ApiKey.IncrementalAlterConfigs);
        foreach (IncrementalAlterConfigsRequest.AlterConfigsResource r in request.Resources)
        {
            ErrorCode error = injected;
            string? message = null;
            Dictionary<string, string>? target = null;
            if (error == ErrorCode.None)
            {
                switch ((ConfigResourceType)r.ResourceType)
                {
                    case ConfigResourceType.Topic when _topics.TryGetValue(r.ResourceName, out FakeTopic? topic):
                        target = topic.Configs;
                        break;
                    case ConfigResourceType.Topic:
                        (error, message) = (ErrorCode.UnknownTopicOrPartition, $"Topic '{r.ResourceName}' does not exist.");
                        break;
                    case ConfigResourceType.Broker when r.ResourceName == broker.ToString(CultureInfo.InvariantCulture):
                        target = _brokerConfigs[broker];
                        break;
                    default:
                        (error, message) = (ErrorCode.InvalidRequest, $"Broker {broker} cannot alter {(ConfigResourceType)r.ResourceType} '{r.ResourceName}'.");
                        break;
                }
            }

            if (target is not null)
            {
                var copy = new Dictionary<string, string>(target, StringComparer.Ordinal);
                foreach (IncrementalAlterConfigsRequest.AlterableConfig c in r.Configs)
                {
                    (error, message) = Apply(copy, c);
                    if (error != ErrorCode.None)
                    {
                        break;
                    }
                }

                if (error == ErrorCode.None && !request.ValidateOnly)
                {
                    target.Clear();
                    foreach (var (k, v) in copy)
                    {
                        target[k] = v;
                    }
                }
            }

            response.Responses.Add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ResourceType = r.ResourceType,
                ResourceName = r.ResourceName,
                ErrorCode = (short)error,
                ErrorMessage = message,
            });
        }

        return response;
    }

    private static (ErrorCode, string?) Apply(Dictionary<string, string> configs, IncrementalAlterConfigsRequest.AlterableConfig c)
    {
        if (c.Name.StartsWith("bogus", StringComparison.Ordinal))
        {
            return (ErrorCode.InvalidConfig, "Unknown config name: " + c.Name);
        }

        List<string> list = configs.TryGetValue(c.Name, out string? current) && current.Length > 0 ? [.. current.Split(',')] : [];
        switch ((AlterConfigOperation)c.ConfigOperation)
        {
            case AlterConfigOperation.Set:
                configs[c.Name] = c.Value ?? "";
                return (ErrorCode.None, null);
            case AlterConfigOperation.Delete:
                configs.Remove(c.Name);
                return (ErrorCode.None, null);
            case AlterConfigOperation.Append:
                list.Add(c.Value ?? "");
                configs[c.Name] = string.Join(",", list);
                return (ErrorCode.None, null);
            case AlterConfigOperation.Subtract:
                list.Remove(c.Value ?? "");
                configs[c.Name] = string.Join(",", list);
                return (ErrorCode.None, null);
            default:
                return (ErrorCode.InvalidRequest, $"Unknown config operation {c.ConfigOperation}.");
        }
    }
}
