namespace Samsa;

/// <summary>
/// The base of every error Samsa raises. <see cref="Error"/> is Kafka's error code (positive, or -1) or the
/// client's local code (negative); <see cref="IsRetriable"/> says whether trying again may succeed.
/// </summary>
public class KafkaException : Exception
{
    public KafkaException(ErrorCode error)
        : this(error, error.Describe())
    {
    }

    public KafkaException(ErrorCode error, string message, Exception? innerException = null)
        : base(Format(error, message), innerException)
    {
        Error = error;
        Reason = message;
    }

    /// <summary>The Kafka or local error code.</summary>
    public ErrorCode Error { get; }

    /// <summary>The message without the error code prefix.</summary>
    public string Reason { get; }

    /// <summary>True when the operation may succeed if tried again.</summary>
    public virtual bool IsRetriable => Error.IsRetriable();

    private static string Format(ErrorCode error, string message) =>
        error == ErrorCode.None ? message : $"{error.Name()}: {message}";
}
