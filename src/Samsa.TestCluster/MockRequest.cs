namespace Samsa.TestCluster;

/// <summary>
/// One request a mock broker received while request tracking was on.
/// </summary>
/// <param name="BrokerId">The broker that received it.</param>
/// <param name="ApiKey">The request's API key.</param>
/// <param name="TimestampMicros">
/// When it arrived, on librdkafka's monotonic clock in microseconds (rd_clock): only differences between
/// requests of the same cluster mean anything.
/// </param>
public readonly record struct MockRequest(int BrokerId, short ApiKey, long TimestampMicros);

/// <summary>An error to inject into one broker's next response, delayed by a round-trip time.</summary>
/// <param name="ErrorCode">librdkafka error code (Kafka's numbering; 0 = no error, only the delay).</param>
/// <param name="RttMs">Delay before the response is sent, in milliseconds.</param>
public readonly record struct MockErrorRtt(int ErrorCode, int RttMs);

/// <summary>A version range the mock advertises (and accepts) for one API.</summary>
/// <param name="ApiKey">The API key.</param>
/// <param name="MinVersion">Lowest version; -1 with <paramref name="MaxVersion"/> -1 disables the API.</param>
/// <param name="MaxVersion">Highest version; -1 means the API is neither advertised nor served.</param>
public readonly record struct MockApiVersion(short ApiKey, short MinVersion, short MaxVersion);
