using Samsa.Protocol;
using Samsa.TestSupport;

namespace Samsa.Tests.Golden;

/// <summary>The loop the golden request and response tests share: check every frame of one direction, report all failures at once.</summary>
internal static class GoldenFrameCheck
{
    /// <summary>
    /// Runs <paramref name="check"/> on every <paramref name="direction"/> frame of a capture; it returns null when
    /// the frame passes, or why it does not. A frame that does not decode is a failure too.
    /// </summary>
    public static void Every(string capture, FrameDirection direction, Func<CapturedFrame, string?> check)
    {
        var failures = new List<string>();
        int checkedCount = 0;
        foreach (CapturedFrame frame in GoldenData.Load(capture))
        {
            if (frame.Direction != direction)
            {
                continue;
            }

            checkedCount++;
            string? failure;
            try
            {
                failure = check(frame);
            }
            catch (ProtocolException e)
            {
                failure = $"does not decode: {e.Message}";
            }

            if (failure is not null)
            {
                failures.Add($"{frame}: {failure}");
            }
        }

        Assert.True(checkedCount > 0, $"{capture} holds no {direction.ToString().ToLowerInvariant()}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>Null when exactly <paramref name="expectedTrailing"/> bytes trail the body and the rest re-encodes to the same bytes.</summary>
    public static string? TrailingAndReencoding(CapturedFrame frame, int trailing, int expectedTrailing, Func<byte[]> reencode)
    {
        if (trailing != expectedTrailing)
        {
            return $"{trailing} bytes left after the body, {expectedTrailing} expected";
        }

        return FrameCodec.Difference(frame.Frame.AsSpan(0, frame.Frame.Length - expectedTrailing), reencode()) is { } difference
            ? $"re-encoded bytes differ: {difference}"
            : null;
    }
}
