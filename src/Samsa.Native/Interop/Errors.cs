namespace Samsa.Native.Interop;

/// <summary>
/// Maps every exception to an error code at the boundary (none may cross it) and keeps the last error's text
/// per thread for <c>samsa_last_errstr</c>.
/// </summary>
internal static unsafe class Errors
{
    public const int Ok = 0;
    public const int InvalidArg = (int)ErrorCode.LocalInvalidArg;

    [ThreadStatic]
    private static string? t_lastError;

    /// <summary>The text of the last error on this thread ("" when the last call succeeded).</summary>
    public static string LastError => t_lastError ?? string.Empty;

    /// <summary>Forgets the last error: called on success by functions that report errors.</summary>
    public static void Clear() => t_lastError = null;

    /// <summary>Records an error and returns its code.</summary>
    public static int Set(int code, string message)
    {
        t_lastError = message;
        return code;
    }

    /// <summary>Records <paramref name="message"/> and writes it to errstr, if given; returns <paramref name="code"/>.</summary>
    public static int Set(int code, string message, byte* errstr, nuint errstrSize)
    {
        t_lastError = message;
        Utf8.CopyTo(message, errstr, errstrSize);
        return code;
    }

    /// <summary>SAMSA_ERR_INVALID_ARG for a NULL or stale argument, naming it.</summary>
    public static int Invalid(string what) => Set(InvalidArg, $"Invalid argument: {what}.");

    /// <summary>The code for an exception, its message recorded.</summary>
    public static int From(Exception e) => Set(CodeOf(e), MessageOf(e));

    /// <summary>The code for an exception, its message recorded and written to errstr.</summary>
    public static int From(Exception e, byte* errstr, nuint errstrSize) => Set(CodeOf(e), MessageOf(e), errstr, errstrSize);

    public static int CodeOf(Exception e) => e switch
    {
        KafkaException k => (int)k.Error,
        ArgumentException => InvalidArg,
        ObjectDisposedException => (int)ErrorCode.LocalDestroy,
        TimeoutException or OperationCanceledException => (int)ErrorCode.LocalTimedOut,
        OutOfMemoryException => (int)ErrorCode.LocalFail,
        _ => (int)ErrorCode.LocalFail,
    };

    private static string MessageOf(Exception e) => e switch
    {
        KafkaException k => k.Reason,
        _ => e.Message,
    };
}
