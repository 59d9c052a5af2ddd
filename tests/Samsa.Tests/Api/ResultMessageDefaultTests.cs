namespace Samsa.Tests.Api;

/// <summary>
/// DeliveryResult/DeliveryReport and ConsumeResult make their empty default Message only when it is read unset
/// (no allocation per report): the property is still never null, stable, and a given message is kept.
/// </summary>
public sealed class ResultMessageDefaultTests
{
    [Fact]
    public void A_report_without_a_message_reads_one_empty_message_every_time()
    {
        var report = new DeliveryReport<string, string> { Topic = "t" };

        Message<string, string> first = report.Message;

        Assert.NotNull(first);
        Assert.Null(first.Value);
        Assert.Same(first, report.Message);
    }

    [Fact]
    public void A_report_keeps_the_message_it_was_given()
    {
        var message = new Message<string, string> { Key = "k", Value = "v" };

        var report = new DeliveryReport<string, string> { Message = message };

        Assert.Same(message, report.Message);
        Assert.Equal("k", report.Key);
        Assert.Equal("v", report.Value);
    }

    [Fact]
    public void A_consume_result_without_a_message_reads_one_empty_message_every_time()
    {
        var eof = new ConsumeResult<string, string> { Topic = "t", IsPartitionEOF = true };

        Assert.NotNull(eof.Message);
        Assert.Null(eof.Message.Key);
        Assert.Same(eof.Message, eof.Message);
    }

    [Fact]
    public void A_consume_result_keeps_the_message_it_was_given()
    {
        var message = new Message<string, string> { Value = "v" };

        var result = new ConsumeResult<string, string> { Message = message };

        Assert.Same(message, result.Message);
    }
}
