using System.Globalization;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Admin;

/// <summary>
/// DescribeConfigs and IncrementalAlterConfigs. A broker's (or broker logger's) configuration goes to that
/// broker; every other resource (topics, groups, client metrics, the cluster-wide broker default) to the
/// controller.
/// </summary>
internal static class ConfigOperations
{
    private const int Controller = -1;

    public static async Task<IReadOnlyList<DescribeConfigsResult>> DescribeConfigsAsync(AdminContext context, IReadOnlyList<ConfigResource> resources,
        bool includeSynonyms, bool includeDocumentation, AdminOptions? options, CancellationToken cancellationToken)
    {
        foreach (ConfigResource resource in resources)
        {
            Validate(resource);
        }

        using AdminCall call = context.Begin("DescribeConfigs", options, cancellationToken);
        var items = new PendingItems<ConfigResource, DescribeConfigsResult>(resources);
        Func<ConfigResource, ErrorCode, string?, DescribeConfigsResult> failed = (r, e, m) => new DescribeConfigsResult(r, e, m);
        await AdminRetry.RunAsync(call, items, pending => AdminFanOut.RunAsync(items, ByDestination(pending), async (destination, keys) =>
        {
            KafkaConnection connection = await Connect(context, call, destination, ApiKey.DescribeConfigs).ConfigureAwait(false);
            short version = connection.ResolveVersion(ApiKey.DescribeConfigs);
            var request = new DescribeConfigsRequest { IncludeSynonyms = includeSynonyms, IncludeDocumentation = includeDocumentation };
            foreach (ConfigResource resource in keys)
            {
                request.Resources.Add(new DescribeConfigsRequest.DescribeConfigsResource
                {
                    ResourceType = (sbyte)resource.Type,
                    ResourceName = resource.Name,
                    ConfigurationKeys = null,
                });
            }

            DescribeConfigsResponse response = await connection.SendAsync<DescribeConfigsRequest, DescribeConfigsResponse>(request, call.Token, version, call.RequestTimeout).ConfigureAwait(false);
            foreach (DescribeConfigsResponse.DescribeConfigsResult r in response.Results)
            {
                var resource = new ConfigResource((ConfigResourceType)r.ResourceType, r.ResourceName);
                var error = (ErrorCode)r.ErrorCode;
                if (AdminRetry.RetryControllerError(context, items, resource, error, r.ErrorMessage))
                {
                    continue;
                }

                items.Complete(resource, new DescribeConfigsResult(resource, error, AdminContext.Message(error, r.ErrorMessage)) { Entries = Entries(r, version) });
            }

            items.CompleteUnanswered(keys, "DescribeConfigs", failed);
        }, failed), failed).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("DescribeConfigs", items.Results());
    }

