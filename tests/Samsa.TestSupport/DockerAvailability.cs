using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Samsa.TestSupport;

/// <summary>Whether a Docker engine answers here (DOCKER_HOST, else /var/run/docker.sock), checked once.</summary>
public static class DockerAvailability
{
    private static readonly Lazy<string?> Problem = new(Probe);

    /// <summary>True when the engine answered its /_ping.</summary>
    public static bool IsAvailable => Problem.Value is null;

    /// <summary>Why Docker is unavailable, or null.</summary>
    public static string? Reason => Problem.Value;

    private static string? Probe()
    {
        string? dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        EndPoint endpoint;
        string where;
        if (string.IsNullOrWhiteSpace(dockerHost) || dockerHost.StartsWith("unix://", StringComparison.Ordinal))
        {
            string path = string.IsNullOrWhiteSpace(dockerHost) ? "/var/run/docker.sock" : dockerHost["unix://".Length..];
            if (!File.Exists(path))
            {
                return $"no Docker engine: {path} does not exist";
            }

            endpoint = new UnixDomainSocketEndPoint(path);
            where = path;
        }
        else if (Uri.TryCreate(dockerHost, UriKind.Absolute, out Uri? uri) && uri.Scheme == "tcp")
        {
            endpoint = new DnsEndPoint(uri.Host, uri.Port);
            where = dockerHost;
        }
        else
        {
            return $"DOCKER_HOST '{dockerHost}' is not a unix:// or tcp:// address this check understands";
        }

        try
        {
            using var socket = endpoint is UnixDomainSocketEndPoint
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.SendTimeout = 2000;
            socket.ReceiveTimeout = 2000;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            socket.ConnectAsync(endpoint, cts.Token).AsTask().GetAwaiter().GetResult();
            socket.Send(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
            byte[] buffer = new byte[512];
            int n = socket.Receive(buffer);
            string reply = Encoding.ASCII.GetString(buffer, 0, n);
            return reply.Contains(" 200 ", StringComparison.Ordinal)
                ? null
                : $"the Docker engine at {where} did not answer /_ping with 200";
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return $"the Docker engine at {where} is not answering ({e.Message})";
        }
    }
}

/// <summary>A fact that is skipped, with the reason, when no Docker engine answers.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!DockerAvailability.IsAvailable)
        {
            Skip = "Needs Docker: " + DockerAvailability.Reason;
        }
    }
}
