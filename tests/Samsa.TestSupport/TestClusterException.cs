namespace Samsa.TestSupport;

/// <summary>The test cluster host failed to start, died, timed out or answered a command with ERR.</summary>
public class TestClusterException : Exception
{
    public TestClusterException()
    {
    }

    public TestClusterException(string message)
        : base(message)
    {
    }

    public TestClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The host answered a command with <c>ERR</c>: the command reached the mock, which refused it.</summary>
public sealed class TestClusterCommandException : TestClusterException
{
    public TestClusterCommandException()
    {
        Command = "";
        HostMessage = "";
    }

    public TestClusterCommandException(string message)
        : base(message)
    {
        Command = "";
        HostMessage = "";
    }

    public TestClusterCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "";
        HostMessage = "";
    }

    public TestClusterCommandException(string command, string hostMessage)
        : base($"Test cluster command '{command}' failed: {hostMessage}")
    {
        Command = command;
        HostMessage = hostMessage;
    }

    /// <summary>The command line sent.</summary>
    public string Command { get; }

    /// <summary>The host's message after <c>ERR </c>, e.g. <c>TOPIC_ALREADY_EXISTS: Broker: Topic already exists</c>.</summary>
    public string HostMessage { get; }
}
