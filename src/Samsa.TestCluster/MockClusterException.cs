namespace Samsa.TestCluster;

/// <summary>
/// A mock cluster operation failed. <see cref="ErrorCode"/> is librdkafka's <c>rd_kafka_resp_err_t</c>, which
/// numbers errors as Kafka does (positive) plus librdkafka's local errors (negative).
/// </summary>
public sealed class MockClusterException : Exception
{
    public MockClusterException()
    {
        ErrorName = "";
    }

    public MockClusterException(string message)
        : base(message)
    {
        ErrorName = "";
    }

    public MockClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorName = "";
    }

    public MockClusterException(int errorCode, string errorName, string message)
        : base(message)
    {
        ErrorCode = errorCode;
        ErrorName = errorName;
    }

    /// <summary>librdkafka's error code, 0 when the failure did not come from librdkafka.</summary>
    public int ErrorCode { get; }

    /// <summary>librdkafka's name for the error (rd_kafka_err2name), e.g. <c>UNKNOWN_TOPIC_OR_PART</c>.</summary>
    public string ErrorName { get; }
}
