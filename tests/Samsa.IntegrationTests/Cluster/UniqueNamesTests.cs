using System.Text.RegularExpressions;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Cluster;

public sealed partial class UniqueNamesTests
{
    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex KafkaName();

    [Fact]
    public void Names_are_unique_legal_and_carry_the_test_name()
    {
        string a = UniqueNames.Topic();
        string b = UniqueNames.Topic();
        string odd = UniqueNames.Make("g", "with spaces/and:colons " + new string('x', 300));

        Assert.NotEqual(a, b);
        Assert.Contains(nameof(Names_are_unique_legal_and_carry_the_test_name), a, StringComparison.Ordinal);
        Assert.StartsWith("t-", a, StringComparison.Ordinal);
        Assert.StartsWith("g-", UniqueNames.Group(), StringComparison.Ordinal);
        Assert.Matches(KafkaName(), a);
        Assert.Matches(KafkaName(), odd);
        Assert.Matches(KafkaName(), UniqueNames.TransactionalId());
    }
}