    public static async Task<IReadOnlyList<AlterConfigsResult>> IncrementalAlterConfigsAsync(AdminContext context,
        IReadOnlyList<KeyValuePair<ConfigResource, IReadOnlyList<ConfigAlteration>>> alterations, AdminOptions? options, CancellationToken cancellationToken)
    {
        var byResource = new Dictionary<ConfigResource, IReadOnlyList<ConfigAlteration>>();
        var order = new List<ConfigResource>(alterations.Count);
        foreach (var (resource, changes) in alterations)
        {
            Validate(resource);
            ArgumentNullException.ThrowIfNull(changes);
            foreach (ConfigAlteration change in changes)
            {
                ArgumentNullException.ThrowIfNull(change);
                if (string.IsNullOrEmpty(change.Name))
                {
                    throw new ArgumentException($"{resource}: a configuration name must not be empty.", nameof(alterations));
                }
            }

            byResource[resource] = changes;
            order.Add(resource);
        }

        using AdminCall call = context.Begin("IncrementalAlterConfigs", options, cancellationToken);
        var items = new PendingItems<ConfigResource, AlterConfigsResult>(order);
        Func<ConfigResource, ErrorCode, string?, AlterConfigsResult> failed = (r, e, m) => new AlterConfigsResult(r, e, m);
        await AdminRetry.RunAsync(call, items, pending => AdminFanOut.RunAsync(items, ByDestination(pending), async (destination, keys) =>
        {
            KafkaConnection connection = await Connect(context, call, destination, ApiKey.IncrementalAlterConfigs).ConfigureAwait(false);
            var request = new IncrementalAlterConfigsRequest { ValidateOnly = call.ValidateOnly };
            foreach (ConfigResource resource in keys)
            {
                var entry = new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = (sbyte)resource.Type, ResourceName = resource.Name };
                foreach (ConfigAlteration change in byResource[resource])
                {
                    entry.Configs.Add(new IncrementalAlterConfigsRequest.AlterableConfig { Name = change.Name, ConfigOperation = (sbyte)change.Operation, Value = change.Value });
                }

                request.Resources.Add(entry);
            }

            IncrementalAlterConfigsResponse response = await connection.SendAsync<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>(
                request, call.Token, -1, call.RequestTimeout).ConfigureAwait(false);
            foreach (IncrementalAlterConfigsResponse.AlterConfigsResourceResponse r in response.Responses)
            {
                var resource = new ConfigResource((ConfigResourceType)r.ResourceType, r.ResourceName);
                var error = (ErrorCode)r.ErrorCode;
                if (AdminRetry.RetryControllerError(context, items, resource, error, r.ErrorMessage))
                {
                    continue;
                }

                items.Complete(resource, new AlterConfigsResult(resource, error, AdminContext.Message(error, r.ErrorMessage)));
            }

            items.CompleteUnanswered(keys, "IncrementalAlterConfigs", failed);
        }, failed), failed).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("IncrementalAlterConfigs", items.Results());
    }

    private static Dictionary<int, List<ConfigResource>> ByDestination(List<ConfigResource> pending)
    {
        var map = new Dictionary<int, List<ConfigResource>>();
        foreach (ConfigResource resource in pending)
        {
            int destination = Controller;
            if (resource.Type is ConfigResourceType.Broker or ConfigResourceType.BrokerLogger && resource.Name.Length > 0)
            {
                destination = int.Parse(resource.Name, NumberStyles.None, CultureInfo.InvariantCulture);
            }

            if (!map.TryGetValue(destination, out List<ConfigResource>? list))
            {
                map[destination] = list = [];
            }

            list.Add(resource);
        }

        return map;
    }

    private static Task<KafkaConnection> Connect(AdminContext context, AdminCall call, int destination, ApiKey api) =>
        destination == Controller ? context.ControllerAsync(call, api) : context.BrokerAsync(call, destination, api);

    private static List<ConfigEntry> Entries(DescribeConfigsResponse.DescribeConfigsResult r, short version)
    {
        var entries = new List<ConfigEntry>(r.Configs.Count);
        foreach (DescribeConfigsResponse.DescribeConfigsResourceResult c in r.Configs)
        {
            var source = (ConfigSource)c.ConfigSource;
            var synonyms = new List<ConfigSynonym>(c.Synonyms.Count);
            foreach (DescribeConfigsResponse.DescribeConfigsSynonym s in c.Synonyms)
            {
                synonyms.Add(new ConfigSynonym(s.Name, s.Value, (ConfigSource)s.Source));
            }

            entries.Add(new ConfigEntry(c.Name, c.Value)
            {
                // v0 has an is-default flag; v1+ has the source instead.
                Source = version >= 1 ? source : ConfigSource.Unknown,
                IsDefault = version >= 1 ? source == ConfigSource.DefaultConfig : c.IsDefaultValue,
                IsReadOnly = c.ReadOnly,
                IsSensitive = c.IsSensitive,
                ConfigType = version >= 3 ? c.ConfigType : (sbyte)0,
                Documentation = c.Documentation,
                Synonyms = synonyms,
            });
        }

        return entries;
    }

    private static void Validate(ConfigResource resource)
    {
        if (resource.Type == ConfigResourceType.Unknown || !Enum.IsDefined(resource.Type))
        {
            throw new ArgumentException($"{resource}: not a configurable resource type.", nameof(resource));
        }

        if (resource.Name is null || (resource.Name.Length == 0 && resource.Type != ConfigResourceType.Broker))
        {
            throw new ArgumentException($"{resource.Type}: the resource name must not be empty.", nameof(resource));
        }

        if (resource.Type is ConfigResourceType.Broker or ConfigResourceType.BrokerLogger && resource.Name.Length > 0
            && !int.TryParse(resource.Name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new ArgumentException($"{resource}: a broker is named by its numeric id.", nameof(resource));
        }
    }
}
