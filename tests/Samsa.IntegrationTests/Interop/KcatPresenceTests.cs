using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Interop;

/// <summary>Interop tests need kcat: say so plainly when it is missing instead of failing somewhere deeper.</summary>
public sealed class KcatPresenceTests
{
    [Fact]
    public async Task Kcat_is_installed_and_runs()
    {
        // Kcat.Path throws "kcat is not installed: ... apt-get install kcat" when it is missing.
        KcatResult result = await Kcat.RunAsync(["-V"], timeout: TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, $"kcat -V exited {result.ExitCode}: {result.StandardError}");
        Assert.Contains("librdkafka", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }
}
