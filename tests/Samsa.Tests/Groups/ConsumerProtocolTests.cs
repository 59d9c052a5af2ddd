using Samsa.Groups;

namespace Samsa.Tests.Groups;

/// <summary>The classic consumer protocol's bytes: known layouts, every version, versions from the future.</summary>
public sealed class ConsumerProtocolTests
{
    [Fact]
    public void Subscription_v3_has_librdkafkas_layout()
    {
        var subscription = new MemberSubscription(["a", "bc"], null, [new("a", 1), new("a", 2)], 4, "r1", 3);
        byte[] bytes = ConsumerProtocol.EncodeSubscription(subscription);
        string expected =
            "0003" +                                  // version
            "00000002" + "0001" + "61" + "0002" + "6263" + // topics
            "00000000" +                              // user data: empty, not null
            "00000001" + "0001" + "61" + "00000002" + "00000001" + "00000002" + // owned partitions
            "00000004" +                              // generation
            "0002" + "7231";                          // rack
        Assert.Equal(expected, Convert.ToHexString(bytes).ToLowerInvariant());
        MemberSubscription back = ConsumerProtocol.DecodeSubscription(bytes);
        Assert.Equal(subscription.Topics, back.Topics);
        Assert.Equal(subscription.OwnedPartitions, back.OwnedPartitions);
        Assert.Equal((4, "r1", (short)3), (back.GenerationId, back.RackId, back.Version));
        Assert.Empty(back.UserData!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_known_subscription_version_reads_back_what_it_carries(short version)
    {
        var subscription = new MemberSubscription(["t"], [1, 2, 3], [new("t", 0)], 7, "rack", version);
        MemberSubscription back = ConsumerProtocol.DecodeSubscription(ConsumerProtocol.EncodeSubscription(subscription, version));
        Assert.Equal(version, back.Version);
        Assert.Equal(["t"], back.Topics);
        Assert.Equal([1, 2, 3], back.UserData);
        Assert.Equal(version >= 1 ? [new TopicPartition("t", 0)] : [], back.OwnedPartitions);
        Assert.Equal(version >= 2 ? 7 : -1, back.GenerationId);
        Assert.Equal(version >= 3 ? "rack" : null, back.RackId);
    }

    [Fact]
    public void A_higher_version_is_read_as_the_known_prefix()
    {
        byte[] v3 = ConsumerProtocol.EncodeSubscription(new MemberSubscription(["t"], null, [new("t", 2)], 3, null, 3));
        byte[] v9 = [.. v3, 0xde, 0xad, 0xbe, 0xef]; // a future field appended
        v9[1] = 9;
        MemberSubscription back = ConsumerProtocol.DecodeSubscription(v9);
        Assert.Equal((short)9, back.Version);
        Assert.Equal([new TopicPartition("t", 2)], back.OwnedPartitions);
        Assert.Equal(3, back.GenerationId);

        byte[] assignment = ConsumerProtocol.EncodeAssignment([new("t", 1)], null, 3);
        assignment[1] = 5;
        Assert.Equal([new TopicPartition("t", 1)], ConsumerProtocol.DecodeAssignment(assignment).Partitions);
    }

    [Fact]
    public void Bad_bytes_raise_a_protocol_exception()
    {
        Assert.Throws<ProtocolException>(() => ConsumerProtocol.DecodeSubscription(new byte[] { 0xff, 0xff, 0, 0, 0, 0 }));
        Assert.Throws<ProtocolException>(() => ConsumerProtocol.DecodeSubscription(new byte[] { 0, 1, 0, 0, 0, 5 }));
        Assert.Throws<ProtocolException>(() => ConsumerProtocol.DecodeAssignment(new byte[] { 0, 0, 0x7f, 0xff, 0xff, 0xff }));
    }

    [Fact]
    public void Assignment_v0_has_librdkafkas_layout_and_empty_bytes_are_an_empty_assignment()
    {
        byte[] bytes = ConsumerProtocol.EncodeAssignment([new("a", 0), new("b", 5), new("a", 2)]);
        string expected = "0000" + "00000002" + "0001" + "61" + "00000002" + "00000000" + "00000002" + "0001" + "62" + "00000001" + "00000005" + "ffffffff";
        Assert.Equal(expected, Convert.ToHexString(bytes).ToLowerInvariant());
        MemberAssignment back = ConsumerProtocol.DecodeAssignment(bytes);
        Assert.Equal([new("a", 0), new("a", 2), new("b", 5)], back.Partitions);
        Assert.Null(back.UserData);
        Assert.Empty(ConsumerProtocol.DecodeAssignment(ReadOnlyMemory<byte>.Empty).Partitions);
    }
}
