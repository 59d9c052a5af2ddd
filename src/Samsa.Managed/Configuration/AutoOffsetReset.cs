namespace Samsa;

/// <summary>Where a consumer starts when it has no committed offset or the offset is out of range (auto.offset.reset).</summary>
public enum AutoOffsetReset
{
    /// <summary>earliest (also smallest, beginning): the oldest retained record.</summary>
    Earliest,

    /// <summary>latest (also largest, end): only records produced from now on.</summary>
    Latest,

    /// <summary>error (Java: none): report an error to the application instead of resetting.</summary>
    Error,
}
