namespace Samsa.Fuzz;

/// <summary>A finding that is not an exception of the decoder itself: an allocation out of proportion to the input.</summary>
internal sealed class FuzzFailure : Exception
{
    public FuzzFailure()
    {
    }

    public FuzzFailure(string message)
        : base(message)
    {
    }

    public FuzzFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
