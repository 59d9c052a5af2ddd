namespace Samsa.Protocol;

/// <summary>Errors the generated message code raises when asked to write what a version cannot carry.</summary>
public static class MessageErrors
{
    public static InvalidOperationException NullNotAllowed(string field, short version) =>
        new($"{field} cannot be null in version {version}.");
}
