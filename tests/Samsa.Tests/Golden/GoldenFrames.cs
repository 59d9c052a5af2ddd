using Samsa.TestSupport;

namespace Samsa.Tests.Golden;

/// <summary>The golden capture files, for [MemberData].</summary>
internal static class GoldenFrames
{
    /// <summary>The capture file names.</summary>
    public static TheoryData<string> CaptureNames()
    {
        var data = new TheoryData<string>();
        foreach (string path in GoldenData.CaptureFiles())
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }
}
