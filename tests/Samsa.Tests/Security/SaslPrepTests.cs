using Samsa.Network.Security;

namespace Samsa.Tests.Security;

public sealed class SaslPrepTests
{
    /// <summary>RFC 4013 section 3's examples (those that do not need full NFKC tables), and the common cases.</summary>
    [Theory]
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("I\u00ADX", "IX")] // soft hyphen mapped to nothing
    [InlineData("\u00AA", "a")] // NFKC
    [InlineData("\u2168", "IX")] // NFKC
    [InlineData("a\u00A0b", "a b")] // non-ASCII space to space
    [InlineData("a\u3000b\u2003c", "a b c")]
    [InlineData("\uFF50\uFF41\uFF53\uFF53", "pass")] // fullwidth forms
    [InlineData("\uFB01x\u00B2", "fix2")]
    [InlineData("z\u200Cz\uFEFFz", "zzz")] // zero-width non-joiner and BOM: nothing
    [InlineData("z\u200Bz", "z z")] // U+200B is in both C.1.2 and B.1: mapped to space first, as libidn does
    [InlineData("caf\u00E9", "caf\u00E9")] // already normalized text is kept
    [InlineData("\u05D0\u05D1", "\u05D0\u05D1")] // right-to-left only
    public void Prepares(string input, string expected) =>
        Assert.Equal(expected, SaslPrep.Prepare(input, "sasl.password", secret: true));

    [Theory]
    [InlineData("se\u0007cret", "U+0007")] // ASCII control
    [InlineData("se\u0085cret", "U+0085")] // non-ASCII control
    [InlineData("se\uE000cret", "U+E000")] // private use
    [InlineData("se\uFFFEcret", "U+FFFE")] // non-character
    [InlineData("se\u202Ecret", "U+202E")] // display property change
    public void Refuses_prohibited_characters_without_showing_the_secret(string input, string codePoint)
    {
        var error = Assert.Throws<ConfigException>(() => SaslPrep.Prepare(input, "sasl.password", secret: true));
        Assert.Contains(codePoint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cret", error.Message, StringComparison.Ordinal);
        Assert.Equal("[redacted]", error.Value);
        Assert.Equal("sasl.password", error.Property);
    }

    [Theory]
    [InlineData("\u0627\u0031")] // RFC 4013 example: RandALCat first, not last
    [InlineData("a\u05D0")] // LCat with RandALCat
    public void Refuses_mixed_direction_text(string input)
    {
        var error = Assert.Throws<ConfigException>(() => SaslPrep.Prepare(input, "sasl.username", secret: false));
        Assert.Contains("right-to-left", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_unpaired_surrogate() =>
        Assert.Throws<ConfigException>(() => SaslPrep.Prepare("x\uD800y", "sasl.password", secret: true));
}
