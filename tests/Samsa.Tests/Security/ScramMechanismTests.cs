using System.Security.Cryptography;
using System.Text;
using Samsa.Network.Security;

namespace Samsa.Tests.Security;

public sealed class ScramMechanismTests
{
    private const string RfcClientNonce = "rOprNGfwEbeRWgbNEkqO";
    private const string RfcServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    [Fact]
    public async Task Scram_sha_256_replays_the_example_of_RFC_7677_section_3()
    {
        var mechanism = new ScramMechanism(HashAlgorithmName.SHA256, "user", "pencil", () => RfcClientNonce);
        SaslSession session = mechanism.CreateSession();

        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Text(await session.StartAsync(CancellationToken.None)));
        Assert.Equal(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            Text(session.Next(Bytes(RfcServerFirst))!));
        Assert.Null(session.Next(Bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
    }

    /// <summary>The RFC 7677 exchange with SHA-512; expected values computed with Python's hashlib (OpenSSL), an independent implementation.</summary>
    [Fact]
    public async Task Scram_sha_512_matches_a_known_answer_computed_independently()
    {
        var mechanism = new ScramMechanism(HashAlgorithmName.SHA512, "user", "pencil", () => RfcClientNonce);
        SaslSession session = mechanism.CreateSession();
        Assert.Equal("SCRAM-SHA-512", mechanism.Name);
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Text(await session.StartAsync(CancellationToken.None)));
        Assert.Equal(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=gMGXRcevScNtxZ6/8lQYpGtnsNAc3mGcmNomv+xnoOMw+3R2xNJdMNnzMlTN8PPC6wdp6dybEmDYXYTxwnYPJQ==",
            Text(session.Next(Bytes(RfcServerFirst))!));
        Assert.Null(session.Next(Bytes("v=ZQnYEgWQMFmmsM8aQMF0nDDCy/AgCzkwk8CmMZYcMg0vSVlKDanekLtifDSeVGT4+5ZxXnJq199RVG2rR7N7Zw==")));
    }

    [Fact]
    public async Task A_wrong_server_signature_is_an_authentication_error()
    {
        SaslSession session = await Started(HashAlgorithmName.SHA256);
        session.Next(Bytes(RfcServerFirst));
        var error = Assert.Throws<KafkaException>(() => session.Next(Bytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        Assert.Equal(ErrorCode.LocalAuthentication, error.Error);
        Assert.Contains("server signature does not verify", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("r=someoneElsesNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce does not extend")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce does not extend")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000", "iteration count")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", "iteration count")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,i=4096", "lacks r=, s= or i=")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOx,s=!!notbase64,i=4096", "salt is not base64")]
    [InlineData("m=must-know,r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "extension")]
    public async Task A_server_first_message_that_breaks_the_rules_is_refused(string serverFirst, string expected)
    {
        SaslSession session = await Started(HashAlgorithmName.SHA256);
        var error = Assert.Throws<KafkaException>(() => session.Next(Bytes(serverFirst)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_attribute_is_a_sasl_authentication_failure_with_its_text()
    {
        SaslSession session = await Started(HashAlgorithmName.SHA512);
        var error = Assert.Throws<KafkaException>(() => session.Next(Bytes("e=unknown-user")));
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, error.Error);
        Assert.Contains("unknown-user", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_names_escape_comma_and_equals_and_nonces_are_fresh()
    {
        var mechanism = new ScramMechanism(HashAlgorithmName.SHA256, "a,b=c", "pw");
        string first = Text(await mechanism.CreateSession().StartAsync(CancellationToken.None));
        string second = Text(await mechanism.CreateSession().StartAsync(CancellationToken.None));
        Assert.StartsWith("n,,n=a=2Cb=3Dc,r=", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain(',', first["n,,n=a=2Cb=3Dc,r=".Length..]);
    }

    [Fact]
    public async Task The_password_goes_through_saslprep_before_hashing()
    {
        // U+00AD (soft hyphen) maps to nothing: "pen\u00ADcil" authenticates as "pencil" (the RFC 7677 vector).
        var mechanism = new ScramMechanism(HashAlgorithmName.SHA256, "user", "pen\u00ADcil", () => RfcClientNonce);
        SaslSession session = mechanism.CreateSession();
        await session.StartAsync(CancellationToken.None);
        Assert.EndsWith("p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Text(session.Next(Bytes(RfcServerFirst))!), StringComparison.Ordinal);
    }

    private static async Task<SaslSession> Started(HashAlgorithmName hash)
    {
        SaslSession session = new ScramMechanism(hash, "user", "pencil", () => RfcClientNonce).CreateSession();
        await session.StartAsync(CancellationToken.None);
        return session;
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);
}
