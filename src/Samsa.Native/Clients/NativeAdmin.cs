using System.Text;
using Samsa.Native.Interop;

namespace Samsa.Native.Clients;

/// <summary>
/// What a samsa_admin_t points to: the public <see cref="AdminClient"/>, called synchronously. Per-item outcomes
/// go to the caller's errors array; the return value is SAMSA_OK or the first failure's code, and
/// samsa_last_errstr() then names every failed item.
/// </summary>
internal sealed unsafe class NativeAdmin : IDisposable
{
    private readonly AdminClient _admin;

    private NativeAdmin(AdminClient admin)
    {
        _admin = admin;
    }

    public static NativeAdmin Create(NativeConf conf) => new(new AdminClient(AdminConfig.FromProperties(conf.Properties)));

    public int CreateTopics(byte** topics, nuint count, int partitions, int replicationFactor, int timeoutMs, int* errors)
    {
        if (partitions == 0 || partitions < -1 || replicationFactor == 0 || replicationFactor < -1 || replicationFactor > short.MaxValue)
        {
            return Errors.Invalid("partitions and replication_factor must be positive, or -1 for the broker's default");
        }

        List<string> names = Names(topics, count, errors);
        var newTopics = names.ConvertAll(n => new NewTopic(n, partitions, (short)replicationFactor));
        return Run(names.Count, errors, () => _admin.CreateTopicsAsync(newTopics, Options(timeoutMs)));
    }

    public int DeleteTopics(byte** topics, nuint count, int timeoutMs, int* errors)
    {
        List<string> names = Names(topics, count, errors);
        return Run(names.Count, errors, () => _admin.DeleteTopicsAsync(names, Options(timeoutMs)));
    }

    public int ListTopics(int timeoutMs, delegate* unmanaged<byte*, int, void*, void> callback, void* opaque)
    {
        IReadOnlyList<TopicListing> topics = _admin.ListTopicsAsync(includeInternal: true, Options(timeoutMs)).GetAwaiter().GetResult();
        foreach (TopicListing t in topics)
        {
            fixed (byte* name = Terminated(t.Name))
            {
                callback(name, t.IsInternal ? 1 : 0, opaque);
            }
        }

        Errors.Clear();
        return Errors.Ok;
    }

    public int ListGroups(int timeoutMs, delegate* unmanaged<byte*, byte*, byte*, int, void*, void> callback, void* opaque)
    {
        IReadOnlyList<GroupListing> groups;
        int result = Errors.Ok;
        try
        {
            groups = _admin.ListGroupsAsync(options: Options(timeoutMs)).GetAwaiter().GetResult();
        }
        catch (ListGroupsException e)
        {
            // The groups of the brokers that answered are still reported; the call returns the failure.
            groups = e.Groups;
            result = Errors.From(e);
        }

        foreach (GroupListing g in groups)
        {
            fixed (byte* id = Terminated(g.GroupId))
            fixed (byte* state = Terminated(g.State))
            fixed (byte* type = Terminated(g.ProtocolType))
            {
                callback(id, state, type, g.CoordinatorId, opaque);
            }
        }

        if (result == Errors.Ok)
        {
            Errors.Clear();
        }

        return result;
    }

    public void Dispose() => _admin.Dispose();

    private static AdminOptions Options(int timeoutMs) =>
        timeoutMs > 0 ? new AdminOptions { RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs) } : AdminOptions.Default;

    private static List<string> Names(byte** topics, nuint count, int* errors)
    {
        if (topics is null || count == 0 || count > int.MaxValue)
        {
            throw new ArgumentException("Invalid argument: topics is NULL or topic_cnt is 0.");
        }

        var names = new List<string>((int)count);
        for (nuint i = 0; i < count; i++)
        {
            names.Add(topics[i] is null ? throw new ArgumentException($"Invalid argument: topics[{i}] is NULL.") : Utf8.Decode(topics[i], "topic name"));
        }

        if (errors is not null)
        {
            new Span<int>(errors, (int)count).Clear();
        }

        return names;
    }

    /// <summary>Runs a per-item operation: fills errors[] (when given) and returns SAMSA_OK or the first failure's code.</summary>
    private static int Run<TResult>(int count, int* errors, Func<Task<IReadOnlyList<TResult>>> operation)
        where TResult : IAdminResult
    {
        try
        {
            operation().GetAwaiter().GetResult();
            Errors.Clear();
            return Errors.Ok;
        }
        catch (AdminException<TResult> e)
        {
            for (int i = 0; errors is not null && i < count && i < e.Results.Count; i++)
            {
                errors[i] = (int)e.Results[i].Error;
            }

            return Errors.From(e);
        }
        catch (KafkaException e)
        {
            for (int i = 0; errors is not null && i < count; i++)
            {
                errors[i] = (int)e.Error;
            }

            return Errors.From(e);
        }
    }

    private static byte[] Terminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
