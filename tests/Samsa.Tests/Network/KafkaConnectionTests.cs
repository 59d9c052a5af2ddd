using System.Buffers.Binary;
using System.Reflection;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Tests.Protocol;
using Samsa.TestSupport;

namespace Samsa.Tests.Network;

public sealed class KafkaConnectionTests
{
    private static readonly ConnectionOptions Options = new() { ClientId = "conn-test", RequestTimeout = TimeSpan.FromSeconds(5) };

    private static MetadataResponse MetadataFor(FakeBroker broker) => new()
    {
        Brokers = { new MetadataResponse.MetadataResponseBroker { NodeId = broker.NodeId, Host = "127.0.0.1", Port = broker.Port } },
        ClusterId = "fake",
        ControllerId = broker.NodeId,
    };

    [Fact]
    public async Task NegotiatesVersionsAndExchangesRequests()
    {
        await using var broker = new FakeBroker();
        broker.VersionOverrides[ApiKey.Metadata] = (0, 9);
        broker.Handler = r => r.ApiKey == ApiKey.Metadata ? new FakeReply.Message(MetadataFor(broker)) : null;

        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options, CancellationToken.None);
        Assert.Equal(3, connection.ApiVersions.Negotiated(ApiKey.ApiVersions));
        Assert.Equal(9, connection.ApiVersions.Negotiated(ApiKey.Metadata));

        MetadataResponse response = await connection.SendAsync<MetadataRequest, MetadataResponse>(new MetadataRequest(), CancellationToken.None);
        Assert.Equal("fake", response.ClusterId);
        Assert.Equal(broker.Port, Assert.Single(response.Brokers).Port);

        FakeRequest seen = broker.Received.Last();
        Assert.Equal(ApiKey.Metadata, seen.ApiKey);
        Assert.Equal(9, seen.Version);
        Assert.Equal("conn-test", seen.ClientId);
        FakeRequest apiVersions = broker.Received.First();
        Assert.Equal("samsa-dotnet", ((ApiVersionsRequest)apiVersions.Message).ClientSoftwareName);
        Assert.Equal(ThisAssembly.Version, ((ApiVersionsRequest)apiVersions.Message).ClientSoftwareVersion);
    }

    [Fact]
    public void TheSoftwareVersionConstantIsTheAssemblysInformationalVersion()
    {
        // ThisAssembly.Version is written by the build (no reflection at run time); it must say what the assembly says.
        string? informational = typeof(ThisAssembly).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Assert.NotNull(informational);
        Assert.Equal(ThisAssembly.Version, informational.Split('+')[0]);
        Assert.Matches(@"^\d+\.\d+\.\d+", ThisAssembly.Version);
    }

    [Fact]
    public async Task ApiVersionsFallsBackWhenTheBrokerRejectsTheVersion()
    {
        await using var broker = new FakeBroker();
        broker.VersionOverrides[ApiKey.ApiVersions] = (0, 2);
        broker.Handler = r =>
        {
            if (r.ApiKey != ApiKey.ApiVersions || r.Version <= 2)
            {
                return null;
            }

            // KIP-511: an unknown ApiVersions version is answered in v0 with UNSUPPORTED_VERSION.
            ApiVersionsResponse v0 = broker.DefaultApiVersions();
            v0.ErrorCode = (short)ErrorCode.UnsupportedVersion;
            v0.ApiKeys.RemoveAll(k => k.ApiKey != (short)ApiKey.ApiVersions);
            v0.ApiKeys[0].MaxVersion = 2;
            byte[] body = MessageRoundTripTests.Encode(v0, 0);
            byte[] frame = new byte[4 + body.Length];
            BinaryPrimitives.WriteInt32BigEndian(frame, r.CorrelationId);
            body.CopyTo(frame, 4);
            return new FakeReply.Raw(frame);
        };

        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options, CancellationToken.None);
        Assert.Equal(2, connection.ApiVersions.Negotiated(ApiKey.ApiVersions));
        Assert.Equal([3, 2], broker.Received.Where(r => r.ApiKey == ApiKey.ApiVersions).Select(r => (int)r.Version));
    }

    [Fact]
    public async Task PipelinesManyRequestsAndMatchesEveryResponse()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r => r.ApiKey == ApiKey.Heartbeat
            ? new FakeReply.Message(new HeartbeatResponse { ErrorCode = (short)(((HeartbeatRequest)r.Message).GenerationId % 100) })
            : null;
        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options, CancellationToken.None);

        var tasks = new List<Task<HeartbeatResponse>>();
        for (int i = 0; i < 500; i++)
        {
            tasks.Add(connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(
                new HeartbeatRequest { GroupId = "g", GenerationId = i, MemberId = "m" }, CancellationToken.None).AsTask());
        }

        HeartbeatResponse[] responses = await Task.WhenAll(tasks);
        for (int i = 0; i < responses.Length; i++)
        {
            Assert.Equal(i % 100, responses[i].ErrorCode);
        }
    }

    [Fact]
    public async Task AWrongCorrelationIdClosesTheConnectionWithAProtocolError()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r =>
        {
            if (r.ApiKey != ApiKey.Heartbeat)
            {
                return null;
            }

            byte[] frame = FakeBroker.EncodeResponse(r with { CorrelationId = r.CorrelationId + 7 }, new HeartbeatResponse())[4..];
            return new FakeReply.Raw(frame);
        };
        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options, CancellationToken.None);
        var closed = new TaskCompletionSource<Exception>();
        connection.Closed += (_, e) => closed.TrySetResult(e);

        var ex = await Assert.ThrowsAsync<ProtocolException>(async () =>
            await connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = "m" }, CancellationToken.None));
        Assert.Contains("correlation id", ex.Message, StringComparison.Ordinal);
        Assert.IsType<ProtocolException>(await closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(connection.IsConnected);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(2)]
    [InlineData(200_000_000)]
    public async Task AnOversizedOrNegativeFrameIsRejectedBeforeAllocating(int size)
    {
        await using var broker = new FakeBroker();
        broker.Handler = r =>
        {
            if (r.ApiKey != ApiKey.Heartbeat)
            {
                return null;
            }

            byte[] bogus = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(bogus, size);
            BinaryPrimitives.WriteInt32BigEndian(bogus.AsSpan(4), r.CorrelationId);
            return new FakeReply.Unframed(bogus);
        };

        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options with { MaxResponseSize = 1_000_000 }, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ProtocolException>(async () =>
            await connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = "m" }, CancellationToken.None));
        Assert.Contains($"frame of {size} bytes", ex.Message, StringComparison.Ordinal);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task ARequestWithoutAResponseTimesOutAndClosesTheConnection()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r => r.ApiKey == ApiKey.Heartbeat ? new FakeReply.Silence() : null;
        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(
            broker.Address, -1, Options with { RequestTimeout = TimeSpan.FromMilliseconds(300) }, CancellationToken.None);

        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<KafkaException>(async () =>
            await connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = "m" }, CancellationToken.None));
        Assert.Equal(ErrorCode.RequestTimedOut, ex.Error);
        Assert.True(ex.IsRetriable);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task ABrokerThatHangsUpFailsPendingRequestsWithANetworkError()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r => r.ApiKey == ApiKey.Heartbeat ? new FakeReply.Close() : null;
        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<KafkaException>(async () =>
            await connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = "m" }, CancellationToken.None));
        Assert.Equal(ErrorCode.NetworkException, ex.Error);
        Assert.Contains(connection.Name, ex.Message, StringComparison.Ordinal);

        var again = await Assert.ThrowsAsync<KafkaException>(async () =>
            await connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = "m" }, CancellationToken.None));
        Assert.Equal(ErrorCode.NetworkException, again.Error);
    }

    [Fact]
    public async Task CancellingOneRequestLeavesTheConnectionUsable()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r => r.ApiKey == ApiKey.Heartbeat
            ? new FakeReply.Delay(TimeSpan.FromMilliseconds(((HeartbeatRequest)r.Message).GenerationId), new FakeReply.Message(new HeartbeatResponse()))
            : null;
        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", GenerationId = 500, MemberId = "m" }, cts.Token));
        HeartbeatResponse ok = await connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(
            new HeartbeatRequest { GroupId = "g", GenerationId = 1, MemberId = "m" }, CancellationToken.None);
        Assert.Equal(0, ok.ErrorCode);
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task ConnectingToAClosedPortIsATransportError()
    {
        int port;
        await using (var broker = new FakeBroker())
        {
            port = broker.Port;
        }

        var ex = await Assert.ThrowsAsync<KafkaException>(async () =>
            await KafkaConnection.ConnectAsync(new BrokerAddress("127.0.0.1", port), -1, Options, CancellationToken.None));
        Assert.Equal(ErrorCode.LocalTransport, ex.Error);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
    }
}
